"""`Reply` -> keyword arguments of `send_message` / `edit_message_text`, and inline results.

Replies are already Telegram HTML (the core escapes what users typed); this module
only cuts long texts under Telegram's 4,096 characters (UTF-16 units) and turns button rows into
inline keyboards. The keyboard goes with the last part of a split text.
"""

from __future__ import annotations

import re
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
)
from telegram.constants import InlineQueryResultLimit, ParseMode

from bot.dialogue.replies import TELEGRAM_LIMIT, Button, Reply, shorten, split_text, utf16_len
from bot.templating import to_plain

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^>]*>")
TAG_ROOM = 100  # characters kept free in each part for tags closed and reopened at a cut


def split_html(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """`split_text`, then close the tags a cut leaves open and reopen them in the next
    part, so each message is valid Telegram HTML on its own."""
    if utf16_len(text) <= limit:
        return [text] if text else []
    parts: list[str] = []
    carried: list[tuple[str, str]] = []  # (name, opening tag) open at the end of a part
    for piece in split_text(text, limit - TAG_ROOM):
        part = "".join(tag for _name, tag in carried) + piece
        stack: list[tuple[str, str]] = []
        for match in TAG.finditer(part):
            name = match.group(2).lower()
            if not match.group(1):
                stack.append((name, match.group(0)))
            elif stack and stack[-1][0] == name:
                stack.pop()
        parts.append(part + "".join(f"</{name}>" for name, _tag in reversed(stack)))
        carried = stack
    return parts


def keyboard(rows: list[list[Button]]) -> InlineKeyboardMarkup | None:
    rows = [row for row in rows if row]
    if not rows:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=b.action)
                                  for b in row] for row in rows])


def message_parts(reply: Reply, limit: int = TELEGRAM_LIMIT) -> list[dict[str, Any]]:
    """One dict of `send_message` arguments per message the reply needs."""
    parts = split_html(reply.text.strip(), limit)
    markup = keyboard(reply.buttons)
    if not parts:
        if markup is None:
            return []
        parts = ["…"]  # Telegram refuses an empty text; the buttons still need a message
    messages = [{"text": part, "parse_mode": ParseMode.HTML, "reply_markup": None,
                 "link_preview_options": NO_PREVIEW} for part in parts]
    messages[-1]["reply_markup"] = markup
    return messages


def fits_one_message(reply: Reply, limit: int = TELEGRAM_LIMIT) -> bool:
    return len(message_parts(reply, limit)) == 1


def plain_fallback(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The same message without markup: for when Telegram cannot parse the HTML."""
    return {**kwargs, "text": to_plain(kwargs["text"]) or "…", "parse_mode": None}


def inline_article(result_id: str, title: str, reply: Reply) -> InlineQueryResultArticle:
    """One inline-mode result: the question as title, the rendered answer as the message."""
    text = (split_html(reply.text.strip()) or ["…"])[0]
    plain = " ".join(to_plain(reply.text).split())
    if plain.startswith(title):
        plain = plain[len(title):].lstrip()
    return InlineQueryResultArticle(
        id=result_id[: InlineQueryResultLimit.MAX_ID_LENGTH],
        title=title,
        description=shorten(plain, 100) or None,
        input_message_content=InputTextMessageContent(
            text, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW),
    )


def bold(text: str) -> str:
    """Already-escaped text in bold (a title made of a translated string)."""
    return f"<b>{text}</b>"

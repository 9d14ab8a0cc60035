"""The assistant in a terminal: the same conversation, buttons shown as numbered choices."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from bot.core import Core
from bot.dialogue.replies import Button, Reply
from bot.dialogue.session import Session
from bot.i18n import translations

PROMPT = "> "


LETTERS = "abcdefghijklmnopqrstuvwxyz"


def key_of(index: int, lettered: bool) -> str:
    """Buttons are numbered; lettered when the reply waits for a typed number."""
    return LETTERS[index] if lettered else str(index + 1)


def render(replies: list[Reply], out: TextIO) -> list[Button]:
    """Print replies as plain text; return the buttons in the order they were keyed."""
    buttons: list[Button] = []
    lettered = any(r.expects_text for r in replies)
    for reply in replies:
        out.write(reply.plain.rstrip() + "\n")
        for row in reply.buttons:
            cells = []
            for button in row:
                cells.append(f"[{key_of(len(buttons), lettered)}] {button.label}")
                buttons.append(button)
            out.write("   " + "   ".join(cells) + "\n")
        out.write("\n")
    return buttons


def step(core: Core, session: Session, line: str, buttons: list[Button],
         lettered: bool = False) -> list[Reply]:
    """One line typed: a button's key, a /command, or free text."""
    line = line.strip()
    assistant = core.assistant
    keys = {key_of(i, lettered): b for i, b in enumerate(buttons)}
    if line.lower() in keys:
        return assistant.handle_action(session, keys[line.lower()].action)
    if buttons and not lettered and line.isdigit() and len(line) <= 2:  # a key, mistyped
        _ = translations(session.lang).gettext
        return [Reply(_("There is no option {number}: type one of the numbers shown, or "
                        "your question.").format(number=line), kind="info")]
    if line.startswith("/"):
        command, _sep, arg = line[1:].partition(" ")
        return assistant.handle_command(session, command, arg.strip())
    return assistant.handle_text(session, line)


def run(core: Core, session: Session, inp: TextIO = sys.stdin, out: TextIO = sys.stdout,
        save: Callable[[Session], None] | None = None) -> None:
    out.write("Partner Program Assistant — /help, /quit\n\n")
    replies = core.assistant.start(session)
    buttons = render(replies, out)
    while True:
        out.write(PROMPT)
        out.flush()
        line = inp.readline()
        if not line or line.strip() in ("/quit", "/exit"):
            out.write("\n")
            return
        if not line.strip():
            continue
        try:
            lettered = any(r.expects_text for r in replies)
            replies = step(core, session, line, buttons, lettered)
        except Exception:  # the chat must outlive any one bad message
            import logging

            logging.getLogger(__name__).exception("reply failed")
            _ = translations(session.lang).gettext
            replies = [Reply(_("Sorry, something went wrong. Please try again."))]
        buttons = render(replies, out) or buttons
        if save:
            save(session)

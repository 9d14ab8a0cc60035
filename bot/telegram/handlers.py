"""Telegram updates -> `Assistant` calls -> messages; nothing here decides what to say.

One `TelegramFrontend` serves every chat. For each update it loads the user's
session, makes one call into the assistant, saves the session (so a restart resumes
the conversation where it was) and renders the replies. In groups it answers only
commands and messages that mention the bot or reply to it.

A few things exist only in Telegram and are handled here, not by the assistant: the
staff's commands (`staff`), passing a question to a partner manager (`handoff`), and
/privacy and /forget (`privacy`). The core the handlers use can be swapped while the
bot runs (/reload): every update reads `self.core` afresh.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from sqlite_utils import Database
from telegram import (
    CallbackQuery,
    Chat,
    InlineQueryResultsButton,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
    User,
)
from telegram.constants import InlineQueryLimit
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError, TimedOut
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    ExtBot,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import LANGUAGES
from bot.core import Core
from bot.dialogue.assistant import Assistant
from bot.dialogue.replies import Reply
from bot.dialogue.session import Session
from bot.matcher import ANSWER, CLARIFY
from bot.storage.schema import migrations
from bot.telegram import handoff, privacy
from bot.telegram.commands import COMMANDS
from bot.telegram.handoff import Handoffs
from bot.telegram.i18n import _, gettext_for, language_from_code
from bot.telegram.privacy import PrivacyTools
from bot.telegram.render import fits_one_message, inline_article, message_parts, plain_fallback
from bot.telegram.sessions import SessionStore, user_key
from bot.telegram.settings import Settings
from bot.telegram.staff import STAFF_COMMANDS, StaffTools

log = logging.getLogger(__name__)

EDIT_IN_PLACE = frozenset({"menu"})  # a menu tapped on a menu replaces it, not piles up
REMEMBERED_MESSAGES = 5000
INLINE_RESULTS = 5
INLINE_CACHE_SECONDS = 30

SORRY = _("Sorry, something went wrong on my side. Please try again in a moment.")
INLINE_BUTTON = _("Ask the assistant in a private chat")


class Unreachable(Exception):
    """The chat cannot be written to (the user blocked the bot, the bot left the group)."""


def parse_command(text: str) -> tuple[str, str, str]:
    """'/map@Bot High Availability' -> ('map', 'Bot', 'High Availability')."""
    head, *rest = text.strip().split(maxsplit=1)
    name, _at, target = head.lstrip("/").partition("@")
    return name.lower(), target, rest[0].strip() if rest else ""


def is_group(chat: Chat) -> bool:
    return chat.type in (Chat.GROUP, Chat.SUPERGROUP)


def addresses_bot(message: Message, bot: User) -> bool:
    """A group message is for the bot if it replies to the bot or mentions it."""
    replied = message.reply_to_message
    if replied and replied.from_user and replied.from_user.id == bot.id:
        return True
    name = (bot.username or "").lower()
    for entity, text in message.parse_entities([MessageEntity.MENTION,
                                                MessageEntity.TEXT_MENTION]).items():
        if entity.type == MessageEntity.MENTION and name and text[1:].lower() == name:
            return True
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot.id:
            return True
    return False


def strip_mention(text: str, username: str | None) -> str:
    if not username:
        return text.strip()
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip()


def describe(update: object) -> str:
    """An update in a log line: kind and ids, never what the user wrote."""
    if not isinstance(update, Update):
        return type(update).__name__
    kind = next((name for name in ("message", "edited_message", "callback_query",
                                   "inline_query", "channel_post", "my_chat_member")
                 if getattr(update, name, None) is not None), "other")
    user = update.effective_user
    chat = update.effective_chat
    return (f"update {update.update_id} ({kind}) from user {user.id if user else '-'} "
            f"in chat {chat.id if chat else '-'}")


def _database_of(sessions: SessionStore) -> Database:
    """The SQLite database behind the session store; an in-memory one for memory sessions."""
    db = getattr(sessions, "db", None)
    if isinstance(db, Database):
        return db
    db = Database(memory=True)
    migrations.apply(db)
    return db


class TelegramFrontend:
    def __init__(self, core: Core, sessions: SessionStore, db: Database | None = None,
                 settings: Settings | None = None):
        self.core = core  # replaced by /reload; read it afresh for every update
        self.sessions = sessions
        self.db = db if db is not None else _database_of(sessions)
        self.settings = settings or Settings()
        self.staff = StaffTools(self)
        self.handoffs = Handoffs(self)
        self.privacy = PrivacyTools(self)
        # kind of the replies sent lately, by (chat, message): decides edit vs. new message
        self._kinds: OrderedDict[tuple[int, int], str] = OrderedDict()

    @property
    def assistant(self) -> Assistant:
        return self.core.assistant

    # -- registration ------------------------------------------------------------------
    def register(self, app: Application) -> None:
        new = filters.UpdateType.MESSAGE  # edited messages and channel posts are ignored
        if self.handoffs.enabled:  # first: a staff reply to a hand-off is no question
            assert self.settings.staff_chat_id is not None
            app.add_handler(MessageHandler(
                new & filters.Chat(chat_id=self.settings.staff_chat_id) & filters.REPLY
                & filters.TEXT & ~filters.COMMAND, self.handoffs.on_staff_reply))
        app.add_handler(MessageHandler(new & filters.COMMAND, self.on_command))
        app.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND, self.on_text))
        app.add_handler(MessageHandler(
            new & filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL,
            self.on_other))
        app.add_handler(CallbackQueryHandler(self.on_callback))
        app.add_handler(InlineQueryHandler(self.on_inline))
        app.add_error_handler(self.on_error)

    # -- sessions ----------------------------------------------------------------------
    def load(self, user: User) -> Session:
        session = self.sessions.load(user_key(user.id), language_from_code(user.language_code))
        code = (user.language_code or "").split("-")[0].lower()
        session.lang_known = session.lang_chosen or code in LANGUAGES
        return session

    def language_of(self, user: User | None) -> str:
        if user is None:
            return language_from_code(None)
        try:
            return self.load(user).lang
        except Exception:  # the store itself may be what failed
            return language_from_code(user.language_code)

    # -- updates -----------------------------------------------------------------------
    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if message is None or message.from_user is None or not message.text:
            return
        name, target, arg = parse_command(message.text)
        bot = context.bot
        user = message.from_user
        if target and target.lower() != (bot.username or "").lower():
            return  # addressed to another bot in the group
        # For anyone but staff, a staff command is just an unknown command.
        staff = name in STAFF_COMMANDS and self.staff.is_staff(user.id)
        group = is_group(message.chat)
        if group and not target and name not in COMMANDS and not staff:
            return  # some other bot's command
        session = self.load(user)
        if staff:
            log.info("staff command /%s by user %s", name, user.id)
            replies = await self.staff.command(name, arg, session.lang)
        elif name == "privacy":
            replies = self.privacy.explain(session, user)
        elif name == "forget":
            replies = self.privacy.ask(session, user)
        else:
            replies = self.assistant.handle_command(session, name, arg)
        self.sessions.save(session)
        await self.send(bot, message.chat_id, replies,
                        quote=message.message_id if group else None)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if message is None or message.from_user is None:
            return
        text = message.text or ""
        bot = context.bot
        group = is_group(message.chat)
        if group:
            if not addresses_bot(message, bot.bot):
                return
            text = strip_mention(text, bot.username)
        elif message.chat.type != Chat.PRIVATE:
            return
        session = self.load(message.from_user)
        previous = session.last_question
        replies = self.assistant.handle_text(session, text)
        if (self.handoffs.enabled and not group and replies and replies[-1].kind == "smalltalk"
                and self.handoffs.asks_for_person(text, session)):
            session.last_question = previous  # "a person, please" is not the question
            replies = self.handoffs.offer(session)
        replies = self.handoffs.decorate(replies, message.chat, session.lang)
        self.sessions.save(session)
        await self.send(bot, message.chat_id, replies,
                        quote=message.message_id if group else None)

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A photo, sticker or file in a private chat: its caption is the question, if any."""
        message = update.message
        if message is None or message.from_user is None:
            return
        session = self.load(message.from_user)
        replies = self.assistant.handle_text(session, message.caption or "")
        replies = self.handoffs.decorate(replies, message.chat, session.lang)
        self.sessions.save(session)
        await self.send(context.bot, message.chat_id, replies)

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        name = (query.data or "").partition(":")[0]
        local = self._local_actions().get(name)
        if local is not None:  # buttons only the Telegram layer knows
            await local(update, context)
            return
        await self.answer_query(query)  # always, first: it stops the spinner on the button
        if query.data is None:
            return
        session = self.load(query.from_user)
        replies = self.assistant.handle_action(session, query.data)
        message = query.message
        if message is not None:
            replies = self.handoffs.decorate(replies, message.chat, session.lang)
        self.sessions.save(session)
        if message is None:  # a button under an inline-mode message: no chat to write to
            return
        chat_id = message.chat.id
        edit = None
        if (isinstance(message, Message) and len(replies) == 1
                and replies[0].kind in EDIT_IN_PLACE and fits_one_message(replies[0])
                and self._kinds.get((chat_id, message.message_id)) in EDIT_IN_PLACE):
            edit = message
        await self.send(context.bot, chat_id, replies, edit=edit)

    def _local_actions(self) -> dict[str, Callable[[Update, ContextTypes.DEFAULT_TYPE],
                                                   Awaitable[None]]]:
        actions = {privacy.ACTION: self.privacy.on_tap}
        if self.handoffs.enabled:  # else "handoff" is a stale button, as the core says
            actions[handoff.ACTION] = self.handoffs.on_tap
            actions[handoff.PARAPHRASE] = self.handoffs.on_paraphrase
        return actions

    async def answer_query(self, query: CallbackQuery, text: str | None = None) -> None:
        try:
            await query.answer(text)
        except TelegramError as exc:  # too old (e.g. from before a restart): carry on
            log.debug("callback query %s not answered: %s", query.id, exc)

    async def on_inline(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """`@bot sophos gold` in any chat: the best matching answers, ready to send."""
        query = update.inline_query
        if query is None:
            return
        text = query.query.strip()
        session = self.load(query.from_user)  # read only: inline mode changes no state
        results = []
        if text:
            match = self.core.matcher.match(text, session.lang if session.lang_chosen else None)
            lang = session.lang
            if not session.lang_chosen and match.lang in LANGUAGES:
                lang = match.lang
            ids: list[str] = []
            if match.kind in (ANSWER, CLARIFY):
                for entry_id in [match.entry, *(c.entry for c in match.candidates)]:
                    if entry_id and entry_id in self.core.kb.entries and entry_id not in ids:
                        ids.append(entry_id)
            for entry_id in ids[:INLINE_RESULTS]:
                entry = self.core.kb.entries[entry_id]
                reply = self.assistant.entry_reply(entry, lang)
                results.append(inline_article(entry_id, entry.text(lang).question, reply))
        else:
            lang = session.lang
        button = None
        if not results:
            button = InlineQueryResultsButton(gettext_for(lang)(INLINE_BUTTON),
                                              start_parameter="inline")
        await query.answer(results[: InlineQueryLimit.RESULTS], cache_time=INLINE_CACHE_SECONDS,
                           is_personal=True, button=button)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        where = describe(update)
        if isinstance(error, Forbidden):
            log.info("%s: cannot write to the chat (%s)", where, error)
            return
        if update is None and isinstance(error, NetworkError):
            log.warning("network trouble talking to Telegram: %s", error)
            return
        log.error("%s failed: %s", where, type(error).__name__, exc_info=error)
        if not isinstance(update, Update) or update.inline_query is not None:
            return
        chat = update.effective_chat
        if chat is None:
            return
        text = gettext_for(self.language_of(update.effective_user))(SORRY)
        try:
            await context.bot.send_message(chat.id, text)
        except TelegramError as exc:
            log.info("%s: could not tell the user about the error: %s", where, exc)

    # -- output ------------------------------------------------------------------------
    async def send(self, bot: ExtBot, chat_id: int, replies: list[Reply], *,
                   quote: int | None = None, edit: Message | None = None) -> None:
        """Send replies in order (editing `edit` instead of sending the first, if given)."""
        try:
            for i, reply in enumerate(replies):
                parts = message_parts(reply)
                if i == 0 and edit is not None and len(parts) == 1 \
                        and await self._edit(bot, edit, parts[0], reply.kind):
                    continue
                for kwargs in parts:
                    try:
                        sent = await self._send_one(bot, chat_id, kwargs, quote)
                    except TimedOut:
                        # No answer in time is no refusal: Telegram has most likely taken
                        # the message, so it is not sent again (it would show twice), and
                        # the user is not told of an error they will not see.
                        log.warning("chat %s: Telegram did not confirm a message in time; "
                                    "not sending it again", chat_id)
                        continue
                    finally:
                        quote = None
                    self._remember(chat_id, sent.message_id, reply.kind)
        except Unreachable as exc:
            log.info("chat %s is unreachable: %s", chat_id, exc)

    async def send_reply(self, bot: ExtBot, chat_id: int, reply: Reply, *,
                         quote: int | None = None) -> Message | None:
        """Send one reply; the message carrying its buttons, or None if the chat is
        unreachable. Other Telegram errors (a wrong chat id) are raised."""
        sent = None
        try:
            for kwargs in message_parts(reply):
                sent = await self._send_one(bot, chat_id, kwargs, quote)
                quote = None
                self._remember(chat_id, sent.message_id, reply.kind)
        except Unreachable as exc:
            log.info("chat %s is unreachable: %s", chat_id, exc)
            return None
        return sent

    async def _send_one(self, bot: ExtBot, chat_id: int, kwargs: dict, quote: int | None):
        if quote is not None:
            kwargs = {**kwargs, "reply_parameters": ReplyParameters(
                quote, allow_sending_without_reply=True)}
        try:
            return await bot.send_message(chat_id, **kwargs)
        except Forbidden as exc:
            raise Unreachable(str(exc)) from exc
        except BadRequest as exc:
            if "parse entities" not in str(exc).lower():
                raise
            log.warning("chat %s: Telegram rejected the HTML (%s); sending plain text",
                        chat_id, exc)
            try:
                return await bot.send_message(chat_id, **plain_fallback(kwargs))
            except Forbidden as exc2:
                raise Unreachable(str(exc2)) from exc2

    async def _edit(self, bot: ExtBot, message: Message, kwargs: dict, kind: str) -> bool:
        """Edit in place; False when Telegram will not (too old, deleted): send instead."""
        try:
            await bot.edit_message_text(chat_id=message.chat_id, message_id=message.message_id,
                                        **kwargs)
        except Forbidden as exc:
            raise Unreachable(str(exc)) from exc
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return True
            log.debug("chat %s: cannot edit message %s: %s", message.chat_id,
                      message.message_id, exc)
            return False
        self._remember(message.chat_id, message.message_id, kind)
        return True

    def _remember(self, chat_id: int, message_id: int, kind: str) -> None:
        self._kinds[(chat_id, message_id)] = kind
        self._kinds.move_to_end((chat_id, message_id))
        while len(self._kinds) > REMEMBERED_MESSAGES:
            self._kinds.popitem(last=False)

"""Ask a person: a partner's question passed to the staff chat, and the answer brought back.

Only with STAFF_CHAT_ID set. When the assistant does not know the answer (a reply of
kind "unknown"), the Telegram layer adds an "Ask a partner manager" button (callback
data "handoff") to it; when a partner asks for a person in so many words, it offers
the same button for their previous question. A tap posts the question (the session's
`last_question`) to the staff chat with the partner's name, language and the bot's
three best guesses, and records a row in `handoffs`.

In the staff chat, a reply (Telegram's "reply to message") to that post is sent to
the partner, prefixed with "A partner manager answers:", and marks the hand-off
answered. Under the post, one button per guess ("pp:N") records the partner's wording
as a proposed paraphrase of that entry, for review with `partnerbot suggest`: the
knowledge files are never written from here.

Everything the partner typed is escaped wherever it is shown; logs carry ids only.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from html import escape
from typing import TYPE_CHECKING

from telegram import Chat, Message, Update, User
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.dialogue.replies import Button, Reply, shorten
from bot.dialogue.session import Session
from bot.storage.handoffs import SqliteHandoffs
from bot.telegram.i18n import _, gettext_for
from bot.telegram.render import bold

if TYPE_CHECKING:
    from bot.telegram.handlers import TelegramFrontend

log = logging.getLogger(__name__)

ACTION = "handoff"
PARAPHRASE = "pp"
GUESSES = 3
MAX_OPEN = 3  # questions one partner may have waiting at once
QUESTION_SHOWN = 1500  # characters of the question in the staff-chat post
LANGUAGE_NAMES = {"ru": "Русский", "fr": "Français", "pl": "Polski"}

BUTTON = _("Ask a partner manager")


class Handoffs:
    def __init__(self, frontend: TelegramFrontend):
        self.frontend = frontend

    @property
    def staff_chat_id(self) -> int | None:
        return self.frontend.settings.staff_chat_id

    @property
    def enabled(self) -> bool:
        return self.staff_chat_id is not None

    @property
    def store(self) -> SqliteHandoffs:
        return SqliteHandoffs(self.frontend.db)

    # -- the offer ---------------------------------------------------------------------
    def decorate(self, replies: list[Reply], chat: Chat, lang: str) -> list[Reply]:
        """Add the "Ask a partner manager" button to the replies that could not answer."""
        if not self.enabled or chat.type != Chat.PRIVATE:
            return replies
        gettext = gettext_for(lang)
        return [replace(r, buttons=[[Button(gettext(BUTTON), ACTION)], *r.buttons])
                if r.kind == "unknown" else r for r in replies]

    def asks_for_person(self, text: str, session: Session) -> bool:
        """The message is small talk asking for a human ("оператор", "un conseiller")."""
        match = self.frontend.core.matcher.match(text, session.lang)
        return match.kind == "smalltalk" and match.smalltalk == "human"

    def offer(self, session: Session) -> list[Reply]:
        """The answer to "I want a person": pass the previous question, if there is one."""
        gettext = gettext_for(session.lang)
        menu = [Button(gettext(_("Menu")), "m")]
        if not session.last_question:
            return [Reply(gettext(_("Type your question. If I cannot answer it, I will offer "
                                    "to pass it to a partner manager.")), [menu],
                          kind="info")]
        text = gettext(_("I can pass your last question to a partner manager:")) + \
            f"\n<i>{escape(shorten(session.last_question, 300))}</i>"
        return [Reply(text, [[Button(gettext(BUTTON), ACTION)], menu], kind="info")]

    # -- the partner's tap -------------------------------------------------------------
    async def on_tap(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await self.frontend.answer_query(query)
        message = query.message
        if message is None or message.chat.type != Chat.PRIVATE:
            return
        session = self.frontend.load(query.from_user)
        replies = await self.pass_on(context, query.from_user, session, message.chat.id)
        await self.frontend.send(context.bot, message.chat.id, replies)

    async def pass_on(self, context: ContextTypes.DEFAULT_TYPE, user: User, session: Session,
                      chat_id: int) -> list[Reply]:
        gettext = gettext_for(session.lang)
        question = (session.last_question or "").strip()
        if not question:
            return [Reply(gettext(_("There is no question to pass on yet. Type your question "
                                    "first.")), kind="info")]
        user_id = str(user.id)
        waiting = self.store.open_for(user_id)
        if any(h.question == question for h in waiting):
            return [Reply(gettext(_("This question is already with a partner manager. The "
                                    "answer will arrive here, in this chat.")), kind="info")]
        if len(waiting) >= MAX_OPEN:
            return [Reply(gettext(_("Several of your questions are already waiting for a "
                                    "partner manager. Please wait for their answers.")),
                          kind="info")]
        staff_chat_id = self.staff_chat_id
        assert staff_chat_id is not None
        candidates = self.frontend.core.matcher.match(question, session.lang).candidates
        guesses = list(dict.fromkeys(c.entry for c in candidates
                                     if c.entry in self.frontend.core.kb.entries))[:GUESSES]
        post = self.staff_post(user, session.lang, question, guesses)
        try:
            sent = await self.frontend.send_reply(context.bot, staff_chat_id, post)
        except TelegramError as exc:
            log.warning("hand-off from user %s: the staff chat refused the message: %s",
                        user.id, type(exc).__name__)
            sent = None
        if sent is None:
            return [Reply(gettext(_("Sorry, I could not reach the partner managers just now. "
                                    "Please try again later.")), kind="info")]
        handoff = self.store.create(user_id=user_id, chat_id=str(chat_id), question=question,
                                    lang=session.lang, staff_chat_id=staff_chat_id,
                                    staff_message_id=sent.message_id, guesses=guesses)
        log.info("hand-off %s from user %s posted to the staff chat", handoff.id, user.id)
        text = gettext(_("I have passed your question to a partner manager:")) + \
            f"\n<i>{escape(shorten(question, 300))}</i>\n\n" + \
            gettext(_("The answer will arrive here, in this chat."))
        return [Reply(text, kind="info")]

    def staff_post(self, user: User, lang: str, question: str, guesses: list[str]) -> Reply:
        staff_lang = self.frontend.settings.staff_lang
        gettext = gettext_for(staff_lang)
        kb = self.frontend.core.kb
        who = escape(user.full_name or str(user.id))
        if user.username:
            who += f" (@{escape(user.username)})"
        who += f" · id {user.id}"
        lines = [bold(gettext(_("Question from a partner"))),
                 gettext(_("From: {name} · language: {lang}")).format(
                     name=who, lang=escape(LANGUAGE_NAMES.get(lang, lang))),
                 "", f"<i>{escape(shorten(question, QUESTION_SHOWN))}</i>", ""]
        if guesses:
            lines.append(gettext(_("The assistant's best guesses:")))
            for i, entry_id in enumerate(guesses, 1):
                entry_question = kb.entries[entry_id].text(staff_lang).question
                lines.append(f"{i}. {escape(entry_id)} — {escape(shorten(entry_question, 100))}")
        else:
            lines.append(gettext(_("The assistant has no guess.")))
        lines += ["", gettext(_("Reply to this message to answer the partner: your reply will "
                                "be sent to them."))]
        rows = [[Button(shorten(gettext(_("Add as paraphrase of {entry}")).format(entry=eid)),
                        f"{PARAPHRASE}:{i}")] for i, eid in enumerate(guesses)]
        return Reply("\n".join(lines), rows, kind="staff")

    # -- the staff's side --------------------------------------------------------------
    async def on_staff_reply(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A reply in the staff chat. To a hand-off post: deliver it to the partner."""
        message = update.message
        if message is None or message.reply_to_message is None or message.from_user is None:
            return
        replied = message.reply_to_message
        if replied.from_user is None or replied.from_user.id != context.bot.id:
            return  # staff talking among themselves
        staff_gettext = gettext_for(self.frontend.settings.staff_lang)
        handoff = self.store.by_staff_message(message.chat.id, replied.message_id)
        if handoff is None:
            await self._tell_staff(context, message, staff_gettext(_(
                "This message is not a partner's question on record (it may have been erased "
                "at the partner's request). Nothing was sent.")))
            return
        lang = self.frontend.sessions.load(handoff.user_id, handoff.lang).lang
        gettext = gettext_for(lang)
        text = "\n".join([f"<i>{escape(shorten(handoff.question, 300))}</i>", "",
                          bold(gettext(_("A partner manager answers:"))),
                          escape((message.text or "").strip(), quote=False)])
        try:
            delivered = await self.frontend.send_reply(context.bot, int(handoff.chat_id),
                                                       Reply(text, kind="handoff_answer"))
        except TelegramError as exc:
            log.warning("hand-off %s: the answer could not be sent: %s", handoff.id,
                        type(exc).__name__)
            delivered = None
        if delivered is None:
            await self._tell_staff(context, message, staff_gettext(_(
                "Not delivered: the partner cannot be reached (they may have blocked the "
                "bot).")))
            return
        self.store.mark_answered(handoff.id)
        log.info("hand-off %s answered by user %s", handoff.id, message.from_user.id)
        await self._tell_staff(context, message, staff_gettext(_("Delivered to the partner.")))

    async def on_paraphrase(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """"pp:N" under a hand-off post: propose the partner's wording for guess N."""
        query = update.callback_query
        assert query is not None
        gettext = gettext_for(self.frontend.settings.staff_lang)
        message = query.message
        _name, _sep, arg = (query.data or "").partition(":")
        handoff = None
        if message is not None and message.chat.id == self.staff_chat_id and arg.isdigit():
            handoff = self.store.by_staff_message(message.chat.id, message.message_id)
        if handoff is None or int(arg) >= len(handoff.guesses):
            await self.frontend.answer_query(query, gettext(_(
                "This question is no longer on record.")))
            return
        entry = handoff.guesses[int(arg)]
        if not self.store.propose(handoff, entry, str(query.from_user.id)):
            await self.frontend.answer_query(query, gettext(_("Already proposed.")))
            return
        log.info("hand-off %s: paraphrase of %s proposed by user %s", handoff.id, entry,
                 query.from_user.id)
        await self.frontend.answer_query(query, shorten(gettext(_(
            "Recorded as a paraphrase of {entry}, for review.")).format(entry=entry), 190))
        text = gettext(_("{name} proposed the partner's wording as a paraphrase of <b>{entry}</b>. "
                         "It is recorded for review (partnerbot suggest); the knowledge files are "
                         "unchanged.")).format(name=escape(query.from_user.full_name),
                                               entry=escape(entry))
        if isinstance(message, Message):
            await self._tell_staff(context, message, text, html=True)

    async def _tell_staff(self, context: ContextTypes.DEFAULT_TYPE, message: Message,
                          text: str, *, html: bool = False) -> None:
        reply = Reply(text if html else escape(text, quote=False), kind="staff")
        try:
            await self.frontend.send_reply(context.bot, message.chat.id, reply,
                                           quote=message.message_id)
        except TelegramError as exc:
            log.info("staff chat %s: no confirmation sent: %s", message.chat.id,
                     type(exc).__name__)

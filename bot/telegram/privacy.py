"""/privacy, /forget and the retention period, for partners' data in the EU.

/privacy says in the user's language what is stored and for how long. /forget asks
to confirm with two buttons ("forget:yes:<user id>", "forget:no"); "yes" erases every
row about that user (`bot.storage.privacy.forget`: questions, feedback, eligibility
results, hand-offs, the session, the user row) and deletes the bot's posts of their
questions in the staff chat where Telegram still allows it. The user id in the button
means a tap by someone else (in a group) erases nothing.

The retention period (PARTNERBOT_RETENTION_DAYS, default 365) is applied once when
the bot starts and then daily by PTB's JobQueue.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from telegram import Message, Update, User
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.dialogue.replies import Button, Reply
from bot.dialogue.session import Session
from bot.storage.handoffs import SqliteHandoffs
from bot.storage.privacy import apply_retention, forget
from bot.telegram.i18n import N_, _, gettext_for, ngettext_for
from bot.telegram.render import bold
from bot.telegram.sessions import user_key

if TYPE_CHECKING:
    from bot.telegram.handlers import TelegramFrontend

log = logging.getLogger(__name__)

ACTION = "forget"
JOB_NAME = "retention"
RETENTION_INTERVAL = timedelta(days=1)

KEPT_FOR = N_("Everything is deleted automatically once it is more than {days} day old.",
              "Everything is deleted automatically once it is more than {days} days old.")


class PrivacyTools:
    def __init__(self, frontend: TelegramFrontend):
        self.frontend = frontend

    @property
    def days(self) -> int:
        return self.frontend.settings.retention_days

    # -- /privacy ----------------------------------------------------------------------
    def explain(self, session: Session, user: User) -> list[Reply]:
        lang = session.lang
        gettext = gettext_for(lang)
        items = [
            _("your language, and when you first and last wrote to me;"),
            _("the questions you ask me, and whether I answered them, asked you to choose or "
              "did not know the answer;"),
            _("your 👍 and 👎 on my answers;"),
            _("the results of your eligibility checks (the program and the tier); the figures "
              "you enter are not kept unless you agree to it;"),
            _("the questions you pass to a partner manager and whether they were answered; "
              "the partner managers also see them in their chat, with your Telegram name;"),
            _("where our conversation stands, so that it continues after a restart."),
        ]
        lines = [bold(gettext(_("What I store about you")))]
        lines += [f"• {gettext(item)}" for item in items]
        lines += ["", bold(gettext(_("For how long"))),
                  ngettext_for(lang)(*KEPT_FOR, self.days).format(days=self.days),
                  gettext(_("Send /forget to erase all of it now."))]
        rows = [[Button(gettext(_("Erase everything about me")), f"{ACTION}:ask")],
                [Button(gettext(_("Menu")), "m")]]
        return [Reply("\n".join(lines), rows, kind="info")]

    # -- /forget -----------------------------------------------------------------------
    def ask(self, session: Session, user: User) -> list[Reply]:
        gettext = gettext_for(session.lang)
        text = gettext(_("Erase everything I store about you: your questions, feedback, "
                         "eligibility results, questions passed to a partner manager, and where "
                         "our conversation stands? This cannot be undone."))
        rows = [[Button(gettext(_("Yes, erase everything")), f"{ACTION}:yes:{user.id}")],
                [Button(gettext(_("No, keep it")), f"{ACTION}:no")]]
        return [Reply(text, rows, kind="forget")]

    async def on_tap(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await self.frontend.answer_query(query)
        user = query.from_user
        message = query.message
        if message is None:
            return
        parts = (query.data or "").split(":")
        verb = parts[1] if len(parts) > 1 else ""
        session = self.frontend.load(user)
        gettext = gettext_for(session.lang)
        if verb == "ask":
            await self.frontend.send(context.bot, message.chat.id, self.ask(session, user))
            return
        if verb == "yes" and parts[2:] == [str(user.id)]:
            removed = await self.erase(context, user)
            log.info("a user erased their data: %d row(s)", removed)
            text = gettext(_("Done: everything I stored about you is erased."))
        elif verb == "no":
            text = gettext(_("Nothing was erased."))
        else:
            return  # someone else's button (in a group), or a stale one
        edit = message if isinstance(message, Message) else None
        await self.frontend.send(context.bot, message.chat.id, [Reply(text, kind="forget")],
                                 edit=edit)

    async def erase(self, context: ContextTypes.DEFAULT_TYPE, user: User) -> int:
        key = user_key(user.id)
        posts = SqliteHandoffs(self.frontend.db).staff_messages_of(key)
        removed = forget(self.frontend.db, key)
        for chat_id, message_id in posts:  # the staff chat's copies of their questions
            try:
                await context.bot.delete_message(chat_id, message_id)
            except TelegramError as exc:  # too old for Telegram, or already deleted
                log.debug("staff chat %s: message %s not deleted: %s", chat_id, message_id,
                          type(exc).__name__)
        return removed

    # -- retention ---------------------------------------------------------------------
    def apply_retention(self) -> int:
        removed = apply_retention(self.frontend.db, self.days)
        log.info("retention (%d days): %d old row(s) deleted", self.days, removed)
        return removed

    async def retention_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            self.apply_retention()
        except Exception:  # a locked or damaged file: try again tomorrow, keep serving
            log.exception("retention failed")

    def schedule(self, app: Application) -> None:
        """Daily from one day after the start (the start itself runs it in post_init)."""
        if app.job_queue is None:
            log.warning("no JobQueue (install python-telegram-bot[job-queue]): retention "
                        "is applied only when the bot starts")
            return
        app.job_queue.run_repeating(self.retention_job, interval=RETENTION_INTERVAL,
                                    first=RETENTION_INTERVAL, name=JOB_NAME)

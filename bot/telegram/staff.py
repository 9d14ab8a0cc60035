"""The staff's commands in Telegram: /stats, /unanswered and /reload.

Staff are the user ids in ADMIN_IDS (see `bot.telegram.settings`). For anyone else
these commands do not exist: the handler passes them to the assistant like any other
unknown command, so the reply is the ordinary "I don't know that command", and they
are not in the public command menu. Everything here reads the same SQLite file the
journal writes (`bot.storage.reports`), and renders it as Telegram HTML with every
stored text escaped, since it is what partners typed.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any

from bot.core import build
from bot.dialogue.replies import Reply, shorten
from bot.knowledgebase import KnowledgeError
from bot.storage import reports
from bot.storage.handoffs import SqliteHandoffs
from bot.telegram.i18n import _, gettext_for
from bot.telegram.render import bold

if TYPE_CHECKING:
    from bot.core import Core
    from bot.telegram.handlers import TelegramFrontend

log = logging.getLogger(__name__)

STAFF_COMMANDS = frozenset({"stats", "unanswered", "reload"})
DAYS_SHOWN = 14  # /stats lists the latest days only
GROUPS_SHOWN = 15
HANDOFFS_SHOWN = 10
PROBLEMS_SHOWN = 15
TEXT_SHOWN = 200  # characters of a partner's question in a list
PROBLEM_SHOWN = 300


class StaffTools:
    def __init__(self, frontend: TelegramFrontend):
        self.frontend = frontend
        self._reload_lock = asyncio.Lock()

    @property
    def db(self):
        return self.frontend.db

    def is_staff(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.frontend.settings.admin_ids

    async def command(self, name: str, arg: str, lang: str) -> list[Reply]:
        if name == "stats":
            return [self.stats(arg, lang)]
        if name == "unanswered":
            return [self.unanswered(lang)]
        if name == "reload":
            return [await self.reload(lang)]
        raise ValueError(f"not a staff command: {name}")

    # -- /stats ------------------------------------------------------------------------
    def stats(self, arg: str, lang: str) -> Reply:
        gettext = gettext_for(lang)
        since = arg.strip() or None
        if since:
            try:
                since = date.fromisoformat(since).isoformat()
            except ValueError:
                return Reply(gettext(_("Usage: /stats, or /stats 2026-01-31 to count from "
                                       "that date on.")), kind="staff")
        return Reply(render_stats(reports.stats(self.db, since), lang, self.frontend.core),
                     kind="staff")

    # -- /unanswered -------------------------------------------------------------------
    def unanswered(self, lang: str) -> Reply:
        groups = reports.unanswered(self.db, limit=GROUPS_SHOWN)
        handoffs = SqliteHandoffs(self.db)
        return Reply(render_unanswered(groups, handoffs.waiting(HANDOFFS_SHOWN),
                                       handoffs.count_waiting(), lang), kind="staff")

    # -- /reload -----------------------------------------------------------------------
    async def reload(self, lang: str) -> Reply:
        """Build a new core from the knowledge folder; swap it in only if it loads whole."""
        gettext = gettext_for(lang)
        settings = self.frontend.settings
        async with self._reload_lock:
            journal = self.frontend.core.assistant.journal
            try:
                core: Core = await asyncio.to_thread(build, settings.kb_root, journal)
            except KnowledgeError as exc:
                log.warning("reload refused: the knowledge base has %d problem(s)",
                            len(exc.problems))
                return Reply(render_refusal([str(p) for p in exc.problems], lang),
                             kind="staff")
            except Exception as exc:  # unreadable folder, a bug in a loader: same rule
                log.exception("reload failed")
                return Reply(render_refusal([f"{type(exc).__name__}: {exc}"], lang),
                             kind="staff")
            self.frontend.core = core
        log.info("knowledge base reloaded: %d entries", len(core.kb.entries))
        return Reply(gettext(_("Knowledge base reloaded. Entries in service: {count}.")).format(
            count=len(core.kb.entries)), kind="staff")


def _percent(rate: float) -> str:
    return f"{round(rate * 100)}%"


def render_stats(report: dict[str, Any], lang: str, core: Core | None = None) -> str:
    gettext = gettext_for(lang)
    period = (gettext(_("since {date}")).format(date=escape(report["since"]))
              if report.get("since") else gettext(_("all time")))
    lines = [bold(gettext(_("Statistics"))) + f" ({period})", ""]
    if not report["questions"]:
        lines.append(gettext(_("No questions recorded yet.")))
    lines.append(gettext(_("Questions: {questions} · users: {users} · feedback: {feedback}"))
                 .format(questions=report["questions"], users=report["users"],
                         feedback=report["feedback"]))
    rates = report["rates"]
    lines.append(gettext(_("Answered: {answer} · clarified: {clarify} · unknown: {unknown}"))
                 .format(answer=_percent(rates["answer"]), clarify=_percent(rates["clarify"]),
                         unknown=_percent(rates["unknown"])))
    per_day = list(report["per_day"].items())[-DAYS_SHOWN:]
    if per_day:
        lines += ["", bold(gettext(_("Questions per day and language")))]
        for day, langs in per_day:
            split = ", ".join(f"{escape(str(k))} {v}" for k, v in sorted(langs.items()))
            lines.append(f"{escape(day)}: {sum(langs.values())} ({split})")
    if report["top_entries"]:
        lines += ["", bold(gettext(_("Most asked entries")))]
        for row in report["top_entries"]:
            lines.append(f"• {row['count']} — {_entry_label(row['entry'], lang, core)}")
    if report["worst_rated"]:
        lines += ["", bold(gettext(_("Worst rated entries")))]
        for row in report["worst_rated"]:
            lines.append(f"• 👎 {row['down']} 👍 {row['up']} — "
                         f"{_entry_label(row['entry'], lang, core)}")
    return "\n".join(lines)


def _entry_label(entry_id: str | None, lang: str, core: Core | None) -> str:
    """The entry id, and its question when the knowledge base in service still has it."""
    label = escape(entry_id or "?")
    entry = core.kb.entries.get(entry_id) if core and entry_id else None
    if entry is not None:
        label += f" <i>{escape(shorten(entry.text(lang).question))}</i>"
    return label


def render_unanswered(groups: list[reports.Group], waiting: list, waiting_count: int,
                      lang: str) -> str:
    gettext = gettext_for(lang)
    lines = [bold(gettext(_("Most frequent unanswered questions")))]
    if not groups:
        lines.append(gettext(_("None recorded.")))
    for i, group in enumerate(groups, 1):
        langs = ", ".join(group.langs)
        lines.append(f"{i}. ×{group.count} [{escape(langs)}] "
                     f"{escape(shorten(group.text, TEXT_SHOWN))}")
        for wording in group.wordings[1:3]:
            lines.append(f"    <i>{escape(shorten(wording, TEXT_SHOWN))}</i>")
    title = gettext(_("Hand-offs waiting for a partner manager: {count}"))
    lines += ["", f"<b>{title.format(count=waiting_count)}</b>"]
    for handoff in waiting:
        lines.append(f"#{handoff.id} · {escape(handoff.created_at[:16].replace('T', ' '))} · "
                     f"{escape(handoff.lang)}: {escape(shorten(handoff.question, TEXT_SHOWN))}")
    return "\n".join(lines)


def render_refusal(problems: list[str], lang: str) -> str:
    gettext = gettext_for(lang)
    lines = [bold(gettext(_("The knowledge base was not reloaded."))),
             gettext(_("The previous one stays in service. Problems found: {count}")).format(
                 count=len(problems)), ""]
    lines += [f"• {escape(shorten(p, PROBLEM_SHOWN))}" for p in problems[:PROBLEMS_SHOWN]]
    if len(problems) > PROBLEMS_SHOWN:
        lines.append(gettext(_("…and more: {count}")).format(
            count=len(problems) - PROBLEMS_SHOWN))
    return "\n".join(lines)

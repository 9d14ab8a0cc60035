"""Playing Telegram users against the real bot: the runner and what tests read back.

`RunningBot` starts the python-telegram-bot `Application` exactly as `run_polling`
would (initialize, post_init, start, start_polling) against `BotAPIEmulator`; its
helpers act as a user and return what the user sees arrive. Each waits until the
application has finished with the update (a handler in a late group marks it), so
tests need no sleeps.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot_api_emulator import TOKEN, BotAPIEmulator
from sqlite_utils import Database
from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.core import Core
from bot.telegram.app import ALLOWED_UPDATES, build_application, close_database
from bot.telegram.network import RetryingLimiter
from bot.telegram.render import split_html
from bot.telegram.sessions import open_store
from bot.telegram.settings import Settings
from bot.templating import to_plain

WAIT = 5.0  # seconds an update may take at most
ADMIN_ID = 9001  # in ADMIN_IDS of the staff bot
STAFF_CHAT_ID = -1009999  # its STAFF_CHAT_ID: the partner managers' group


class RunningBot:
    """One run of the bot process: a fresh Application on a (possibly shared) SQLite file.

    `settings` are the staff settings (ADMIN_IDS, STAFF_CHAT_ID...); `core_factory`,
    given the opened database, builds the core instead of the shared one (to journal
    into that database, as `partnerbot run` does). `read_timeout` and `poll_timeout`
    (seconds) shorten waiting for the Bot API, for tests of slow answers."""

    def __init__(self, emulator: BotAPIEmulator, core: Core, db_path: Path, *,
                 settings: Settings | None = None,
                 core_factory: Callable[[Database], Core] | None = None,
                 read_timeout: float | None = None, poll_timeout: float = 2):
        self.emulator = emulator
        self.read_timeout = read_timeout
        self.poll_timeout = poll_timeout
        self.core = core
        self.db_path = db_path
        self.settings = settings
        self.core_factory = core_factory
        self.app: Application | None = None
        self.done: set[int] = set()
        self._changed = asyncio.Event()

    async def start(self) -> RunningBot:
        self.sessions, self.db = open_store(self.db_path)
        if self.core_factory is not None:
            self.core = self.core_factory(self.db)
        limiter = RetryingLimiter(backoff=0.01)
        app = build_application(self.core, TOKEN, base_url=self.emulator.base_url,
                                sessions=self.sessions, db=self.db, settings=self.settings,
                                limiter=limiter, read_timeout=self.read_timeout)
        app.add_handler(TypeHandler(Update, self._mark_done), group=99)
        self.app = app
        await app.initialize()
        if app.post_init:
            await app.post_init(app)
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=self.poll_timeout,
                                        allowed_updates=ALLOWED_UPDATES)
        return self

    async def stop(self) -> None:
        app = self.app
        if app is None:
            return
        if app.updater and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        close_database(self.db)
        self.app = None

    async def _mark_done(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.done.add(update.update_id)
        self._changed.set()
        self._changed = asyncio.Event()

    async def deliver(self, update: dict[str, Any]) -> list[dict[str, Any]]:
        """Wait until the bot has handled `update`; return the sends and edits it caused."""
        start = len(self.emulator.outbox)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT
        while update["update_id"] not in self.done:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"update {update['update_id']} not handled in {WAIT} s")
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)
        return self.emulator.outbox[start:]

    @property
    def frontend(self):
        assert self.app is not None
        return self.app.bot_data["frontend"]

    # -- a user's actions --------------------------------------------------------------
    async def say(self, user: dict, text: str, **kwargs: Any) -> list[dict[str, Any]]:
        return await self.deliver(self.emulator.send(user, text, **kwargs))

    async def tap(self, user: dict, message: dict, wanted: str, **kwargs: Any
                  ) -> list[dict[str, Any]]:
        """Tap the button of `message` whose label or callback data is `wanted`."""
        data = button_data(message, wanted)
        return await self.deliver(self.emulator.tap(user, message, data, **kwargs))

    async def inline(self, user: dict, query: str) -> dict[str, Any]:
        update = self.emulator.inline(user, query)
        await self.deliver(update)
        answer = self.emulator.inline_queries[update["inline_query"]["id"]]
        assert answer["answered"], "inline query not answered"
        return answer["answer"]


def messages(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e["message"] for e in events]


def text_of(events: list[dict[str, Any]]) -> str:
    return "\n".join(e["message"]["text"] for e in events)


def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


def button_data(message: dict[str, Any], wanted: str) -> str:
    for label, data in buttons(message):
        if wanted in (label, data):
            return data
    raise AssertionError(f"no button {wanted!r} among {buttons(message)}")


def core_says(replies) -> list[str]:
    """The plain texts a user reads for the core's `replies`, message by message."""
    return [to_plain(part) for reply in replies for part in split_html(reply.text.strip())]

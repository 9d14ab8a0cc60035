"""Builds and runs the Telegram bot: `partnerbot run` with BOT_TOKEN set lands here.

Environment:
  BOT_TOKEN      the token from @BotFather (required; never logged)
  BOT_API_URL    optional: a self-hosted Bot API server, e.g. http://localhost:8081
  BOT_API_LOCAL  optional: 1 when that server runs with --local
  PARTNERBOT_DB  optional: the SQLite file (sessions, journal); default in the user's data folder
  LOG_LEVEL      optional: DEBUG, INFO (default), WARNING...
"""

from __future__ import annotations

import logging
import os
import sys

from telegram import Update
from telegram.ext import Application

from bot.core import Core
from bot.telegram import redact
from bot.telegram.commands import set_commands
from bot.telegram.handlers import TelegramFrontend
from bot.telegram.network import PerUserProcessor, RetryingLimiter, aio_rate_limiter
from bot.telegram.sessions import SessionStore, open_store

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY,
                   Update.INLINE_QUERY]


def api_urls(url: str) -> tuple[str, str | None]:
    """BOT_API_URL -> (base_url, base_file_url) as PTB wants them.

    Accepts the server's root ("http://host:8081"), the same with "/bot", or a URL
    with a "{token}" placeholder (used as it is).
    """
    url = url.strip().rstrip("/")
    if "{" in url:
        return url, None
    root = url[: -len("/bot")] if url.endswith("/bot") else url
    return f"{root}/bot", f"{root}/file/bot"


async def _post_init(app: Application) -> None:
    await set_commands(app.bot)


def build_application(core: Core, token: str, *, base_url: str | None = None,
                      sessions: SessionStore | None = None, local_mode: bool = False,
                      concurrency: int = 256, limiter: RetryingLimiter | None = None,
                      ) -> Application:
    """The python-telegram-bot `Application` with every handler, ready to start."""
    redact.install(token)  # before the Bot exists: it logs its URL, token included
    builder = Application.builder().token(token)
    if base_url:
        api, files = api_urls(base_url)
        builder = builder.base_url(api)
        if files:
            builder = builder.base_file_url(files)
        builder = builder.local_mode(local_mode)
    builder = (builder
               .rate_limiter(limiter or RetryingLimiter(aio_rate_limiter()))
               .concurrent_updates(PerUserProcessor(concurrency))
               .post_init(_post_init))
    app = builder.build()
    frontend = TelegramFrontend(core, sessions if sessions is not None else open_store()[0])
    frontend.register(app)
    app.bot_data["frontend"] = frontend
    return app


def configure_logging() -> None:
    level = os.environ.get("LOG_LEVEL", "INFO").upper()
    logging.basicConfig(level=level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if level != "DEBUG":
        logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request otherwise


def run_from_env() -> None:
    """Start polling with BOT_TOKEN (and BOT_API_URL, if set) until interrupted."""
    from bot.core import build
    from bot.knowledgebase import KnowledgeError
    from bot.storage.records import SqliteJournal

    token = os.environ.get("BOT_TOKEN", "").strip()
    if not token:
        sys.exit("BOT_TOKEN is not set.")
    redact.install(token)
    configure_logging()
    sessions, db = open_store()
    try:
        core = build(journal=SqliteJournal(db))
    except KnowledgeError as exc:
        sys.exit(str(exc))
    app = build_application(core, token, base_url=os.environ.get("BOT_API_URL") or None,
                            sessions=sessions,
                            local_mode=os.environ.get("BOT_API_LOCAL", "") in ("1", "true"))
    log.info("starting the Telegram bot (polling)")
    app.run_polling(allowed_updates=ALLOWED_UPDATES)

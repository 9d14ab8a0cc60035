"""Builds and runs the Telegram bot: `partnerbot run` with BOT_TOKEN set lands here.

Environment:
  BOT_TOKEN      the token from @BotFather (required; never logged)
  BOT_API_URL    optional: a self-hosted Bot API server, e.g. http://localhost:8081
  BOT_API_LOCAL  optional: 1 when that server runs with --local
  PARTNERBOT_DB  optional: the SQLite file (sessions, journal); default in the user's data folder
  LOG_LEVEL      optional: DEBUG, INFO (default), WARNING...
  LOG_FORMAT     optional: text (default) or json (one JSON object a line)
  WEBHOOK_URL, WEBHOOK_SECRET, WEBHOOK_LISTEN, WEBHOOK_PORT: webhook mode instead of
                 polling, with python-telegram-bot's own webhook server
  BOT_RATE_LIMIT optional: calls a second across all chats (default: no overall pacing)
  ADMIN_IDS, STAFF_CHAT_ID, STAFF_LANG, PARTNERBOT_RETENTION_DAYS: see
                 `bot.telegram.settings` (a malformed value stops the start)

Shutdown: SIGINT, SIGTERM and SIGABRT stop the bot gracefully (python-telegram-bot's
default for run_polling and run_webhook): it stops fetching updates, finishes the ones
in flight, then closes the database. Each update's session and journal rows are
written when that update is handled, so nothing waits for the shutdown to be saved;
only while another process locks the database file are they kept in memory (and
retried every second, and once more, for up to 5 s, before the database closes).
"""

from __future__ import annotations

import gc
import logging
import os
import sys

from sqlite_utils import Database
from telegram import Update
from telegram.ext import Application, ContextTypes

from bot.core import Core
from bot.storage.writebehind import writes_for
from bot.telegram import redact
from bot.telegram.commands import set_commands
from bot.telegram.handlers import TelegramFrontend
from bot.telegram.network import PerUserProcessor, RetryingLimiter, aio_rate_limiter
from bot.telegram.sessions import SessionStore, open_store
from bot.telegram.settings import ConfigError, Settings, is_on
from bot.telegram.transport import AiohttpRequest

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY,
                   Update.INLINE_QUERY]
FLUSH_SECONDS = 1.0  # how often writes kept while the database was locked are retried


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
    frontend: TelegramFrontend = app.bot_data["frontend"]
    try:
        frontend.privacy.apply_retention()  # once at the start; then daily (JobQueue)
    except Exception:  # the bot still serves; tomorrow's run tries again
        log.exception("retention failed at start")
    await set_commands(app.bot)


def build_application(core: Core, token: str, *, base_url: str | None = None,
                      sessions: SessionStore | None = None, db: Database | None = None,
                      settings: Settings | None = None, local_mode: bool = False,
                      concurrency: int = 256, limiter: RetryingLimiter | None = None,
                      read_timeout: float | None = None) -> Application:
    """The python-telegram-bot `Application` with every handler, ready to start.

    `read_timeout`: seconds to wait for the Bot API's answer (PTB's default is 5, and
    getUpdates adds its long-polling time); tests shorten it to meet slow answers fast.

    `sessions` and `db` should be the same SQLite file (`open_store` gives both); the
    core's journal should write to it too (`build(journal=SqliteJournal(db))`), so that
    questions and feedback reach the staff's statistics.
    """
    redact.install(token)  # before the Bot exists: it logs its URL, token included
    settings = settings or Settings()
    builder = Application.builder().token(token)
    if base_url:
        api, files = api_urls(base_url)
        builder = builder.base_url(api)
        if files:
            builder = builder.base_file_url(files)
        builder = builder.local_mode(local_mode)
    patience = 5.0 if read_timeout is None else read_timeout
    builder = (builder
               .request(AiohttpRequest(connection_pool_size=256, read_timeout=patience))
               .get_updates_request(AiohttpRequest(connection_pool_size=1,
                                                   read_timeout=patience))
               .rate_limiter(limiter or RetryingLimiter(aio_rate_limiter(settings.rate_limit)))
               .concurrent_updates(PerUserProcessor(concurrency))
               .post_init(_post_init))
    app = builder.build()
    if sessions is None:
        sessions, opened = open_store()
        db = db if db is not None else opened
    frontend = TelegramFrontend(core, sessions, db, settings)
    frontend.register(app)
    frontend.privacy.schedule(app)
    if app.job_queue is not None:
        app.job_queue.run_repeating(_flush_writes, interval=FLUSH_SECONDS, first=FLUSH_SECONDS,
                                    data=frontend.db, name="flush-writes")
    app.bot_data["frontend"] = frontend
    return app


async def _flush_writes(context: ContextTypes.DEFAULT_TYPE) -> None:
    writes_for(context.job.data).flush()


def close_database(db: Database) -> None:
    """After the bot stopped: the writes kept from a locked moment, then the file."""
    writes_for(db).close()
    db.close()


def configure_logging(settings: Settings | None = None) -> None:
    """LOG_LEVEL and LOG_FORMAT (from `settings`, else the environment)."""
    from bot import logs

    if settings is None:
        settings = Settings(log_level=os.environ.get("LOG_LEVEL", "INFO").upper(),
                            log_format=os.environ.get("LOG_FORMAT", "text").lower())
    logs.configure(settings.log_level, settings.log_format)


def run_from_env() -> None:
    """Start with BOT_TOKEN (and BOT_API_URL, if set) until SIGINT/SIGTERM: polling, or
    webhook mode when WEBHOOK_URL is set."""
    from bot.core import build
    from bot.knowledgebase import KnowledgeError
    from bot.storage.db import default_path
    from bot.storage.records import SqliteJournal

    token = os.environ.get("BOT_TOKEN", "").strip()
    if not token:
        sys.exit("BOT_TOKEN is not set.")
    redact.install(token)
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        sys.exit(f"Configuration error: {exc}")
    configure_logging(settings)
    try:
        sessions, db = open_store()
    except Exception as exc:  # a folder it may not create, a read-only or corrupt file
        sys.exit(f"Cannot open the database {default_path()} (PARTNERBOT_DB): {exc}")
    try:
        core = build(settings.kb_root, journal=SqliteJournal(db))  # questions and feedback
    except KnowledgeError as exc:
        sys.exit(str(exc))
    app = build_application(core, token, base_url=os.environ.get("BOT_API_URL") or None,
                            sessions=sessions, db=db, settings=settings,
                            local_mode=is_on(os.environ.get("BOT_API_LOCAL")))
    # The knowledge base and the libraries live as long as the process: frozen, they are
    # out of the collector's sight, so a full collection no longer walks them (in the
    # middle of a reply: up to 87 ms before, under 10 ms after).
    gc.collect()
    gc.freeze()
    log.info("staff: %d admin(s); hand-offs %s; retention %d days", len(settings.admin_ids),
             "on" if settings.staff_chat_id is not None else "off", settings.retention_days)
    try:
        hook = settings.webhook
        if hook is None:
            log.info("starting the Telegram bot (polling)")
            app.run_polling(allowed_updates=ALLOWED_UPDATES)
        else:
            redact.install(hook.secret)  # a credential like the token: masked if ever logged
            log.info("starting the Telegram bot (webhook %s, listening on %s:%d)",
                     hook.url, hook.listen, hook.port)
            app.run_webhook(listen=hook.listen, port=hook.port, url_path=hook.url_path,
                            webhook_url=hook.url, secret_token=hook.secret,
                            allowed_updates=ALLOWED_UPDATES)
    finally:
        close_database(db)
    log.info("stopped")

"""Where the bot keeps each user's `Session` between updates and across restarts.

The sessions live in the assistant's one SQLite file (the storage layer's `sessions`
table, created by its migrations), so a restart in the middle of an interview resumes
it. The file is PARTNERBOT_DB, else `partnerbot.sqlite3` in
`platformdirs.user_data_dir("partnerbot")` (see `bot.storage.db.default_path`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from sqlite_utils import Database

from bot.dialogue.session import Session
from bot.storage.db import default_path, open_database
from bot.storage.records import SqliteSessions


class SessionStore(Protocol):
    """What the adapter needs: `MemorySessions` and `SqliteSessions` both fit."""

    def load(self, user_id: str, default_lang: str = "ru") -> Session: ...

    def save(self, session: Session) -> None: ...


BUSY_MS = 250  # how long an update waits for another process's write lock


def open_store(path: Path | str | None = None) -> tuple[SqliteSessions, Database]:
    """The session store on the SQLite file at `path` (default: PARTNERBOT_DB or the
    user's data folder), and the database, for the journal to share.

    The bot waits only `BUSY_MS` for a write lock held by another process: the writes
    that cannot wait are kept and written when the file is free (`writebehind`)."""
    db = open_database(Path(path) if path else default_path())
    db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
    return SqliteSessions(db), db


def user_key(user_id: int) -> str:
    """A Telegram user's session key: the numeric id, as text."""
    return str(user_id)

"""Opening the database: WAL for concurrent readers, a busy timeout for short locks."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from platformdirs import user_data_dir
from sqlite_utils import Database

from bot.storage.schema import migrations


def default_path() -> Path:
    if env := os.environ.get("PARTNERBOT_DB"):
        return Path(env)
    return Path(user_data_dir("partnerbot")) / "partnerbot.sqlite3"


def open_database(path: Path | str | None = None, *, migrate: bool = True) -> Database:
    """The database at `path` (PARTNERBOT_DB, else the user's data folder), migrated."""
    path = Path(path) if path else default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(path)
    db.execute("PRAGMA busy_timeout = 10000")  # another writer: wait, don't fail
    db.enable_wal()
    db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: a crash loses no committed row
    if migrate:
        migrations.apply(db)
    return db


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")

"""Writes that outlast a locked database file instead of failing, or stalling the bot.

Another process (a backup, someone's `sqlite3` shell) may hold the database's write lock
longer than a user should wait for an answer. Each database gets one `WriteBehind`
(`writes_for(db)`): a write is tried at once; while the file is locked it is kept, in
order with the writes after it, and `flush()` (called every second by the Telegram bot)
tries again. `close()` waits longer for the last ones before the database is closed.
The writes kept are in memory only: a crash while the file is locked loses them.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import deque
from collections.abc import Callable
from weakref import WeakKeyDictionary

from sqlite_utils import Database

log = logging.getLogger(__name__)

Write = Callable[[Database], object]
_QUEUES: WeakKeyDictionary[Database, WriteBehind] = WeakKeyDictionary()


def is_locked(exc: sqlite3.OperationalError) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(exc)


class WriteBehind:
    def __init__(self, db: Database):
        self.db = db
        self.pending: deque[Write] = deque()

    def write(self, op: Write) -> None:
        """Run `op(db)` now, or after the writes waiting before it if the file is locked.
        Other errors of a write run now are raised, as before."""
        if self.pending:  # the file is locked: waiting once per flush is enough
            self.pending.append(op)
            return
        try:
            op(self.db)
        except sqlite3.OperationalError as exc:
            if not is_locked(exc):
                raise
            log.warning("the database is locked: keeping writes until it is free")
            self.pending.append(op)

    def flush(self) -> bool:
        """Run the waiting writes in order; False while the file is still locked."""
        while self.pending:
            try:
                self.pending[0](self.db)
            except sqlite3.OperationalError as exc:
                if is_locked(exc):
                    return False
                log.exception("a kept write failed and is dropped")
            except Exception:  # a write that will never succeed must not block the rest
                log.exception("a kept write failed and is dropped")
            self.pending.popleft()
        return True

    def close(self, wait_ms: int = 5000) -> None:
        """Before the database closes: wait up to `wait_ms` for the lock, then give up
        (and say how many writes are lost)."""
        if not self.pending:
            return
        self.db.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        if not self.flush():
            log.error("the database stayed locked: %d write(s) lost", len(self.pending))
            self.pending.clear()


def writes_for(db: Database) -> WriteBehind:
    """The one write-behind queue of `db` (the sessions and the journal share it)."""
    queue = _QUEUES.get(db)
    if queue is None:
        queue = _QUEUES[db] = WriteBehind(db)
    return queue

"""What the conversation reports, written to SQLite: the `Journal` and the sessions.

Their writes go through the database's write-behind queue (`writebehind`), so a file
locked by another process delays them instead of failing the user's update."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from bot.dialogue.session import Session
from bot.matcher import Match
from bot.storage.db import now
from bot.storage.writebehind import writes_for
from bot.textnorm import fold, words


class SqliteJournal:
    def __init__(self, db: Database):
        self.db = db

    def touch_user(self, user_id: str, lang: str, stamp: str | None = None) -> None:
        stamp = stamp or now()
        self.db.execute(
            "INSERT INTO users (id, lang, first_seen, last_seen) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET lang = excluded.lang, last_seen = excluded.last_seen",
            [user_id, lang, stamp, stamp])

    def question(self, user_id: str, text: str, lang: str, match: Match) -> None:
        row = {
            "user_id": user_id, "text": text, "lang": lang, "outcome": match.kind,
            "entry": match.entry, "score": match.score100,
            "suggestions": json.dumps([c.entry for c in match.suggestions]),
            "asked_at": now(), "normalized": fold(" ".join(words(text))),
        }

        def write(db: Database) -> None:
            with db.atomic():
                self.touch_user(user_id, lang, stamp=row["asked_at"])
                db["questions"].insert(row)

        writes_for(self.db).write(write)

    def feedback(self, user_id: str, entry: str, up: bool, comment: str | None = None) -> None:
        row = {"user_id": user_id, "entry": entry, "up": int(up), "comment": comment,
               "at": now()}
        writes_for(self.db).write(lambda db: db["feedback"].insert(row))

    def eligibility(self, user_id: str, program: str, result: str,
                    facts: dict[str, Any] | None = None) -> None:
        """Facts are kept only when the user agreed; the result alone otherwise."""
        row = {"user_id": user_id, "program": program, "result": result,
               "facts": json.dumps(facts) if facts else None, "at": now()}
        writes_for(self.db).write(lambda db: db["eligibility"].insert(row))


class SqliteSessions:
    """Sessions as JSON rows, so a conversation resumes after a restart or a crash.

    A save that waits for a locked file is remembered here until it lands, so the next
    update of that user reads the state it left."""

    def __init__(self, db: Database):
        self.db = db
        self.unsaved: dict[str, str] = {}  # user id -> JSON waiting for the database

    def load(self, user_id: str, default_lang: str = "ru") -> Session:
        if user_id in self.unsaved:
            rows = [{"data": self.unsaved[user_id]}]
        else:
            rows = list(self.db.query("SELECT data FROM sessions WHERE user_id = ?",
                                      [user_id]))
        if rows:
            try:
                return Session.from_dict(json.loads(rows[0]["data"]))
            except (ValueError, TypeError):
                pass  # a damaged row: start afresh rather than fail the user
        return Session(user_id, lang=default_lang)

    def save(self, session: Session) -> None:
        user_id = session.user_id
        data = json.dumps(session.to_dict(), ensure_ascii=False)
        self.unsaved[user_id] = data

        def write(db: Database) -> None:
            db.execute(
                "INSERT INTO sessions (user_id, data, updated) VALUES (?, ?, ?) ON CONFLICT"
                "(user_id) DO UPDATE SET data = excluded.data, updated = excluded.updated",
                [user_id, data, now()])
            if self.unsaved.get(user_id) == data:  # no later save is waiting
                del self.unsaved[user_id]

        writes_for(self.db).write(write)

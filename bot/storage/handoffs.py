"""Questions passed to a partner manager, and the paraphrases staff propose from them.

A hand-off is one partner's question posted in the staff chat. Its row remembers which
staff-chat message carries it, so a staff member's reply to that message finds its way
back to the partner, and the bot's best guesses shown under it, so one tap can propose
the partner's wording as a paraphrase of one of them. Proposals are only recorded here
for review (`partnerbot suggest`); nothing writes the knowledge files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from bot.storage.db import now

OPEN = "open"
ANSWERED = "answered"


@dataclass
class Handoff:
    id: int
    user_id: str
    chat_id: str  # where the answer goes: the partner's private chat
    question: str
    lang: str
    staff_chat_id: int | None
    staff_message_id: int | None
    status: str
    created_at: str
    answered_at: str | None = None
    guesses: list[str] = field(default_factory=list)  # entry ids, best first

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Handoff:
        try:
            guesses = json.loads(row.get("guesses") or "[]")
        except ValueError:
            guesses = []
        return cls(id=row["id"], user_id=row["user_id"], chat_id=row["chat_id"],
                   question=row["question"] or "", lang=row["lang"] or "",
                   staff_chat_id=row.get("staff_chat_id"),
                   staff_message_id=row.get("staff_message_id"), status=row["status"] or OPEN,
                   created_at=row["created_at"] or "", answered_at=row.get("answered_at"),
                   guesses=[g for g in guesses if isinstance(g, str)])


class SqliteHandoffs:
    def __init__(self, db: Database):
        self.db = db

    def create(self, *, user_id: str, chat_id: str, question: str, lang: str,
               staff_chat_id: int, staff_message_id: int, guesses: list[str]) -> Handoff:
        row = {"user_id": user_id, "chat_id": chat_id, "question": question, "lang": lang,
               "staff_chat_id": staff_chat_id, "staff_message_id": staff_message_id,
               "status": OPEN, "created_at": now(), "answered_at": None,
               "guesses": json.dumps(guesses)}
        row_id = self.db["handoffs"].insert(row).last_pk
        return Handoff.from_row({**row, "id": row_id})

    def get(self, handoff_id: int) -> Handoff | None:
        rows = list(self.db.query("SELECT * FROM handoffs WHERE id = ?", [handoff_id]))
        return Handoff.from_row(rows[0]) if rows else None

    def by_staff_message(self, staff_chat_id: int, message_id: int) -> Handoff | None:
        """The hand-off a staff-chat message carries (rows from before m003 knew no chat)."""
        rows = list(self.db.query(
            "SELECT * FROM handoffs WHERE staff_message_id = ? "
            "AND (staff_chat_id = ? OR staff_chat_id IS NULL) ORDER BY id DESC LIMIT 1",
            [message_id, staff_chat_id]))
        return Handoff.from_row(rows[0]) if rows else None

    def open_for(self, user_id: str) -> list[Handoff]:
        rows = self.db.query("SELECT * FROM handoffs WHERE user_id = ? AND status = ? "
                             "ORDER BY id", [user_id, OPEN])
        return [Handoff.from_row(r) for r in rows]

    def waiting(self, limit: int = 20) -> list[Handoff]:
        """Hand-offs no staff member has answered yet, oldest first."""
        rows = self.db.query("SELECT * FROM handoffs WHERE status = ? ORDER BY created_at, id "
                             "LIMIT ?", [OPEN, limit])
        return [Handoff.from_row(r) for r in rows]

    def count_waiting(self) -> int:
        return next(iter(self.db.query(
            "SELECT COUNT(*) AS n FROM handoffs WHERE status = ?", [OPEN])))["n"]

    def mark_answered(self, handoff_id: int) -> None:
        """Answered from the first reply on; later replies keep the first time."""
        self.db.execute("UPDATE handoffs SET status = ?, answered_at = COALESCE(answered_at, ?) "
                        "WHERE id = ?", [ANSWERED, now(), handoff_id])

    def staff_messages_of(self, user_id: str) -> list[tuple[int, int]]:
        """(chat, message) of every staff-chat message that shows this user's questions."""
        rows = self.db.query("SELECT staff_chat_id, staff_message_id FROM handoffs "
                             "WHERE user_id = ? AND staff_chat_id IS NOT NULL "
                             "AND staff_message_id IS NOT NULL", [user_id])
        return [(r["staff_chat_id"], r["staff_message_id"]) for r in rows]

    def propose(self, handoff: Handoff, entry: str, proposed_by: str) -> bool:
        """Record the partner's wording as a paraphrase of `entry`; False if it already is."""
        with self.db.atomic():
            exists = list(self.db.query(
                "SELECT 1 FROM paraphrase_proposals WHERE entry = ? AND lang = ? AND text = ? "
                "LIMIT 1", [entry, handoff.lang, handoff.question]))
            if exists:
                return False
            self.db["paraphrase_proposals"].insert({
                "entry": entry, "lang": handoff.lang, "text": handoff.question,
                "proposed_by": proposed_by, "at": now(), "handoff_id": handoff.id})
        return True

    def proposals(self) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM paraphrase_proposals ORDER BY at, id"))

"""Erasure on request and the retention period, for partners' data in the EU."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from bot.storage.writebehind import writes_for

USER_TABLES = {"questions": "user_id", "feedback": "user_id", "eligibility": "user_id",
               "handoffs": "user_id", "sessions": "user_id", "users": "id"}
DATED = {"questions": "asked_at", "feedback": "at", "eligibility": "at",
         "handoffs": "created_at", "sessions": "updated", "users": "last_seen",
         "paraphrase_proposals": "at"}


def forget(db: Database, user_id: str) -> int:
    """Erase everything stored about one user; returns the number of rows removed."""
    writes_for(db).flush()  # rows kept from a locked moment must not land after the erase
    removed = 0
    with db.atomic():
        # the user's own wording, proposed by staff as a paraphrase from one of their
        # hand-offs: still theirs until someone has copied it into the knowledge files
        if "handoff_id" in db["paraphrase_proposals"].columns_dict:
            removed += db.execute(
                "DELETE FROM paraphrase_proposals WHERE handoff_id IN "
                "(SELECT id FROM handoffs WHERE user_id = ?)", [user_id]).rowcount
        for table, column in USER_TABLES.items():
            cursor = db.execute(f"DELETE FROM {table} WHERE {column} = ?", [user_id])
            removed += cursor.rowcount
    return removed


def apply_retention(db: Database, days: int, *, today: datetime | None = None) -> int:
    """Delete what is older than `days`; returns the number of rows removed."""
    cutoff = ((today or datetime.now(UTC)) - timedelta(days=days)).isoformat(timespec="seconds")
    removed = 0
    with db.atomic():
        for table, column in DATED.items():
            removed += db.execute(f"DELETE FROM {table} WHERE {column} < ?", [cutoff]).rowcount
    return removed

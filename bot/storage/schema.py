"""The database schema as forward migrations: an old file upgrades in place on start."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("partnerbot")


@migrations()
def m001_initial(db: Database) -> None:
    db["users"].create({"id": str, "lang": str, "first_seen": str, "last_seen": str}, pk="id")
    db["sessions"].create({"user_id": str, "data": str, "updated": str}, pk="user_id")
    db["questions"].create({
        "id": int, "user_id": str, "text": str, "lang": str, "outcome": str, "entry": str,
        "score": int, "suggestions": str, "asked_at": str,
    }, pk="id")
    db["questions"].create_index(["asked_at"])
    db["questions"].create_index(["outcome"])
    db["feedback"].create({"id": int, "user_id": str, "entry": str, "up": int,
                           "comment": str, "at": str}, pk="id")
    db["eligibility"].create({"id": int, "user_id": str, "program": str, "result": str,
                              "facts": str, "at": str}, pk="id")


@migrations()
def m002_handoffs(db: Database) -> None:
    """Questions passed to a partner manager, and staff's proposed paraphrases."""
    db["handoffs"].create({
        "id": int, "user_id": str, "chat_id": str, "question": str, "lang": str,
        "staff_message_id": int, "status": str, "created_at": str, "answered_at": str,
    }, pk="id")
    db["paraphrase_proposals"].create({
        "id": int, "entry": str, "lang": str, "text": str, "proposed_by": str, "at": str,
    }, pk="id")
    db["questions"].add_column("normalized", str)


@migrations()
def m003_handoff_details(db: Database) -> None:
    """Which staff chat holds a hand-off, the bot's guesses shown there (for the paraphrase
    buttons), and which hand-off a proposed paraphrase came from."""
    db["handoffs"].add_column("staff_chat_id", int)
    db["handoffs"].add_column("guesses", str)  # JSON list of entry ids, best first
    db["handoffs"].create_index(["staff_chat_id", "staff_message_id"])
    db["handoffs"].create_index(["user_id"])
    db["handoffs"].create_index(["status"])
    db["paraphrase_proposals"].add_column("handoff_id", int)


LATEST = "m003_handoff_details"

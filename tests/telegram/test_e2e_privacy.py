"""/privacy, /forget and the retention job against the real bot and a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tg_harness import STAFF_CHAT_ID, buttons, messages

from bot.storage.handoffs import SqliteHandoffs
from bot.telegram.privacy import JOB_NAME, RETENTION_INTERVAL

ROWS_OF = {"users": "id", "sessions": "user_id", "questions": "user_id",
           "feedback": "user_id", "eligibility": "user_id", "handoffs": "user_id"}


def _rows_of(db, user_id: str) -> dict[str, int]:
    return {table: db[table].count_where(f"{column} = ?", [user_id])
            for table, column in ROWS_OF.items()}


@pytest.mark.parametrize(("code", "title", "kept"), [
    ("ru", "Что я храню о вас", "Всё хранится не дольше 30 дней и затем удаляется"),
    ("fr", "Ce que je conserve sur vous", "Tout est supprimé automatiquement au bout de 30 jours."),
    ("pl", "Co o Tobie przechowuję", "Wszystko jest automatycznie usuwane po 30 dniach."),
])
async def test_privacy_says_what_is_stored_and_for_how_long(staff_bot, emulator, code, title,
                                                            kept):
    user = emulator.user(701, language_code=code)
    (reply,) = messages(await staff_bot.say(user, "/privacy"))
    lines = reply["text"].splitlines()
    assert lines[0] == title
    assert len([line for line in lines if line.startswith("• ")]) == 6
    assert kept in reply["text"]  # PARTNERBOT_RETENTION_DAYS=30 for this bot
    assert "/forget" in lines[-1]
    assert buttons(reply)[0][1] == "forget:ask"


async def test_privacy_uses_the_default_retention(bot, emulator):
    (reply,) = messages(await bot.say(emulator.user(702, language_code="ru"), "/privacy"))
    assert "не дольше 365 дней" in reply["text"]


async def test_forget_asks_then_erases_everything_about_the_user(staff_bot, emulator):
    db = staff_bot.db
    user = emulator.user(703, "Ola", language_code="pl")
    other = emulator.user(704, language_code="ru")
    answer = messages(await staff_bot.say(user, "ile obrotu na gold"))[0]
    await staff_bot.tap(user, answer, "👎")
    unknown = messages(await staff_bot.say(user, "gdzie kupić pizzę"))[0]
    (post,) = [e["message"] for e in await staff_bot.tap(user, unknown, "handoff")
               if e["chat_id"] == STAFF_CHAT_ID]
    db["eligibility"].insert({"user_id": "703", "program": "sophos", "result": "silver",
                              "at": datetime.now(UTC).isoformat()})
    handoff = SqliteHandoffs(db).waiting()[0]
    SqliteHandoffs(db).propose(handoff, "sophos.tiers.gold", "9001")
    await staff_bot.say(other, "сколько оборота на голд софос")
    mine = _rows_of(db, "703")
    assert all(mine.values()), mine
    theirs = _rows_of(db, "704")

    (ask,) = messages(await staff_bot.say(user, "/forget"))
    assert ask["text"].startswith("Usunąć wszystko, co o Tobie przechowuję")
    assert buttons(ask) == [("Tak, usuń wszystko", "forget:yes:703"),
                            ("Nie, zachowaj", "forget:no")]
    (kept,) = messages(await staff_bot.tap(user, ask, "forget:no"))
    assert kept["text"] == "Nic nie zostało usunięte." and kept["message_id"] == ask["message_id"]
    assert _rows_of(db, "703") == mine

    (ask,) = messages(await staff_bot.say(user, "/forget"))
    intruder = emulator.user(705, language_code="ru")
    assert await staff_bot.tap(intruder, ask, "forget:yes:703") == []  # not their button
    assert _rows_of(db, "703") == mine and _rows_of(db, "705")["users"] == 0

    (done,) = messages(await staff_bot.tap(user, ask, "forget:yes:703"))
    assert done["text"] == "Gotowe: wszystkie dane o Tobie zostały usunięte."
    assert done["message_id"] == ask["message_id"]  # the question becomes the answer
    assert _rows_of(db, "703") == dict.fromkeys(ROWS_OF, 0)
    assert db["paraphrase_proposals"].count == 0  # their wording, from their hand-off
    assert (STAFF_CHAT_ID, post["message_id"]) not in emulator.messages  # the staff's copy
    assert _rows_of(db, "704") == theirs  # nobody else's
    assert emulator.unanswered_callback_queries() == []

    # the conversation starts afresh: Telegram's language again, nothing remembered
    assert staff_bot.sessions.load("703", "ru").lang == "ru"
    await staff_bot.say(user, "/start")
    assert _rows_of(db, "703")["sessions"] == 1 and _rows_of(db, "703")["questions"] == 0


async def test_the_privacy_button_leads_to_the_confirmation(staff_bot, emulator):
    user = emulator.user(706, language_code="fr")
    (privacy,) = messages(await staff_bot.say(user, "/privacy"))
    (ask,) = messages(await staff_bot.tap(user, privacy, "forget:ask"))
    assert buttons(ask)[0] == ("Oui, tout effacer", "forget:yes:706")


def _old_rows(db, user_id: str, when: str) -> None:
    db["users"].insert({"id": user_id, "lang": "ru", "first_seen": when, "last_seen": when})
    db["questions"].insert({"user_id": user_id, "text": "old", "lang": "ru",
                            "outcome": "unknown", "asked_at": when})
    db["feedback"].insert({"user_id": user_id, "entry": "sophos.tiers.gold", "up": 0,
                           "at": when})


async def test_retention_runs_at_start_and_daily(bot_factory, emulator, staff_settings,
                                                 tmp_path):
    from bot.storage.db import open_database

    path = tmp_path / "retention.sqlite3"
    db = open_database(path)
    old = (datetime.now(UTC) - timedelta(days=31)).isoformat(timespec="seconds")
    recent = (datetime.now(UTC) - timedelta(days=29)).isoformat(timespec="seconds")
    _old_rows(db, "801", old)
    _old_rows(db, "802", recent)
    db.close()

    running = await bot_factory(path, settings=staff_settings)  # 30 days
    db = running.db
    assert [r["id"] for r in db["users"].rows] == ["802"]  # applied once at the start
    assert db["questions"].count == 1 and db["feedback"].count == 1

    (job,) = running.app.job_queue.get_jobs_by_name(JOB_NAME)
    assert job.job.trigger.interval == RETENTION_INTERVAL  # then daily
    _old_rows(db, "803", old)
    await job.run(running.app)
    assert [r["id"] for r in db["users"].rows] == ["802"]
    assert db["questions"].count == 1

"""Hand-offs and proposed paraphrases against a real SQLite file: migration, records,
erasure, retention, and what `partnerbot suggest` shows."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlite_utils import Database

from bot.matcher import Candidate, Match
from bot.storage.db import open_database
from bot.storage.handoffs import ANSWERED, OPEN, SqliteHandoffs
from bot.storage.privacy import apply_retention, forget
from bot.storage.reports import proposals, suggest
from bot.storage.schema import LATEST, migrations


@pytest.fixture
def db(tmp_path) -> Database:
    return open_database(tmp_path / "bot.sqlite3")


def _handoff(store, user="u1", message_id=10, question="сколько стоит обучение?",
             guesses=("sophos.tiers.gold", "sophos.tiers.silver")):
    return store.create(user_id=user, chat_id=user, question=question, lang="ru",
                        staff_chat_id=-100, staff_message_id=message_id, guesses=list(guesses))


def test_m003_upgrades_an_m002_file_in_place(tmp_path):
    path = tmp_path / "m002.sqlite3"
    old = Database(path)
    migrations.apply(old, stop_before="m003_handoff_details")
    old["handoffs"].insert({"user_id": "u1", "chat_id": "u1", "question": "старый вопрос",
                            "lang": "ru", "staff_message_id": 5, "status": "open",
                            "created_at": "2026-01-01T00:00:00+00:00"})
    old["paraphrase_proposals"].insert({"entry": "e", "lang": "ru", "text": "t",
                                        "proposed_by": "9", "at": "2026-01-01"})
    old.close()
    db = open_database(path)
    assert LATEST == "m003_handoff_details"
    assert {m.name for m in migrations.applied(db)} >= {LATEST}
    assert {"staff_chat_id", "guesses"} <= set(db["handoffs"].columns_dict)
    assert "handoff_id" in db["paraphrase_proposals"].columns_dict
    store = SqliteHandoffs(db)
    (row,) = store.waiting()
    assert (row.question, row.guesses, row.staff_chat_id) == ("старый вопрос", [], None)
    assert store.by_staff_message(-100, 5) == row  # no chat recorded then: any chat
    assert db["paraphrase_proposals"].count == 1


def test_a_handoff_from_post_to_answer(db):
    store = SqliteHandoffs(db)
    first = _handoff(store)
    second = _handoff(store, user="u2", message_id=11, question="другой вопрос")
    assert store.by_staff_message(-100, 10) == first
    assert store.by_staff_message(-200, 10) is None  # another chat's message 10
    assert store.by_staff_message(-100, 99) is None
    assert [h.id for h in store.waiting()] == [first.id, second.id]
    assert store.count_waiting() == 2 and [h.id for h in store.open_for("u1")] == [first.id]

    store.mark_answered(first.id)
    answered = store.get(first.id)
    assert answered.status == ANSWERED and answered.answered_at
    store.mark_answered(first.id)  # a second reply keeps the first time
    assert store.get(first.id).answered_at == answered.answered_at
    assert [h.status for h in store.waiting()] == [OPEN] and store.count_waiting() == 1
    assert store.staff_messages_of("u1") == [(-100, 10)]


def test_a_paraphrase_is_proposed_once(db):
    store = SqliteHandoffs(db)
    handoff = _handoff(store)
    assert store.propose(handoff, "sophos.tiers.gold", "9001")
    assert not store.propose(handoff, "sophos.tiers.gold", "9002")
    assert store.propose(handoff, "sophos.tiers.silver", "9002")
    rows = store.proposals()
    assert [(r["entry"], r["text"], r["proposed_by"], r["handoff_id"]) for r in rows] == [
        ("sophos.tiers.gold", "сколько стоит обучение?", "9001", handoff.id),
        ("sophos.tiers.silver", "сколько стоит обучение?", "9002", handoff.id)]


def test_forget_takes_the_users_proposed_wording_too(db):
    store = SqliteHandoffs(db)
    mine = _handoff(store, user="u1")
    theirs = _handoff(store, user="u2", message_id=11, question="их вопрос")
    store.propose(mine, "sophos.tiers.gold", "9001")
    store.propose(theirs, "sophos.tiers.gold", "9001")
    assert forget(db, "u1") == 2  # the hand-off and the proposal from it
    assert [r["text"] for r in store.proposals()] == ["их вопрос"]
    assert [h.user_id for h in store.waiting()] == ["u2"]


def test_retention_covers_handoffs_and_proposals(db):
    store = SqliteHandoffs(db)
    handoff = _handoff(store)
    store.propose(handoff, "sophos.tiers.gold", "9001")
    assert apply_retention(db, 30) == 0
    later = datetime.now(UTC) + timedelta(days=31)
    assert apply_retention(db, 30, today=later) == 2
    assert store.waiting() == [] and store.proposals() == []


class _Matcher:
    """Answers "learned" with sophos.tiers.gold; anything else is unknown."""

    def match(self, text, lang=None):
        if text == "learned":
            return Match("answer", "ru", entry="sophos.tiers.gold", score=0.9,
                         candidates=[Candidate("sophos.tiers.gold", 0.9, "learned", "ru")])
        return Match("unknown", "ru", candidates=[Candidate("sophos.tiers.silver", 0.2, "p",
                                                            "ru")])


def test_suggest_lists_staff_proposals_until_they_are_learned(db):
    store = SqliteHandoffs(db)
    store.propose(_handoff(store, question="learned"), "sophos.tiers.gold", "9001")
    store.propose(_handoff(store, message_id=11, question="new wording"),
                  "sophos.tiers.silver", "9001")
    assert [p["question"] for p in proposals(db)] == ["learned", "new wording"]
    found = suggest(db, _Matcher())
    assert [(s["question"], s["entry"], s["outcome"], s["score"]) for s in found] == [
        ("new wording", "sophos.tiers.silver", "proposed", 20)]
    assert suggest(db, _Matcher(), with_proposals=False) == []

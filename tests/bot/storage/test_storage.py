"""Storage against a real SQLite file in a temporary folder."""

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from bot.cli import cli
from bot.dialogue.session import Session
from bot.matcher import Candidate, Match
from bot.storage.db import open_database
from bot.storage.privacy import apply_retention, forget
from bot.storage.records import SqliteJournal, SqliteSessions
from bot.storage.reports import stats, unanswered
from bot.storage.schema import LATEST, migrations


@pytest.fixture
def db(tmp_path) -> Database:
    return open_database(tmp_path / "bot.sqlite3")


def _match(kind, entry=None, score=0.9):
    cands = [Candidate(entry, score, "p", "ru")] if entry else []
    return Match(kind, "ru", entry=entry, score=score, candidates=cands)


def test_a_new_file_gets_the_latest_schema(db):
    assert {m.name for m in migrations.applied(db)} >= {"m001_initial", LATEST}
    assert "normalized" in db["questions"].columns_dict
    assert db.journal_mode == "wal"


def test_an_old_file_upgrades_in_place_without_losing_rows(tmp_path):
    path = tmp_path / "old.sqlite3"
    old = Database(path)
    migrations.apply(old, stop_before="m002_handoffs")
    old["questions"].insert({"user_id": "u1", "text": "порог голд", "lang": "ru",
                             "outcome": "answer", "entry": "sophos.tiers.gold", "score": 90,
                             "suggestions": "[]", "asked_at": "2026-01-01T00:00:00+00:00"})
    assert "handoffs" not in old.table_names()
    old.close()
    db = open_database(path)
    assert "handoffs" in db.table_names()
    rows = list(db["questions"].rows)
    assert len(rows) == 1 and rows[0]["text"] == "порог голд"


def test_journal_records_questions_feedback_and_results(db):
    journal = SqliteJournal(db)
    journal.question("u1", "порог голд софос", "ru", _match("answer", "sophos.tiers.gold"))
    journal.question("u1", "что-то странное", "ru", _match("unknown"))
    journal.feedback("u1", "sophos.tiers.gold", up=False)
    journal.eligibility("u1", "sophos", "silver")
    assert db["questions"].count == 2
    assert db["users"].count == 1
    assert next(iter(db["eligibility"].rows))["facts"] is None  # no consent, no facts
    report = stats(db)
    assert report["questions"] == 2
    assert report["rates"]["unknown"] == 0.5
    assert report["top_entries"] == [{"entry": "sophos.tiers.gold", "count": 1}]
    assert report["worst_rated"][0]["entry"] == "sophos.tiers.gold"


def test_sessions_survive_a_reopen(tmp_path):
    path = tmp_path / "s.sqlite3"
    store = SqliteSessions(open_database(path))
    session = Session("42", lang="pl", flow={"program": "sophos", "answers": {"x": 1}})
    store.save(session)
    again = SqliteSessions(open_database(path)).load("42")
    assert again == session
    assert SqliteSessions(open_database(path)).load("new", "fr").lang == "fr"


def test_unanswered_groups_near_duplicates(db):
    journal = SqliteJournal(db)
    for text in ("Сколько стоит обучение?", "сколько стоит обучение", "Сколько стоит  обучение!!",
                 "quel est le prix de la formation", "совсем другой вопрос"):
        journal.question("u", text, "ru", _match("unknown"))
    groups = unanswered(db)
    assert groups[0].count == 3
    assert len(groups) == 3


def test_forget_erases_one_user_only(db):
    journal = SqliteJournal(db)
    journal.question("u1", "a", "ru", _match("unknown"))
    journal.question("u2", "b", "ru", _match("unknown"))
    SqliteSessions(db).save(Session("u1"))
    assert forget(db, "u1") >= 3
    assert {r["user_id"] for r in db["questions"].rows} == {"u2"}
    assert db["sessions"].count == 0


def test_retention_deletes_only_what_is_old(db):
    journal = SqliteJournal(db)
    journal.question("u1", "recent", "ru", _match("unknown"))
    db["questions"].insert({"user_id": "u1", "text": "old", "lang": "ru", "outcome": "unknown",
                            "asked_at": "2020-01-01T00:00:00+00:00"})
    removed = apply_retention(db, 365, today=datetime.now(UTC) + timedelta(days=1))
    assert removed >= 1
    assert [r["text"] for r in db["questions"].rows] == ["recent"]


def test_concurrent_writers_lose_nothing(tmp_path):
    path = tmp_path / "c.sqlite3"
    open_database(path)

    def writer(n):
        journal = SqliteJournal(open_database(path))
        for i in range(50):
            journal.question(f"u{n}", f"q{i}", "ru", _match("unknown"))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert open_database(path)["questions"].count == 400


def test_cli_stats_unanswered_and_export(db, tmp_path):
    journal = SqliteJournal(db)
    journal.question("u1", "где купить пиццу", "ru", _match("unknown"))
    journal.question("u1", "порог голд", "ru", _match("answer", "sophos.tiers.gold"))
    path = str(Path(db.conn.execute("PRAGMA database_list").fetchone()[2]))
    runner = CliRunner()
    out = runner.invoke(cli, ["stats", "--db", path, "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["questions"] == 2
    out = runner.invoke(cli, ["unanswered", "--db", path, "--csv"])
    assert "где купить пиццу" in out.output
    out = runner.invoke(cli, ["export", "--db", path, "--format", "jsonl", "questions"])
    assert len(out.output.strip().splitlines()) == 2
    out = runner.invoke(cli, ["stats", "--db", path, "--since", "yesterday"])
    assert out.exit_code == 2

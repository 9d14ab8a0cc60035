"""A database file locked by another connection: writes are kept in order and land
once it is free; sessions read what was saved meanwhile; other errors still raise."""

from __future__ import annotations

import logging
import sqlite3

import pytest

from bot.dialogue.session import Session
from bot.matcher import Match
from bot.storage.db import open_database
from bot.storage.privacy import forget
from bot.storage.records import SqliteJournal, SqliteSessions
from bot.storage.writebehind import writes_for


@pytest.fixture
def db(tmp_path):
    db = open_database(tmp_path / "wb.sqlite3")
    db.execute("PRAGMA busy_timeout = 20")
    yield db
    db.close()


@pytest.fixture
def lock(tmp_path, db):
    """Another connection (as another process would) holding the write lock."""
    other = sqlite3.connect(tmp_path / "wb.sqlite3", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    yield other
    if other.in_transaction:
        other.execute("ROLLBACK")
    other.close()


def count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_writes_land_at_once_when_the_file_is_free(db):
    SqliteJournal(db).feedback("u1", "sophos.tiers.gold", True)
    assert count(db, "feedback") == 1
    assert not writes_for(db).pending


def test_while_locked_writes_wait_in_order_and_sessions_read_the_latest(db, lock):
    sessions, journal = SqliteSessions(db), SqliteJournal(db)
    session = Session("u1", lang="fr")
    sessions.save(session)  # no exception, no long wait: kept
    journal.question("u1", "sophos gold", "fr", Match(kind="unknown", lang="fr"))
    session.mode = "map"
    sessions.save(session)
    journal.eligibility("u1", "sophos", "gold")
    assert len(writes_for(db).pending) == 4
    assert sessions.load("u1").mode == "map"  # what this process saved last
    assert writes_for(db).flush() is False  # still locked

    lock.execute("ROLLBACK")  # the other process lets go
    assert writes_for(db).flush() is True
    assert (count(db, "sessions"), count(db, "questions"), count(db, "eligibility")) == (1, 1, 1)
    assert sessions.unsaved == {}
    assert SqliteSessions(db).load("u1").mode == "map"  # from the file now


def test_an_erase_lands_after_the_writes_kept_before_it(db, lock):
    SqliteJournal(db).feedback("u1", "e", True)
    lock.execute("ROLLBACK")
    forget(db, "u1")
    assert count(db, "feedback") == 0  # not resurrected by a later flush
    assert writes_for(db).flush() is True and count(db, "feedback") == 0


def test_close_writes_what_it_can_and_says_what_it_lost(db, lock, caplog):
    SqliteJournal(db).feedback("u1", "e", True)
    with caplog.at_level(logging.ERROR):
        writes_for(db).close(wait_ms=20)
    assert "1 write(s) lost" in caplog.text
    assert not writes_for(db).pending


def test_other_errors_are_raised_not_kept(db):
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        writes_for(db).write(lambda d: d.execute("INSERT INTO nowhere VALUES (1)"))
    assert not writes_for(db).pending

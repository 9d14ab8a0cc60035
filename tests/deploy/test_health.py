"""`partnerbot health`: the knowledge base loads, the database takes a write, settings parse."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.health import check_database, check_knowledge, run_checks
from bot.knowledgebase import load

KB_OK = Path(__file__).resolve().parent.parent / "fixtures" / "kb_ok"


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in ("BOT_TOKEN", "ADMIN_IDS", "STAFF_CHAT_ID", "STAFF_LANG", "WEBHOOK_URL",
                 "WEBHOOK_SECRET", "LOG_LEVEL", "LOG_FORMAT", "PARTNERBOT_RETENTION_DAYS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PARTNERBOT_KNOWLEDGE", str(KB_OK))
    monkeypatch.setenv("PARTNERBOT_DB", str(tmp_path / "data" / "partnerbot.sqlite3"))
    return tmp_path


def _health(*args: str):
    result = CliRunner().invoke(cli, ["health", *args])
    return result.exit_code, result.output


def test_healthy_without_a_token(clean_env):
    code, out = _health("--json")
    report = json.loads(out)
    assert code == 0 and report["healthy"] is True
    assert report["checks"]["knowledge"]["entries"] == len(load(KB_OK).entries) > 0
    assert report["checks"]["database"]["ok"] is True
    assert report["checks"]["config"] == {"ok": True, "mode": "polling",
                                         "detail": report["checks"]["config"]["detail"]}
    code, out = _health()
    assert code == 0 and out.splitlines()[-1] == "healthy"
    assert out.startswith("knowledge  ok")


def test_the_write_probe_is_rolled_back(clean_env):
    db_path = clean_env / "data" / "partnerbot.sqlite3"
    assert check_database(db_path).ok
    tables = [r[0] for r in sqlite3.connect(db_path).execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert "_health_probe" not in tables


def test_a_database_that_cannot_be_written_is_unhealthy(clean_env):
    blocker = clean_env / "a-file"
    blocker.write_text("not a folder")
    check = check_database(blocker / "partnerbot.sqlite3")  # its folder is a file
    assert not check.ok and "not writable" in check.detail and str(blocker) in check.detail
    garbage = clean_env / "garbage.sqlite3"
    garbage.write_bytes(b"this is not an SQLite database" * 100)
    assert not check_database(garbage).ok


def test_a_database_locked_by_another_writer_is_reported(clean_env, monkeypatch):
    import bot.health

    monkeypatch.setattr(bot.health, "DB_TIMEOUT", 0.2)
    path = clean_env / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        check = check_database(path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not check.ok and "locked" in check.detail


def test_a_broken_knowledge_base_is_unhealthy(clean_env, tmp_path):
    missing = check_knowledge(tmp_path / "nowhere")
    assert not missing.ok and "knowledge folder not found" in missing.detail
    broken = tmp_path / "kb"
    (broken / "faq").mkdir(parents=True)
    assert not check_knowledge(broken).ok
    assert not run_checks(broken, tmp_path / "db.sqlite3").healthy


def test_exit_code_1_and_the_reason(clean_env, monkeypatch):
    monkeypatch.setenv("ADMIN_IDS", "@boss")
    monkeypatch.setenv("PARTNERBOT_KNOWLEDGE", str(clean_env / "nowhere"))
    code, out = _health()
    assert code == 1 and out.splitlines()[-1] == "unhealthy"
    assert "knowledge  FAIL" in out and "config     FAIL" in out and "ADMIN_IDS" in out
    assert "database   ok" in out


def test_the_installed_command(clean_env):
    done = subprocess.run([sys.executable, "-m", "bot", "health", "--json"], env=os.environ,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["healthy"] is True

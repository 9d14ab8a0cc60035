"""ADMIN_IDS, STAFF_CHAT_ID, STAFF_LANG and PARTNERBOT_RETENTION_DAYS: read, or refused."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from bot_api_emulator import TOKEN

from bot.telegram.settings import (
    ConfigError,
    Settings,
    parse_admin_ids,
    parse_chat_id,
    parse_lang,
    parse_retention,
)


@pytest.mark.parametrize(("value", "expected"), [
    ("", set()), ("  ", set()), ("12345678", {12345678}),
    ("12345678, 87654321,", {12345678, 87654321}), (" 1 ,2", {1, 2}),
])
def test_admin_ids(value, expected):
    assert parse_admin_ids(value) == expected


@pytest.mark.parametrize("value", ["abc", "@boss", "12 34", "-5", "0", "1;2", "1.5", "٣"])
def test_malformed_admin_ids_are_refused_with_the_culprit(value):
    with pytest.raises(ConfigError, match="ADMIN_IDS") as info:
        parse_admin_ids(f"123,{value}")
    assert repr(value.strip()) in str(info.value)


def test_chat_language_and_retention():
    assert parse_chat_id("") is None and parse_chat_id("-1001234567890") == -1001234567890
    assert parse_lang("") == "ru" and parse_lang(" FR ") == "fr"
    assert parse_retention("") == 365 and parse_retention("30") == 30
    for parse, value, name in [(parse_chat_id, "staff", "STAFF_CHAT_ID"),
                               (parse_chat_id, "0", "STAFF_CHAT_ID"),
                               (parse_lang, "en", "STAFF_LANG"),
                               (parse_retention, "0", "PARTNERBOT_RETENTION_DAYS"),
                               (parse_retention, "-1", "PARTNERBOT_RETENTION_DAYS"),
                               (parse_retention, "1e3", "PARTNERBOT_RETENTION_DAYS"),
                               (parse_retention, "36501", "PARTNERBOT_RETENTION_DAYS")]:
        with pytest.raises(ConfigError, match=name):
            parse(value)


def test_settings_from_the_environment():
    settings = Settings.from_env({"ADMIN_IDS": "7,8", "STAFF_CHAT_ID": "-100",
                                  "STAFF_LANG": "pl", "PARTNERBOT_RETENTION_DAYS": "90"})
    assert settings == Settings(admin_ids=frozenset({7, 8}), staff_chat_id=-100,
                                staff_lang="pl", retention_days=90)
    assert Settings.from_env({}) == Settings()


def test_partnerbot_run_stops_at_a_malformed_setting(tmp_path):
    env = {**os.environ, "BOT_TOKEN": TOKEN, "ADMIN_IDS": "12345678,@boss",
           "PARTNERBOT_DB": str(tmp_path / "never.sqlite3"),
           "BOT_API_URL": "http://127.0.0.1:9"}  # never reached
    done = subprocess.run([sys.executable, "-m", "bot", "run"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1
    assert "Configuration error: ADMIN_IDS must be numeric Telegram user ids" in done.stderr
    assert "'@boss'" in done.stderr
    assert not (tmp_path / "never.sqlite3").exists()  # stopped before anything started

"""Webhook and logging settings, and the start refusing each mistake with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from bot_api_emulator import TOKEN

from bot.telegram.settings import (
    ConfigError,
    Settings,
    Webhook,
    parse_log_format,
    parse_log_level,
    parse_rate_limit,
    parse_webhook,
)

SECRET = "s3cr3t_-TOKEN"


def test_polling_unless_webhook_url_is_set():
    assert parse_webhook({}) is None
    assert parse_webhook({"WEBHOOK_LISTEN": "0.0.0.0", "WEBHOOK_PORT": "8443"}) is None
    assert Settings.from_env({}).webhook is None


def test_webhook_settings():
    hook = parse_webhook({"WEBHOOK_URL": "https://bot.example.com/tg/hook/",
                          "WEBHOOK_SECRET": SECRET, "WEBHOOK_LISTEN": "0.0.0.0",
                          "WEBHOOK_PORT": "8080"})
    assert hook == Webhook("https://bot.example.com/tg/hook/", SECRET, "0.0.0.0", 8080)
    assert hook.url_path == "tg/hook"
    assert SECRET not in repr(hook)
    hook = parse_webhook({"WEBHOOK_URL": "https://bot.example.com", "WEBHOOK_SECRET": SECRET})
    assert (hook.listen, hook.port, hook.url_path) == ("127.0.0.1", 8443, "")
    local = parse_webhook({"WEBHOOK_URL": "http://127.0.0.1:9000/x", "WEBHOOK_SECRET": SECRET,
                           "BOT_API_LOCAL": "1"})
    assert local is not None and local.url_path == "x"


@pytest.mark.parametrize(("env", "message"), [
    ({"WEBHOOK_URL": "https://bot.example.com/tg"}, "WEBHOOK_SECRET is required"),
    ({"WEBHOOK_URL": "https://bot.example.com/tg", "WEBHOOK_SECRET": "has space"},
     "WEBHOOK_SECRET must be 1-256 characters"),
    ({"WEBHOOK_URL": "https://bot.example.com/tg", "WEBHOOK_SECRET": "x" * 257},
     "WEBHOOK_SECRET must be"),
    ({"WEBHOOK_URL": "http://bot.example.com/tg", "WEBHOOK_SECRET": SECRET},
     "WEBHOOK_URL must start with https://"),
    ({"WEBHOOK_URL": "bot.example.com/tg", "WEBHOOK_SECRET": SECRET},
     "WEBHOOK_URL must be a full https:// address"),
    ({"WEBHOOK_URL": "https://bot.example.com/tg?a=1", "WEBHOOK_SECRET": SECRET},
     "must not have a query"),
    ({"WEBHOOK_URL": "https://bot.example.com/tg", "WEBHOOK_SECRET": SECRET,
      "WEBHOOK_PORT": "70000"}, "WEBHOOK_PORT must be a port number"),
    ({"WEBHOOK_URL": "https://bot.example.com/tg", "WEBHOOK_SECRET": SECRET,
      "WEBHOOK_PORT": "http"}, "WEBHOOK_PORT must be a port number"),
    ({"WEBHOOK_URL": "https://bot.example.com/tg", "WEBHOOK_SECRET": SECRET,
      "WEBHOOK_LISTEN": "any host"}, "WEBHOOK_LISTEN must be an address"),
])
def test_webhook_mistakes_are_refused_by_name(env, message):
    with pytest.raises(ConfigError, match=message) as info:
        Settings.from_env(env)
    if "WEBHOOK_SECRET" in env and "must be" in message:
        assert env["WEBHOOK_SECRET"] not in str(info.value)  # a secret is never echoed


def test_log_settings():
    assert parse_log_level("") == "INFO" and parse_log_level("debug") == "DEBUG"
    assert parse_log_format("") == "text" and parse_log_format(" JSON ") == "json"
    with pytest.raises(ConfigError, match="LOG_LEVEL"):
        parse_log_level("verbose")
    with pytest.raises(ConfigError, match="LOG_FORMAT must be text or json"):
        parse_log_format("yaml")
    settings = Settings.from_env({"LOG_LEVEL": "warning", "LOG_FORMAT": "json"})
    assert (settings.log_level, settings.log_format) == ("WARNING", "json")


def _run(tmp_path, **env):
    full = {**os.environ, "BOT_TOKEN": TOKEN, "BOT_API_URL": "http://127.0.0.1:9",  # unreached
            "PARTNERBOT_DB": str(tmp_path / "db" / "never.sqlite3"), **env}
    for name in ("WEBHOOK_URL", "WEBHOOK_SECRET", "ADMIN_IDS", "LOG_FORMAT", "LOG_LEVEL"):
        if name not in env:
            full.pop(name, None)
    return subprocess.run([sys.executable, "-m", "bot", "run"], env=full, capture_output=True,
                          text=True, timeout=60)


def test_run_refuses_webhook_mode_without_a_secret(tmp_path):
    done = _run(tmp_path, WEBHOOK_URL="https://bot.example.com/tg")
    assert done.returncode == 1
    assert "Configuration error: WEBHOOK_SECRET is required in webhook mode" in done.stderr
    assert not (tmp_path / "db").exists()  # stopped before anything started


def test_run_refuses_a_bad_log_format(tmp_path):
    done = _run(tmp_path, LOG_FORMAT="xml")
    assert done.returncode == 1 and "Configuration error: LOG_FORMAT" in done.stderr


def test_run_refuses_an_unwritable_database_path(tmp_path):
    (tmp_path / "file").write_text("a file where a folder should be")
    done = _run(tmp_path, PARTNERBOT_DB=str(tmp_path / "file" / "partnerbot.sqlite3"))
    assert done.returncode == 1
    assert f"Cannot open the database {tmp_path / 'file' / 'partnerbot.sqlite3'}" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("value", "expected"), [("", 0.0), ("0", 0.0), ("30", 30.0),
                                                 (" 12.5 ", 12.5), ("1000", 1000.0)])
def test_rate_limit(value, expected):
    assert parse_rate_limit(value) == expected


@pytest.mark.parametrize("value", ["-1", "fast", "1001", "30/s", "1e3", "30,5"])
def test_a_malformed_rate_limit_stops_the_start(value):
    with pytest.raises(ConfigError, match="BOT_RATE_LIMIT must be a number"):
        parse_rate_limit(value)
    assert Settings.from_env({}).rate_limit == 0.0
    assert Settings.from_env({"BOT_RATE_LIMIT": "30"}).rate_limit == 30.0

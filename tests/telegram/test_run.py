"""`partnerbot run` with BOT_TOKEN and BOT_API_URL: a real process polling the emulator."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import pytest
from bot_api_emulator import TOKEN, until
from sqlite_utils import Database


@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
async def test_partnerbot_run_polls_the_bot_api_server_it_is_given(emulator, kb_root,
                                                                   tmp_path, level):
    db_path = tmp_path / "run.sqlite3"
    env = {**os.environ, "BOT_TOKEN": TOKEN, "LOG_LEVEL": level,
           "BOT_API_URL": f"http://127.0.0.1:{emulator.port}",
           "PARTNERBOT_DB": str(db_path), "PARTNERBOT_KNOWLEDGE": str(kb_root)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        await until(lambda: emulator.calls_to("getUpdates"), 30)
        user = emulator.user(401, language_code="pl")
        emulator.send(user, "sophos gold")
        await until(lambda: any(e["chat_id"] == 401 for e in emulator.outbox), 10)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
        _out, err = await asyncio.wait_for(process.communicate(), 20)
    log = err.decode()
    assert process.returncode == 0, log[-2000:]
    answer = next(e["message"] for e in emulator.outbox if e["chat_id"] == 401)
    assert answer["text"].startswith("Jaki obrót jest potrzebny na poziom Gold w Sophos?")
    assert {lang for _scope, lang in emulator.commands} == {"ru", "fr", "pl", ""}
    assert TOKEN.split(":")[1] not in log
    if level == "DEBUG":
        assert "getUpdates" in log and "[REDACTED]" in log  # URLs logged, token masked
    else:
        assert "starting the Telegram bot" in log
        assert "sophos gold" not in log  # what users write stays out of the INFO log
    rows = list(Database(db_path).query("SELECT user_id, data FROM sessions"))
    assert [r["user_id"] for r in rows] == ["401"]
    assert list(Database(db_path).query("SELECT text FROM questions"))  # the journal too

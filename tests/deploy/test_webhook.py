"""`partnerbot run` in webhook mode: PTB's own server, the secret checked on every request."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys

import httpx
from bot_api_emulator import TOKEN, until

SECRET = "webhook-test-secret_1"



def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_webhook_mode_answers_only_requests_with_the_secret(emulator, tmp_path):
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    env = {**os.environ, "BOT_TOKEN": TOKEN, "BOT_API_URL": f"http://127.0.0.1:{emulator.port}",
           "BOT_API_LOCAL": "1", "WEBHOOK_URL": url, "WEBHOOK_SECRET": SECRET,
           "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(port), "LOG_FORMAT": "json",
           "PARTNERBOT_DB": str(tmp_path / "bot.sqlite3")}
    env.pop("PARTNERBOT_KNOWLEDGE", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        await until(lambda: emulator.calls_to("setWebhook"), 30)
        params = emulator.calls_to("setWebhook")[-1].params
        assert params["url"] == url and params["secret_token"] == SECRET
        assert not emulator.calls_to("getUpdates")  # no polling in webhook mode

        user = emulator.user(402, language_code="pl")
        update = emulator.send(user, "sophos gold")
        emulator._updates.clear()  # Telegram posts it instead of queueing it
        async with httpx.AsyncClient(timeout=10) as client:
            for _ in range(100):  # the server listens right after setWebhook
                try:
                    await client.get(f"http://127.0.0.1:{port}/")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                refused = await client.post(url, content=json.dumps(update), headers={
                    "Content-Type": "application/json", **headers})
                assert refused.status_code == 403
            await asyncio.sleep(0.3)
            assert not any(e["chat_id"] == 402 for e in emulator.outbox)
            accepted = await client.post(url, content=json.dumps(update), headers={
                "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET})
            assert accepted.status_code == 200
        await until(lambda: any(e["chat_id"] == 402 for e in emulator.outbox), 10)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(process.communicate(), 30)
    log = err.decode()
    assert process.returncode == 0, log[-2000:]
    replies = [e["message"]["text"] for e in emulator.outbox if e["chat_id"] == 402]
    assert len(replies) == 1 and "Sophos" in replies[0]
    records = [json.loads(line) for line in log.splitlines() if line.strip()]
    assert any(r["message"].startswith("starting the Telegram bot (webhook") for r in records)
    assert records[-1]["message"] == "stopped"
    assert SECRET not in log and TOKEN.split(":")[1] not in log

"""Faults under the bot: the Bot API answering 5xx, slowly or not at all, on sendMessage
and on getUpdates; the bot killed with kill -9 in the middle of an interview; the
database file locked by another process. Each update still gets exactly one reply, and
the bot carries on.

(test_e2e_robustness.py has the flood limit on sendMessage, a 502 and dropped
connections on sendMessage and answerCallbackQuery; this file adds the rest.)
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys

import pytest
from bot_api_emulator import TOKEN, until
from sqlite_utils import Database
from tg_harness import button_data, messages, text_of

from bot.core import build
from bot.storage.records import SqliteJournal

READ_TIMEOUT = 0.5  # the bot gives up waiting for an answer after this many seconds
POLL_TIMEOUT = 0.2  # and long-polls this long, so getUpdates times out after 0.7 s
SLOW = 1.0  # an answer slower than both


@pytest.fixture
async def quick_bot(bot_factory):
    return await bot_factory(read_timeout=READ_TIMEOUT, poll_timeout=POLL_TIMEOUT)


def sent_to(emulator, chat_id: int) -> list[str]:
    return [e["message"]["text"] for e in emulator.outbox if e["chat_id"] == chat_id]


def problems(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.levelno >= logging.ERROR and r.name.startswith("bot")]


async def test_500_answers_to_sendmessage_are_retried_and_the_reply_sent_once(
        quick_bot, emulator, caplog):
    user = emulator.user(601, language_code="fr")
    emulator.fail_next("sendMessage", "server_error", times=2)
    events = await quick_bot.say(user, "/help")
    assert len(events) == 1
    assert len(emulator.calls_to("sendMessage")) == 3  # two 500s, then delivered
    assert "Sophos" in text_of(await quick_bot.say(user, "sophos gold"))  # recovered
    assert len(sent_to(emulator, 601)) == 2
    assert problems(caplog) == []


async def test_a_sendmessage_slower_than_the_read_timeout_is_not_sent_twice(
        quick_bot, emulator, caplog):
    """A timeout cannot tell whether Telegram took the message; it usually has (as the
    emulator does once its delay is over), so the bot neither sends it again nor
    apologises for an error the user never sees."""
    user = emulator.user(602, language_code="pl")
    emulator.fail_next("sendMessage", "delay", delay=SLOW)
    await quick_bot.say(user, "/help")
    await until(lambda: sent_to(emulator, 602), 5)  # the slow one lands
    assert len(emulator.calls_to("sendMessage")) == 1
    assert "Sophos" in text_of(await quick_bot.say(user, "sophos gold"))
    assert len(sent_to(emulator, 602)) == 2  # the help, then the answer: nothing else
    assert problems(caplog) == []


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter()
@pytest.mark.parametrize("kind", ["server_error", "bad_gateway", "drop", "delay",
                                  "retry_after"])
async def test_getupdates_failures_lose_no_update(quick_bot, emulator, kind, caplog):
    """Telegram forgets an update only when a later getUpdates confirms it (offset above
    its id); a failed or lost getUpdates answer confirms nothing, so the updates that
    arrived meanwhile come with the next successful poll: each answered once."""
    users = [emulator.user(610 + i, language_code="ru") for i in range(3)]
    emulator.fail_next("getUpdates", kind, delay=SLOW, retry_after=1)
    await until(lambda: emulator.pending_failures("getUpdates") == 0, 5)  # it failed
    updates = [emulator.send(user, "/help") for user in users]
    for update in updates:
        await quick_bot.deliver(update)
    await quick_bot.say(users[0], "sophos gold")  # recovered: polling goes on
    assert [len(sent_to(emulator, u["id"])) for u in users] == [2, 1, 1]
    assert problems(caplog) == []


# -- kill -9 -------------------------------------------------------------------------------


class BotProcess:
    """`partnerbot run` as its own process on the emulator and one database file."""

    def __init__(self, emulator, kb_root, db_path, log_path):
        self.emulator = emulator
        self.env = {**os.environ, "BOT_TOKEN": TOKEN, "LOG_LEVEL": "INFO",
                    "BOT_API_URL": f"http://127.0.0.1:{emulator.port}",
                    "PARTNERBOT_DB": str(db_path), "PARTNERBOT_KNOWLEDGE": str(kb_root)}
        self.log_path = log_path
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        polls = len(self.emulator.calls_to("getUpdates"))
        with open(self.log_path, "ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", env=self.env, stdout=log, stderr=log)
        await until(lambda: len(self.emulator.calls_to("getUpdates")) > polls, 30)

    async def kill(self) -> None:
        assert self.process is not None and self.process.returncode is None
        self.process.kill()  # SIGKILL: no shutdown, no last getUpdates, nothing flushed
        assert await self.process.wait() == -signal.SIGKILL

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(self.process.wait(), 20)


@pytest.fixture
async def bot_process(emulator, kb_root, tmp_path):
    process = BotProcess(emulator, kb_root, tmp_path / "kill.sqlite3", tmp_path / "bot.log")
    yield process
    await process.stop()


def confirmed(emulator, update: dict) -> bool:
    """Telegram forgets `update` once a getUpdates asks for an offset above its id."""
    return any(int(c.params.get("offset") or 0) > update["update_id"]
               for c in emulator.calls_to("getUpdates"))


async def test_kill_9_mid_interview_then_a_restart_resumes_it(bot_process, emulator,
                                                             tmp_path):
    """The interview survives two SIGKILLs: the session is saved before each reply is
    sent, so the process that comes next asks the next question.

    What happens to updates: python-telegram-bot fetches an update, queues it, and at
    once long-polls again with offset = its id + 1, which tells Telegram to forget it.
    * Updates sent while the bot is down wait at Telegram and come with the first poll
      of the new process: answered once.
    * An update being handled when the process dies has already been confirmed, so it
      is never delivered again (no duplicate). Here it dies while its reply is on the
      way to Telegram, after the session was saved: Telegram delivers the reply, and
      the restarted bot continues from the state that reply shows. Had it died before
      the save, the update would be lost (the user sees no answer and writes again);
      between the save and the send, the user would see no question although the
      interview moved on. Telegram's at-least-once delivery cannot help: the offset
      was confirmed before the handling ended.
    """
    user = emulator.user(501, language_code="fr")

    def received() -> list[dict]:
        return [e["message"] for e in emulator.outbox if e["chat_id"] == 501]

    async def answer(update: dict, count: int) -> dict:
        await until(lambda: len(received()) >= count, 15)
        return received()[-1]

    await bot_process.start()
    await answer(emulator.send(user, "/check symantec"), 1)
    satisfaction = await answer(emulator.send(user, "3"), 2)
    assert "satisfaction" in satisfaction["text"]
    await bot_process.kill()  # idle: both updates answered and confirmed

    waiting = emulator.tap(user, satisfaction, button_data(satisfaction, "cka:yes"))
    await bot_process.start()  # a new process on the same database file
    renewals = await answer(waiting, 3)
    assert "renouvellements" in renewals["text"]

    emulator.fail_next("sendMessage", "delay", delay=SLOW)
    in_flight = emulator.tap(user, renewals, "cka:yes")
    await until(lambda: confirmed(emulator, in_flight)
                and emulator.pending_failures("sendMessage") == 0, 15)
    await bot_process.kill()  # while its reply is held by "Telegram"
    new_business = await answer(in_flight, 4)  # Telegram delivers what it took
    assert "nouvelles affaires" in new_business["text"]

    await bot_process.start()
    decision = await answer(emulator.tap(user, new_business, "cka:yes"), 5)
    assert "Platinum" in decision["text"]
    await bot_process.stop()
    assert len(received()) == 5  # one reply per update: none lost, none twice
    db = Database(tmp_path / "kill.sqlite3")
    assert [r["result"] for r in db.query("SELECT result FROM eligibility")] == ["platinum"]
    assert '"flow": null' in next(db.query("SELECT data FROM sessions"))["data"]


# -- a locked database ---------------------------------------------------------------------

HOLD_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
"""


async def test_a_database_locked_by_another_process_delays_writes_not_replies(
        bot_factory, emulator, kb_root, tmp_path, caplog):
    """Another process holds the write lock far longer than the bot's busy timeout: the
    users are answered meanwhile, the interview goes on from the state kept in memory,
    and the sessions and journal rows land once the lock is gone."""
    path = tmp_path / "locked.sqlite3"
    bot = await bot_factory(path, core_factory=lambda db: build(kb_root,
                                                                journal=SqliteJournal(db)))
    alice = emulator.user(520, language_code="fr")
    bob = emulator.user(521, language_code="pl")
    (question,) = messages(await bot.say(alice, "/check symantec"))

    locker = await asyncio.create_subprocess_exec(
        sys.executable, "-c", HOLD_LOCK, str(path),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    try:
        assert await asyncio.wait_for(locker.stdout.readline(), 10) == b"locked\n"
        (question,) = messages(await bot.say(alice, "3"))  # answered under the lock
        assert "satisfaction" in question["text"]
        assert "Sophos" in text_of(await bot.say(bob, "sophos gold"))
        (question,) = messages(await bot.tap(alice, question, "cka:yes"))
        assert "renouvellements" in question["text"]  # the interview moved on in memory
        reader = Database(path)  # what the file holds meanwhile: the state before the lock
        assert list(reader.query("SELECT count(*) AS n FROM questions")) == [{"n": 0}]
        kept = dict(bot.sessions.unsaved)
        assert set(kept) == {"520", "521"}
        assert locker.returncode is None  # all of it while the lock was held
    finally:
        if locker.returncode is None:
            locker.stdin.write(b"\n")
            await locker.stdin.drain()
        await asyncio.wait_for(locker.wait(), 10)

    await until(lambda: not bot.sessions.unsaved, 5)  # written by the bot's flush job
    rows = {r["user_id"]: r["data"] for r in reader.query("SELECT * FROM sessions")}
    assert rows == kept  # the state each user's last update left
    assert [r["user_id"] for r in reader.query("SELECT user_id FROM questions")] == ["521"]
    (question,) = messages(await bot.tap(alice, question, "cka:yes"))
    decision = text_of(await bot.tap(alice, question, "cka:yes"))
    assert "Platinum" in decision
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

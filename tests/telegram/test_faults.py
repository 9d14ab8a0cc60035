"""Telegram misbehaving under the bot: the Bot API answering 5xx, slowly or not at all,
on sendMessage and on getUpdates. Each update still gets exactly one reply, and the bot
carries on.

(test_e2e_robustness.py has the flood limit on sendMessage, a 502 and dropped
connections on sendMessage and answerCallbackQuery; this file adds the rest.)
"""

from __future__ import annotations

import logging

import pytest
from bot_api_emulator import until
from tg_harness import text_of

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

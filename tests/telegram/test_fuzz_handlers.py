"""Hostile input through the real Telegram adapter, over HTTP against the emulator.

Any text, command or callback data (random, a real button's data truncated or forged,
another chat's stale button), in every conversation state (idle, mid-interview, mid-map,
a "did you mean" pending): the update is answered, nothing reaches the error handler,
every message the bot sends or edits is HTML that Telegram accepts and at most 4,096
UTF-16 units long, and nothing the user typed is evaluated as a template.

One bot serves every example (a bot per example would cost seconds each); each example
is a new user, so no state leaks from one example into the next.
"""

from __future__ import annotations

import itertools
import logging

import pytest
from bot_api_emulator import ApiError, parse_html, utf16_len
from fuzzing import (
    callback_data,
    command_name,
    compiled_templates,
    hostile_text,
    looks_like_template,
    template_results,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tg_harness import buttons

USER_IDS = itertools.count(700_000)
SETUP = {"idle": [], "interview": ["/check sophos"], "map": ["/map"], "clarify": ["голд"]}
SENT = ("sendMessage", "editMessageText")


class Watch(logging.Handler):
    """What must not happen: a call of the error handler, HTML Telegram refused."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.errors: list[BaseException | None] = []
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    async def on_error(self, update, context) -> None:
        self.errors.append(context.error)


@pytest.fixture
async def watch(bot):
    watch = Watch()
    bot.app.add_error_handler(watch.on_error)
    logging.getLogger("bot").addHandler(watch)
    yield watch
    logging.getLogger("bot").removeHandler(watch)


def _last_message(emulator, chat_id: int) -> dict | None:
    mine = [e["message"] for e in emulator.outbox if e["chat_id"] == chat_id]
    return mine[-1] if mine else None


def _check_calls(emulator, first_call: int, typed: str) -> None:
    """Every text the bot sent or edited parses as Telegram HTML and fits one message."""
    for call in emulator.calls[first_call:]:
        if call.method in SENT:
            text = call.params["text"]
            try:
                plain = parse_html(text)[0] if call.params.get("parse_mode") else text
            except ApiError as exc:
                raise AssertionError(f"{exc.description} in {text[:300]!r}") from None
            assert utf16_len(plain) <= 4096, (typed[:80], utf16_len(plain))
            assert template_results(typed, plain) == [], (typed, plain[:300])
        elif call.method == "answerCallbackQuery":
            assert len(call.params.get("text") or "") <= 200


async def _tap(data: st.DataObject, bot, emulator, user: dict) -> tuple[dict, str]:
    """A tap on the user's latest message from the bot (a menu, if there is none): one of
    its buttons as it is, truncated or with something appended, or anything at all; or a
    button of that message after the conversation has moved on (stale). Indexes are drawn
    as numbers, so the draws do not depend on which buttons this run's messages carry."""
    message = _last_message(emulator, user["id"])
    if message is None:
        message = (await bot.say(user, "/menu"))[0]["message"]
    kind = data.draw(st.sampled_from(["real", "truncated", "forged", "stale", "random"]),
                     label="tap")
    pick = data.draw(st.integers(0, 63), label="button")
    own = [d for _label, d in buttons(message) if d]
    if kind == "random" or not own:
        return message, data.draw(callback_data(), label="data")
    real = own[pick % len(own)]
    if kind == "stale":
        await bot.say(user, data.draw(st.sampled_from(["/cancel", "/start", "/language"])))
    elif kind == "truncated":
        real = real[: data.draw(st.integers(0, 63)) % len(real)]
    elif kind == "forged":
        tail = data.draw(st.sampled_from(["x", ":", ":0", ":-1", ":999999", "::", ":ü"]))
        real = (real + tail).encode()[:64].decode(errors="ignore")
    return message, real


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
async def test_hostile_input_in_every_state_is_answered_in_valid_html(bot, emulator, watch,
                                                                      data):
    watch.errors.clear()  # a failure belongs to the example that caused it
    watch.records.clear()
    state = data.draw(st.sampled_from(sorted(SETUP)), label="state")
    lang = data.draw(st.sampled_from(["ru", "fr", "pl", "en", None]), label="language")
    user = emulator.user(next(USER_IDS), language_code=lang)
    uid = user["id"]
    for text in SETUP[state]:
        assert await bot.say(user, text)
    session = bot.sessions.load(str(uid))
    if state == "interview":
        assert session.flow is not None
    elif state == "map":
        assert session.mode == "map"
    elif state == "clarify":
        assert any(d.startswith("a:") for _l, d in buttons(_last_message(emulator, uid)))

    kind = data.draw(st.sampled_from(["text", "command", "tap"]), label="kind")
    first_call = len(emulator.calls)
    with compiled_templates() as sources:
        if kind == "tap":
            message, typed = await _tap(data, bot, emulator, user)
            first_call = len(emulator.calls)
            update = emulator.tap(user, message, typed)
            await bot.deliver(update)
            assert emulator.callback_queries[update["callback_query"]["id"]]["answered"]
        else:
            typed = data.draw(hostile_text(), label="text")
            if kind == "command":
                name = data.draw(command_name(), label="command")
                typed = f"/{name} {typed}".strip()
            assert await bot.say(user, typed), "no reply"
    _check_calls(emulator, first_call, typed)
    assert watch.errors == []
    assert [r.getMessage() for r in watch.records] == []
    if looks_like_template(typed):
        assert not [s for s in sources if typed.strip() in s]

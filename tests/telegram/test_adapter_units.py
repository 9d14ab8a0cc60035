"""The adapter's parts one by one: rendering, parsing, retries, ordering, redaction."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest
from bot_api_emulator import TOKEN, parse_html
from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.dialogue.replies import Button, Reply, utf16_len
from bot.dialogue.session import Session
from bot.telegram import redact
from bot.telegram.app import api_urls, build_application
from bot.telegram.commands import COMMANDS, TELEGRAM_ONLY, bot_commands
from bot.telegram.handlers import parse_command, strip_mention
from bot.telegram.i18n import language_from_code
from bot.telegram.network import PerUserProcessor, RetryingLimiter
from bot.telegram.render import inline_article, keyboard, message_parts, plain_fallback
from bot.telegram.sessions import open_store
from bot.telegram.settings import Settings

# -- parsing ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("/start", ("start", "", "")),
    ("/start check_sophos", ("start", "", "check_sophos")),
    ("/Map@PartnerTestBot High  Availability ", ("map", "PartnerTestBot", "High  Availability")),
    ("/map\nHigh Availability", ("map", "", "High Availability")),
    ("/help@OtherBot", ("help", "OtherBot", "")),
])
def test_parse_command(text, expected):
    assert parse_command(text) == expected


def test_strip_mention():
    assert strip_mention("@PartnerTestBot sophos gold", "PartnerTestBot") == "sophos gold"
    assert strip_mention("sophos @partnertestbot gold?", "PartnerTestBot") == "sophos   gold?"
    assert strip_mention("@PartnerTestBotX hi", "PartnerTestBot") == "@PartnerTestBotX hi"


@pytest.mark.parametrize(("code", "lang"), [
    ("ru", "ru"), ("fr-CA", "fr"), ("pl", "pl"), ("PL", "pl"), ("en", "ru"), ("", "ru"),
    (None, "ru"), ("uk", "ru"),
])
def test_language_from_telegram_code(code, lang):
    assert language_from_code(code) == lang


@pytest.mark.parametrize(("url", "expected"), [
    ("http://localhost:8081", ("http://localhost:8081/bot", "http://localhost:8081/file/bot")),
    ("http://localhost:8081/", ("http://localhost:8081/bot", "http://localhost:8081/file/bot")),
    ("https://tg.example/bot", ("https://tg.example/bot", "https://tg.example/file/bot")),
    ("https://tg.example/bot{token}/x", ("https://tg.example/bot{token}/x", None)),
])
def test_bot_api_url(url, expected):
    assert api_urls(url) == expected


# -- rendering ----------------------------------------------------------------------------


def test_a_short_reply_is_one_html_message_with_its_keyboard():
    reply = Reply("<b>Gold</b>\n\n60 000 €", [[Button("👍", "fb:u:x"), Button("👎", "fb:d:x")],
                                             [Button("Menu", "m")]])
    (kwargs,) = message_parts(reply)
    assert kwargs["text"] == "<b>Gold</b>\n\n60 000 €"
    assert kwargs["parse_mode"] == "HTML"
    assert kwargs["link_preview_options"].is_disabled
    rows = kwargs["reply_markup"].inline_keyboard
    assert [[b.callback_data for b in row] for row in rows] == [["fb:u:x", "fb:d:x"], ["m"]]


def test_a_long_reply_is_split_under_the_limit_and_stays_valid_html():
    paragraph = "<b>Sophos</b> " + "word " * 150
    reply = Reply("\n\n".join([paragraph] * 12), [[Button("Menu", "m")]])
    parts = message_parts(reply)
    assert len(parts) > 1
    for part in parts:
        assert len(part["text"]) <= 4096
        parse_html(part["text"])  # raises as Telegram would refuse it
    assert [p["reply_markup"] is not None for p in parts] == [False] * (len(parts) - 1) + [True]


def test_emoji_count_twice_as_telegram_counts_them():
    text = "\n".join(["🟢 " * 30] * 60)  # 3,659 characters, 5,459 UTF-16 units
    assert len(text) <= 4096 < utf16_len(text)
    parts = message_parts(Reply(text))
    assert len(parts) == 2
    assert all(utf16_len(p["text"]) <= 4096 for p in parts)
    assert sum(p["text"].count("🟢") for p in parts) == 1800  # nothing lost at the cut


def test_a_cut_inside_a_tag_closes_and_reopens_it():
    text = "<b>" + "\n".join(["bold line " * 10] * 60) + "</b> <i>end</i>"
    parts = message_parts(Reply(text))
    assert len(parts) > 1
    for part in parts:
        assert len(part["text"]) <= 4096
        parse_html(part["text"])
    assert all(p["text"].startswith("<b>") for p in parts)


def test_empty_replies():
    assert message_parts(Reply("")) == []
    (only,) = message_parts(Reply("  ", [[Button("Menu", "m")]]))
    assert only["text"] == "…" and only["reply_markup"] is not None
    assert keyboard([[], []]) is None


def test_plain_fallback_drops_the_markup():
    kwargs = plain_fallback({"text": "<b>A &amp; B</b>", "parse_mode": "HTML"})
    assert kwargs == {"text": "A & B", "parse_mode": None}


def test_inline_article():
    reply = Reply("<b>Question?</b>\n\nThe answer &amp; more.\n\n<i>Sophos</i>")
    article = inline_article("x" * 80, "Question?", reply)
    assert len(article.id) == 64
    assert article.description == "The answer & more. Sophos"
    assert article.input_message_content.message_text.startswith("<b>Question?</b>")


def test_every_menu_command_is_one_the_core_knows(core):
    unknown = core.assistant.handle_command(Session("x"), "no-such-command")[0].text
    assert set(COMMANDS) > TELEGRAM_ONLY
    for name in set(COMMANDS) - TELEGRAM_ONLY:  # those the Telegram layer answers itself
        assert core.assistant.handle_command(Session("x"), name)[0].text != unknown, name


@pytest.mark.parametrize("lang", ["ru", "fr", "pl"])
def test_command_descriptions_are_translated(lang):
    commands = bot_commands(lang)
    assert [c.command for c in commands] == list(COMMANDS)
    assert all(c.description != english
               for c, english in zip(commands, COMMANDS.values(), strict=True))
    assert all(1 <= len(c.description) <= 256 for c in commands)


# -- retries ------------------------------------------------------------------------------


class Flaky:
    """A Bot API call failing with the given errors, then succeeding."""

    def __init__(self, *errors: Exception):
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return {"ok": True}


@pytest.fixture
def waits():
    return []


@pytest.fixture
def limiter(waits):
    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    return RetryingLimiter(sleep=sleep, backoff=0.5)


async def _call(limiter, callback, endpoint="sendMessage"):
    return await limiter.process_request(callback, (endpoint, {}), {}, endpoint, {}, None)


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter()
async def test_flood_limits_wait_as_long_as_telegram_asks(limiter, waits):
    callback = Flaky(RetryAfter(3), RetryAfter(timedelta(seconds=1)))
    assert await _call(limiter, callback) == {"ok": True}
    assert callback.calls == 3
    assert waits == [pytest.approx(3.1), pytest.approx(1.1)]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter()
async def test_a_flood_limit_too_long_or_too_often_is_given_up(limiter):
    with pytest.raises(RetryAfter):
        await _call(limiter, Flaky(RetryAfter(3600)))
    with pytest.raises(RetryAfter):
        await _call(limiter, Flaky(*[RetryAfter(1)] * 4))


async def test_network_errors_are_retried_with_backoff(limiter, waits):
    callback = Flaky(NetworkError("Bad Gateway"), NetworkError("reset"))
    assert await _call(limiter, callback) == {"ok": True}
    assert waits == [0.5, 1.0]
    with pytest.raises(NetworkError):
        await _call(limiter, Flaky(*[NetworkError("down")] * 4))


async def test_a_timeout_is_retried_only_where_repeating_is_harmless(limiter):
    with pytest.raises(TimedOut):  # the message may have gone out: never send it twice
        await _call(limiter, Flaky(TimedOut()), "sendMessage")
    callback = Flaky(TimedOut())
    assert await _call(limiter, callback, "answerCallbackQuery") == {"ok": True}


@pytest.mark.parametrize("error", [BadRequest("Bad Request: chat not found"),
                                   Forbidden("Forbidden: bot was blocked by the user")])
async def test_refusals_are_not_retried(limiter, error):
    callback = Flaky(error)
    with pytest.raises(type(error)):
        await _call(limiter, callback)
    assert callback.calls == 1


async def test_a_throttling_limiter_is_kept_inside_the_retries(waits):
    class Throttle(RetryingLimiter):  # stands in for AIORateLimiter (an optional extra)
        passed: list[str] = []  # noqa: RUF012

        async def process_request(self, callback, args, kwargs, endpoint, data, rla):
            self.passed.append(endpoint)
            return await callback(*args, **kwargs)

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    limiter = RetryingLimiter(Throttle(), sleep=sleep)
    await limiter.initialize()
    assert await _call(limiter, Flaky(NetworkError("reset"))) == {"ok": True}
    assert Throttle.passed == ["sendMessage", "sendMessage"]
    await limiter.shutdown()


@pytest.mark.parametrize(("rate", "paced"), [(0.0, False), (30.0, True)])
def test_all_chats_are_paced_only_when_bot_rate_limit_is_set(core, tmp_path, rate, paced):
    sessions, db = open_store(tmp_path / "bot.sqlite3")
    app = build_application(core, TOKEN, sessions=sessions, db=db,
                            settings=Settings(rate_limit=rate))
    throttle = app.bot.rate_limiter.inner  # PTB's AIORateLimiter inside the retries
    assert (throttle._base_limiter is not None) == paced  # its all-chats limiter
    assert throttle._group_max_rate == 20  # groups: 20 messages a minute either way
    db.close()


# -- ordering -----------------------------------------------------------------------------


def _update(update_id: int, user_id: int) -> Update:
    return Update.de_json({"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "text": "hi",
        "chat": {"id": user_id, "type": "private"},
        "from": {"id": user_id, "is_bot": False, "first_name": "U"}}}, None)


async def test_one_users_updates_run_in_order_and_users_run_side_by_side():
    processor = PerUserProcessor(16)
    log: list[str] = []

    async def work(name: str, delay: float) -> None:
        log.append(f"{name} start")
        await asyncio.sleep(delay)
        log.append(f"{name} end")

    await asyncio.gather(
        processor.process_update(_update(1, 1), work("a1", 0.05)),
        processor.process_update(_update(2, 1), work("a2", 0)),
        processor.process_update(_update(3, 2), work("b1", 0)),
    )
    assert log.index("a1 end") < log.index("a2 start")  # the same user waits
    assert log.index("b1 end") < log.index("a1 end")  # another user does not
    assert not processor._locks  # nothing kept once a user is idle


# -- the token in logs --------------------------------------------------------------------


def test_the_token_is_redacted_from_messages_arguments_and_tracebacks(caplog):
    redact.install(TOKEN)
    logger = logging.getLogger("test.redact")
    secret = TOKEN.split(":")[1]
    with caplog.at_level(logging.DEBUG):
        logger.info("HTTP Request: POST https://api.telegram.org/bot%s/getMe", TOKEN)
        logger.info(f"url-encoded: {TOKEN.replace(':', '%3A')}")
        try:
            raise RuntimeError(f"connect failed for /bot{TOKEN}/sendMessage")
        except RuntimeError:
            logger.exception("boom")
        assert secret not in caplog.text
        assert caplog.text.count("[REDACTED]") >= 3
        redact.uninstall()
        logger.info("after uninstall: %s", TOKEN)
    assert f"after uninstall: {TOKEN}" in caplog.text  # the factory is restored

"""LOG_FORMAT=json: one JSON object a line, the token still redacted."""

from __future__ import annotations

import io
import json
import logging

import pytest
from bot_api_emulator import TOKEN

from bot.logs import JsonFormatter
from bot.telegram import redact


@pytest.fixture
def logger():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    log = logging.getLogger("partnerbot.test.logs")
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    log.propagate = False
    redact.install(TOKEN)
    yield log, stream
    log.removeHandler(handler)
    redact.uninstall()


def test_one_json_object_a_line_with_the_token_redacted(logger):
    log, stream = logger
    log.info("GET https://api.telegram.org/bot%s/getMe\nsecond line", TOKEN)
    try:
        raise RuntimeError(f"failed with {TOKEN}")
    except RuntimeError:
        log.exception("it broke")
    log.warning("with extra", extra={"update_id": 42})
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3  # newlines inside a message stay inside its JSON string
    first, second, third = (json.loads(line) for line in lines)
    assert first["level"] == "INFO" and first["logger"] == "partnerbot.test.logs"
    assert first["message"] == "GET https://api.telegram.org/bot[REDACTED]/getMe\nsecond line"
    assert first["time"].endswith("Z")
    assert second["message"] == "it broke" and "RuntimeError" in second["exc"]
    assert third["update_id"] == 42
    assert TOKEN not in stream.getvalue() and TOKEN.split(":")[1] not in stream.getvalue()


def test_extra_fields_are_redacted_too(logger):
    log, stream = logger
    log.info("x", extra={"url": f"https://api.telegram.org/bot{TOKEN}/getMe"})
    assert json.loads(stream.getvalue())["url"].endswith("bot[REDACTED]/getMe")

"""Whatever a user sends, the core answers politely: no exception, valid Telegram HTML,
every part under Telegram's limit, and nothing typed is ever evaluated as a template."""

import pytest
from fuzzing import (
    FORGED_CALLBACKS,
    NASTY,
    callback_data,
    compiled_templates,
    hostile_text,
    looks_like_template,
    template_results,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import build
from bot.dialogue.replies import split_text
from bot.dialogue.session import Session
from bot.templating import markup_problems

CORE = build()


def _check(replies, typed: str) -> None:
    assert replies, typed
    for reply in replies:
        assert markup_problems(reply.text) == [], (typed, reply.text[:200])
        for part in split_text(reply.text):
            assert len(part) <= 4096
        assert template_results(typed, reply.text) == []  # {{ 7*7 }} was never rendered


def _handle(typed: str, answer) -> None:
    """Every session's replies to `typed` pass `_check`; jinja2 never compiled `typed`."""
    with compiled_templates() as sources:
        for session in _sessions():
            _check(answer(session), typed)
    if looks_like_template(typed):
        assert not [s for s in sources if typed in s]


def _sessions():
    yield Session("fuzz", lang="ru")
    checking = Session("fuzz-check", lang="pl")
    CORE.assistant.handle_action(checking, "ck:sophos")  # an interview waiting for a number
    yield checking
    mapping = Session("fuzz-map", lang="fr")
    CORE.assistant.handle_action(mapping, "map")  # a look-up waiting for a name
    yield mapping


@pytest.mark.parametrize("typed", NASTY)
def test_nasty_text_in_every_state(typed):
    _handle(typed, lambda session: CORE.assistant.handle_text(session, typed))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_text())
def test_any_text(typed):
    _handle(typed, lambda session: CORE.assistant.handle_text(session, typed))


@settings(max_examples=300, deadline=None)
@given(st.one_of(callback_data(), st.sampled_from(FORGED_CALLBACKS)))
def test_any_callback_data(data):
    _handle(data, lambda session: CORE.assistant.handle_action(session, data))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20), hostile_text(100))
def test_any_command(name, arg):
    _handle(arg, lambda session: CORE.assistant.handle_command(session, name, arg))

"""Whatever a user sends, the core answers politely: no exception, valid Telegram HTML,
every part under Telegram's limit, and nothing typed is ever evaluated as a template."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import build
from bot.dialogue.replies import split_text
from bot.dialogue.session import Session
from bot.templating import markup_problems

CORE = build()
NASTY = [
    "", " ", "\u200b\u200b", "\u202e RTL \u202c", "🙂" * 500, "x" * 10_000,
    "<b>bold</b> <script>alert(1)</script> & &amp;", "**md** _it_ [link](http://x)",
    "{{ 7 * 7 }} {% for i in range(3) %}{{ i }}{% endfor %} {# c #}",
    "'; DROP TABLE questions; --", "\x00\x01\x02\x1b[31m", "%s %d {0} {lang}",
]


def _check(replies, typed: str) -> None:
    assert replies, typed
    for reply in replies:
        assert markup_problems(reply.text) == [], (typed, reply.text[:200])
        for part in split_text(reply.text):
            assert len(part) <= 4096
        if "{{" in typed and "49" not in typed:
            assert "49" not in reply.text  # {{ 7 * 7 }} was never rendered


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
    for session in _sessions():
        _check(CORE.assistant.handle_text(session, typed), typed)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text(typed):
    for session in _sessions():
        _check(CORE.assistant.handle_text(session, typed), typed)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=64),
                 st.sampled_from(["a:", "fb:u:", "fb:x:sophos.tiers.gold", "t:sophos:",
                                  "t::", "ck:nowhere", "cka:", "cka:back", "ob:99",
                                  "ob:-1", "lang:en", "map:", "map:*", "none"])))
def test_any_callback_data(data):
    for session in _sessions():
        _check(CORE.assistant.handle_action(session, data), data)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20), st.text(max_size=100))
def test_any_command(name, arg):
    for session in _sessions():
        _check(CORE.assistant.handle_command(session, name, arg), f"/{name} {arg}")

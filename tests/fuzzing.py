"""Hostile input, shared by the bad-input tests of the core (tests/bot/dialogue) and of the
Telegram handlers (tests/telegram): what a user may type and what a client may send as
callback data, and the checks a reply must pass whatever came in."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import jinja2
from hypothesis import strategies as st

# Whole messages worth trying in every state.
NASTY = [
    "", " ", "\u200b\u200b", "\u202e RTL \u202c", "🙂" * 500, "x" * 10_000, "👨‍👩‍👧" * 3000,
    "<b>bold</b> <script>alert(1)</script> & &amp;", "**md** _it_ [link](http://x)",
    "{{ 7 * 7 }} {% for i in range(3) %}{{ i }}{% endfor %} {# c #}",
    "{% raw %}{{ 7*7 }}{% endraw %}", "'; DROP TABLE questions; --", "\x00\x01\x02\x1b[31m",
    "%s %d {0} {lang}", "שלום עולם مرحبا", "a\u0301\u0301\u0301 Z\u0335\u0321",
]

# Pieces that random messages are glued from: markup, templates, scripts, SQL, numbers.
PIECES = [
    " ", "\n", "\t", "\r\n", "\u200b", "\u200d", "\u2067", "\u202e", "\ufeff", "🙂", "👨‍👩‍👧",
    "שלום", "مرحبا", "<b>", "</b>", "<i>", "</i", "<a href='x'>", "<", ">", "&", "&amp;",
    "&#", "&lt", "**", "__", "`", "```", "[x](tg://user?id=1)", "{{ 7*7 }}", "{{ 'zq' ~ 'jx' }}",
    "{% for i in range(3) %}k{{ i }}{% endfor %}", "{% raw %}", "{% endraw %}", "{#", "#}",
    "{{", "}}", "{%", "%}", "'; DROP TABLE sessions; --", "\" OR 1=1 --", "\x00", "\x1b[31m",
    "%s", "{0}", "sophos gold", "голд", "45 tys.", "3", "-1", "1e308", "９", "/start",
    "@PartnerTestBot",
]

# Expressions whose value shows if a template engine ever evaluated them.
TEMPLATE_PROBES = {"{{ 7*7 }}": "49", "{{ 7 * 7 }}": "49", "{{ 'zq' ~ 'jx' }}": "zqjx",
                   "{% for i in range(3) %}k{{ i }}{% endfor %}": "k0k1k2",
                   "{% raw %}{{ 7*7 }}{% endraw %}": "49"}

# Callback data of buttons that no longer exist, never existed, or were tampered with.
FORGED_CALLBACKS = [
    "a:", "fb:u:", "fb:x:sophos.tiers.gold", "t:sophos:", "t::", "ck:nowhere", "cka:",
    "cka:back", "ob:99", "ob:-1", "lang:en", "map:", "map:*", "none", "forget:yes:1",
    "forget:yes:", "forget:ask", "forget:no", "handoff", "pp:0", "pp:99", "pp:-1", ":", "",
]

# The commands the bot knows (and the staff's, which nobody else may use), for arguments.
COMMAND_NAMES = ["start", "help", "topics", "check", "map", "language", "cancel", "menu",
                 "privacy", "forget", "stats", "unanswered", "reload"]


def glued_text(max_pieces: int = 12) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=20)),
                    max_size=max_pieces).map("".join)


def hostile_text(max_size: int = 300) -> st.SearchStrategy[str]:
    """Anything a user could type, weighted towards what breaks chat bots."""
    return st.one_of(st.sampled_from(NASTY), st.text(max_size=max_size), glued_text())


def fits_callback(data: str) -> bool:
    return len(data.encode()) <= 64


def callback_data() -> st.SearchStrategy[str]:
    """Data a client could send: at most 64 bytes, as Telegram allows."""
    return st.one_of(st.sampled_from(FORGED_CALLBACKS),
                     st.text(max_size=64).filter(fits_callback),
                     glued_text(4).filter(fits_callback))


def command_name() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(COMMAND_NAMES),
                     st.from_regex(r"[A-Za-z0-9_]{1,32}", fullmatch=True))


def template_results(typed: str, reply: str) -> list[str]:
    """Probes the user typed whose evaluated value shows in `reply` (and was not typed)."""
    return [expr for expr, value in TEMPLATE_PROBES.items()
            if expr in typed and value not in typed and value in reply]


@contextlib.contextmanager
def compiled_templates() -> Iterator[list[str]]:
    """Every template source jinja2 compiles meanwhile (to check none holds user text)."""
    sources: list[str] = []
    original = jinja2.Environment.compile

    def spy(self, source, *args, **kwargs):
        sources.append(source if isinstance(source, str) else "")
        return original(self, source, *args, **kwargs)

    jinja2.Environment.compile = spy
    try:
        yield sources
    finally:
        jinja2.Environment.compile = original


def looks_like_template(typed: str) -> bool:
    return bool(re.search(r"\{\{.*\}\}|\{%.*%\}", typed, re.S))

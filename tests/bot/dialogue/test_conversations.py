"""Conversations as data: each YAML file is a user's session, step by step, with what
the assistant must reply. They run against the real knowledge base.

A step is one of `say: TEXT`, `tap: LABEL-or-ACTION` (a button of the last reply,
by its label or its callback data), `command: /name arg`; its expectations are
`kind`, `entry`, `contains` (substrings of the plain text), `buttons` (labels that
must be offered), `not_contains`, `lang` (the session's language afterwards).
A step `restart: true` stores the session as JSON and reads it back, as the bot does
across a restart.
"""

import json
import re
from pathlib import Path

import pytest
import yaml

from bot.core import build
from bot.dialogue.session import Session

CONVERSATIONS = sorted((Path(__file__).parent / "conversations").glob("*.yaml"))


def _norm(text: str) -> str:
    """Case and every kind of space (no-break spaces in figures) folded."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).lower()


@pytest.fixture(scope="module")
def core():
    return build()


def _find_button(replies, wanted):
    for reply in replies:
        for row in reply.buttons:
            for button in row:
                if wanted in (button.label, button.action):
                    return button
    labels = [b.label for r in replies for row in r.buttons for b in row]
    raise AssertionError(f"no button {wanted!r} among {labels}")


@pytest.mark.parametrize("path", CONVERSATIONS, ids=[p.stem for p in CONVERSATIONS])
def test_conversation(core, path):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    session = Session("test", lang=doc.get("lang", "ru"))
    assistant = core.assistant
    replies = assistant.start(session)
    for n, step in enumerate(doc["steps"], 1):
        where = f"{path.name} step {n}: {step}"
        if step.get("restart"):
            session = Session.from_dict(json.loads(json.dumps(session.to_dict())))
            continue
        if "say" in step:
            replies = assistant.handle_text(session, step["say"])
        elif "tap" in step:
            replies = assistant.handle_action(session, _find_button(replies, step["tap"]).action)
        elif "command" in step:
            name, _sep, arg = step["command"].lstrip("/").partition(" ")
            replies = assistant.handle_command(session, name, arg)
        elif "action" in step:
            replies = assistant.handle_action(session, step["action"])
        assert replies, where
        last = replies[-1]
        text = "\n".join(r.plain for r in replies)
        if "kind" in step:
            assert last.kind == step["kind"], f"{where}: got {last.kind}: {text[:300]}"
        if "entry" in step:
            assert last.entry == step["entry"], f"{where}: got {last.entry}: {text[:300]}"
        for part in step.get("contains", []):
            assert _norm(part) in _norm(text), f"{where}: {part!r} not in {text[:500]!r}"
        for part in step.get("not_contains", []):
            assert _norm(part) not in _norm(text), f"{where}: {part!r} in {text[:500]!r}"
        for label in step.get("buttons", []):
            _find_button(replies, label)
        if "lang" in step:
            assert session.lang == step["lang"], where
        for reply in replies:
            assert len(reply.text) <= 4096 or reply.kind == "map", where

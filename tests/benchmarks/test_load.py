"""benchmarks/load.py keeps working: a few users against the real bot lose no reply, and
the driver does notice a reply that never comes or says something else. Speed is the
benchmark's business, not asserted here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def _load_benchmark():
    spec = importlib.util.spec_from_file_location("load_benchmark",
                                                  ROOT / "benchmarks" / "load.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("load_benchmark", module)
    spec.loader.exec_module(module)
    return module


load = _load_benchmark()
loadusers = load.loadusers


async def test_a_few_users_hold_whole_conversations_and_get_every_reply():
    result = await load.run_once(5, "paced", rate=1000, scripts=5, timeout=20)
    assert result.problems == []
    assert (result.lost, result.wrong) == (0, 0)
    assert result.updates >= 5 * 8  # /start, questions, the interview, a look-up or thanks
    assert len(result.latencies) == result.updates
    assert result.replies >= result.updates
    assert result.peak_rss_mb > 0


def test_every_language_and_the_interview_are_in_the_scripts():
    scripts = loadusers.scripts(6, seed=1)
    assert {s.lang for s in scripts} == {"ru", "fr", "pl"}
    assert all(2 <= len(s.questions) <= 4 for s in scripts)
    assert scripts == loadusers.scripts(6, seed=1)  # the same seed, the same conversations


@pytest.fixture
async def emulator():
    async with loadusers.LoadEmulator() as emu:
        yield emu


def _player(emulator, expected):
    script = loadusers.Script(seed=1, lang="fr", questions=("bonjour",), lookup=None)
    return loadusers.Player(emulator, 4242, script, expected)


async def test_a_reply_that_never_comes_is_lost(emulator):
    result = load.Result(1, "burst")
    player = _player(emulator, [loadusers.Expected(1, (("message", "Bonjour !"),))])
    await player.play(0.0, 0.2, None, result)
    assert (result.updates, result.lost, result.latencies) == (1, 1, [])


async def test_a_reply_that_says_something_else_is_wrong(emulator):
    result = load.Result(1, "burst")
    player = _player(emulator, [loadusers.Expected(1, (("message", "Bonjour !"),))])
    emulator.private_chat(player.user)

    async def bot():
        await loadusers.asyncio.sleep(0.01)
        emulator.api_sendmessage({"chat_id": player.chat, "text": "Sorry, something went wrong"})

    await loadusers.asyncio.gather(player.play(0.0, 2.0, None, result), bot())
    assert (result.updates, result.lost, result.wrong) == (1, 0, 1)
    assert len(result.latencies) == 1

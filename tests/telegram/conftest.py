"""Fixtures: the small knowledge base, the Bot API emulator, and bots running on it."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from bot_api_emulator import BotAPIEmulator
from tg_harness import RunningBot

from bot.core import Core, build
from bot.telegram import redact

HERE = Path(__file__).parent
KB_OK = HERE.parent / "fixtures" / "kb_ok"


@pytest.fixture(scope="session")
def kb_root(tmp_path_factory) -> Path:
    """The small test knowledge base plus a two-row mapping table (for /map)."""
    root = tmp_path_factory.mktemp("kb") / "knowledge"
    shutil.copytree(KB_OK, root)
    (root / "mapping").mkdir(exist_ok=True)
    shutil.copy(HERE / "data" / "symantec2014.yaml", root / "mapping" / "symantec2014.yaml")
    return root


@pytest.fixture(scope="session")
def core(kb_root) -> Core:
    return build(kb_root)


@pytest.fixture
async def emulator() -> AsyncIterator[BotAPIEmulator]:
    emu = BotAPIEmulator()
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()


@pytest.fixture
async def bot_factory(emulator, core, tmp_path):
    """Start bots on the same emulator and database file; all are stopped at the end."""
    started: list[RunningBot] = []

    async def start(db_path: Path | None = None) -> RunningBot:
        running = await RunningBot(emulator, core, db_path or tmp_path / "bot.sqlite3").start()
        started.append(running)
        return running

    yield start
    for running in reversed(started):
        await running.stop()


@pytest.fixture
async def bot(bot_factory) -> RunningBot:
    return await bot_factory()


@pytest.fixture(autouse=True)
def _forget_tokens():
    """build_application installs token redaction process-wide; undo it after each test."""
    yield
    redact.uninstall()

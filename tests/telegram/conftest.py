"""Fixtures: the small knowledge base, the Bot API emulator, and bots running on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tg_harness import ADMIN_ID, STAFF_CHAT_ID, RunningBot

from bot.core import Core, build
from bot.storage.records import SqliteJournal
from bot.telegram import redact
from bot.telegram.settings import Settings

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
async def bot_factory(emulator, core, tmp_path):
    """Start bots on the same emulator and database file; all are stopped at the end."""
    started: list[RunningBot] = []

    async def start(db_path: Path | None = None, **options) -> RunningBot:
        running = await RunningBot(emulator, core, db_path or tmp_path / "bot.sqlite3",
                                   **options).start()
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


@pytest.fixture
def kb_copy(kb_root, tmp_path) -> Path:
    """A knowledge folder of this test's own, for /reload to read (and tests to break)."""
    root = tmp_path / "knowledge"
    shutil.copytree(kb_root, root)
    return root


@pytest.fixture
def staff_settings(kb_copy) -> Settings:
    return Settings(admin_ids=frozenset({ADMIN_ID}), staff_chat_id=STAFF_CHAT_ID,
                    kb_root=kb_copy, retention_days=30)


@pytest.fixture
async def staff_bot(bot_factory, emulator, staff_settings, kb_copy) -> RunningBot:
    """The bot as `partnerbot run` starts it with ADMIN_IDS and STAFF_CHAT_ID set: its
    journal writes to the test's SQLite file, /reload reads the test's own folder."""
    emulator.group(STAFF_CHAT_ID, "Partner managers")
    return await bot_factory(settings=staff_settings,
                             core_factory=lambda db: build(kb_copy, journal=SqliteJournal(db)))

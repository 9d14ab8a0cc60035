"""The deploy tests reuse the Bot API emulator of tests/telegram."""

from __future__ import annotations

import sys
from pathlib import Path

TELEGRAM_TESTS = Path(__file__).resolve().parent.parent / "telegram"
if str(TELEGRAM_TESTS) not in sys.path:
    sys.path.insert(0, str(TELEGRAM_TESTS))


import pytest  # noqa: E402
from bot_api_emulator import BotAPIEmulator  # noqa: E402


@pytest.fixture
async def emulator():
    emu = BotAPIEmulator()
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()

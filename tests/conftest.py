"""Fixtures shared by several test folders: the Bot API emulator of tests/telegram
(the Telegram, deploy and fault tests all talk to it)."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

TELEGRAM_TESTS = Path(__file__).resolve().parent / "telegram"
if str(TELEGRAM_TESTS) not in sys.path:
    sys.path.insert(0, str(TELEGRAM_TESTS))

from bot_api_emulator import BotAPIEmulator  # noqa: E402


@pytest.fixture
async def emulator() -> AsyncIterator[BotAPIEmulator]:
    async with BotAPIEmulator() as emu:
        yield emu

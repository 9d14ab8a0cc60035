"""What the bot reads from its environment besides the token, checked before it starts.

  ADMIN_IDS                  Telegram user ids of the staff, separated by commas
                             (e.g. "12345678,87654321"): they may use /stats,
                             /unanswered and /reload. Empty: nobody.
  STAFF_CHAT_ID              the chat (usually a group, id like -1001234567890) where
                             partners' questions are passed to partner managers.
                             Unset: the bot does not offer to pass questions on.
  STAFF_LANG                 ru, fr or pl: the language of what the bot writes in the
                             staff chat (default ru).
  PARTNERBOT_RETENTION_DAYS  how long stored data is kept (default 365).

A malformed value stops the start with a message naming the variable: a typo in
ADMIN_IDS must not quietly lock the staff out, nor let someone else in.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot import LANGUAGES
from bot.telegram.i18n import DEFAULT_LANG

DEFAULT_RETENTION_DAYS = 365
MAX_RETENTION_DAYS = 36500


class ConfigError(ValueError):
    """A setting in the environment is malformed; the message says which and how."""


@dataclass(frozen=True)
class Settings:
    admin_ids: frozenset[int] = frozenset()
    staff_chat_id: int | None = None
    staff_lang: str = DEFAULT_LANG
    retention_days: int = DEFAULT_RETENTION_DAYS
    kb_root: Path | None = None  # what /reload reads; None: PARTNERBOT_KNOWLEDGE or default

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            admin_ids=parse_admin_ids(env.get("ADMIN_IDS", "")),
            staff_chat_id=parse_chat_id(env.get("STAFF_CHAT_ID", "")),
            staff_lang=parse_lang(env.get("STAFF_LANG", "")),
            retention_days=parse_retention(env.get("PARTNERBOT_RETENTION_DAYS", "")),
        )


def parse_admin_ids(value: str) -> frozenset[int]:
    """'123, 456' -> {123, 456}; empty items (a trailing comma) are ignored."""
    ids: set[int] = set()
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        if not re.fullmatch(r"[0-9]{1,20}", item) or int(item) == 0:
            raise ConfigError(
                f"ADMIN_IDS must be numeric Telegram user ids separated by commas "
                f"(e.g. 12345678,87654321), not usernames; {item!r} is not one.")
        ids.add(int(item))
    return frozenset(ids)


def parse_chat_id(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not re.fullmatch(r"-?[0-9]{1,20}", value) or int(value) == 0:
        raise ConfigError(f"STAFF_CHAT_ID must be a numeric Telegram chat id "
                          f"(e.g. -1001234567890), not {value!r}.")
    return int(value)


def parse_lang(value: str) -> str:
    value = value.strip().lower()
    if not value:
        return DEFAULT_LANG
    if value not in LANGUAGES:
        raise ConfigError(f"STAFF_LANG must be one of {', '.join(LANGUAGES)}, not {value!r}.")
    return value


def parse_retention(value: str) -> int:
    value = value.strip()
    if not value:
        return DEFAULT_RETENTION_DAYS
    if not re.fullmatch(r"[0-9]{1,6}", value) or not 1 <= int(value) <= MAX_RETENTION_DAYS:
        raise ConfigError(f"PARTNERBOT_RETENTION_DAYS must be a number of days from 1 to "
                          f"{MAX_RETENTION_DAYS}, not {value!r}.")
    return int(value)

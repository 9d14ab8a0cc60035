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
  BOT_RATE_LIMIT             Bot API calls a second the bot allows itself across all
                             chats (e.g. 30); unset or 0: no overall pacing, only
                             Telegram's own flood-limit answers slow it down. Groups
                             are paced at 20 messages a minute either way.
  LOG_LEVEL                  DEBUG, INFO (default), WARNING, ERROR or CRITICAL.
  LOG_FORMAT                 text (default) or json: one JSON object a line.
  WEBHOOK_URL                set: webhook mode instead of polling. The public HTTPS
                             address Telegram posts updates to, e.g.
                             https://bot.example.com/telegram (its path is the path
                             the bot's own server answers on). http:// only with
                             BOT_API_LOCAL=1 (a self-hosted Bot API server).
  WEBHOOK_SECRET             required in webhook mode: 1-256 characters A-Z a-z 0-9 _ -;
                             Telegram sends it with every update, the bot refuses
                             requests without it.
  WEBHOOK_LISTEN             the address the webhook server binds (default 127.0.0.1;
                             0.0.0.0 in a container).
  WEBHOOK_PORT               its port (default 8443).

A malformed value stops the start with a message naming the variable: a typo in
ADMIN_IDS must not quietly lock the staff out, nor let someone else in.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bot import LANGUAGES
from bot.telegram.i18n import DEFAULT_LANG

DEFAULT_RETENTION_DAYS = 365
MAX_RETENTION_DAYS = 36500
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
DEFAULT_WEBHOOK_LISTEN = "127.0.0.1"
DEFAULT_WEBHOOK_PORT = 8443
MAX_RATE_LIMIT = 1000  # Telegram's paid broadcasts allow up to 1,000 messages a second


class ConfigError(ValueError):
    """A setting in the environment is malformed; the message says which and how."""


@dataclass(frozen=True)
class Webhook:
    """Webhook mode: PTB's own server on `listen`:`port` answers on `url_path`."""

    url: str
    secret: str
    listen: str = DEFAULT_WEBHOOK_LISTEN
    port: int = DEFAULT_WEBHOOK_PORT

    @property
    def url_path(self) -> str:
        return urlsplit(self.url).path.strip("/")

    def __repr__(self) -> str:  # the secret stays out of logs and tracebacks
        return (f"Webhook(url={self.url!r}, secret='***', listen={self.listen!r}, "
                f"port={self.port})")


@dataclass(frozen=True)
class Settings:
    admin_ids: frozenset[int] = frozenset()
    staff_chat_id: int | None = None
    staff_lang: str = DEFAULT_LANG
    retention_days: int = DEFAULT_RETENTION_DAYS
    kb_root: Path | None = None  # what /reload reads; None: PARTNERBOT_KNOWLEDGE or default
    webhook: Webhook | None = None  # None: polling
    log_level: str = "INFO"
    log_format: str = "text"
    rate_limit: float = 0.0  # calls a second across all chats; 0: no overall pacing

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            admin_ids=parse_admin_ids(env.get("ADMIN_IDS", "")),
            staff_chat_id=parse_chat_id(env.get("STAFF_CHAT_ID", "")),
            staff_lang=parse_lang(env.get("STAFF_LANG", "")),
            retention_days=parse_retention(env.get("PARTNERBOT_RETENTION_DAYS", "")),
            webhook=parse_webhook(env),
            log_level=parse_log_level(env.get("LOG_LEVEL", "")),
            log_format=parse_log_format(env.get("LOG_FORMAT", "")),
            rate_limit=parse_rate_limit(env.get("BOT_RATE_LIMIT", "")),
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


def parse_log_level(value: str) -> str:
    value = value.strip().upper()
    if not value:
        return "INFO"
    if value not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {value!r}.")
    return value


def parse_log_format(value: str) -> str:
    value = value.strip().lower()
    if not value:
        return "text"
    if value not in LOG_FORMATS:
        raise ConfigError(f"LOG_FORMAT must be text or json, not {value!r}.")
    return value


def parse_rate_limit(value: str) -> float:
    value = value.strip()
    if not value:
        return 0.0
    if (not re.fullmatch(r"[0-9]{1,4}(\.[0-9]+)?", value)
            or not 0 <= float(value) <= MAX_RATE_LIMIT):
        raise ConfigError(f"BOT_RATE_LIMIT must be a number of calls a second from 0 (no "
                          f"overall pacing) to {MAX_RATE_LIMIT}, e.g. 30; not {value!r}.")
    return float(value)


def is_on(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def parse_webhook(env: Mapping[str, str]) -> Webhook | None:
    """WEBHOOK_URL, WEBHOOK_SECRET, WEBHOOK_LISTEN, WEBHOOK_PORT -> Webhook, or None
    (polling) when WEBHOOK_URL is unset."""
    url = env.get("WEBHOOK_URL", "").strip()
    secret = env.get("WEBHOOK_SECRET", "").strip()
    listen = env.get("WEBHOOK_LISTEN", "").strip()
    port = env.get("WEBHOOK_PORT", "").strip()
    if not url:
        return None  # polling; WEBHOOK_LISTEN/PORT may stay set (the image sets one)
    parts = urlsplit(url)
    local = is_on(env.get("BOT_API_LOCAL"))
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigError(f"WEBHOOK_URL must be a full https:// address "
                          f"(e.g. https://bot.example.com/telegram), not {url!r}.")
    if parts.scheme == "http" and not local:
        raise ConfigError(f"WEBHOOK_URL must start with https:// (Telegram delivers updates "
                          f"over HTTPS only); http:// is accepted only with BOT_API_LOCAL=1. "
                          f"Got {url!r}.")
    if parts.query or parts.fragment:
        raise ConfigError(f"WEBHOOK_URL must not have a query or fragment: {url!r}.")
    if not secret:
        raise ConfigError("WEBHOOK_SECRET is required in webhook mode (WEBHOOK_URL is set): "
                          "1-256 characters A-Z a-z 0-9 _ -, e.g. from "
                          "`python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`.")
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
        raise ConfigError("WEBHOOK_SECRET must be 1-256 characters A-Z a-z 0-9 _ - "
                          "(Telegram refuses others); the value set is not.")  # not echoed
    if port and (not re.fullmatch(r"[0-9]{1,5}", port) or not 1 <= int(port) <= 65535):
        raise ConfigError(f"WEBHOOK_PORT must be a port number from 1 to 65535, not {port!r}.")
    if listen and not re.fullmatch(r"[0-9A-Za-z.:\[\]-]+", listen):
        raise ConfigError(f"WEBHOOK_LISTEN must be an address to bind, like 0.0.0.0 or "
                          f"127.0.0.1, not {listen!r}.")
    return Webhook(url=url, secret=secret, listen=listen.strip("[]") or DEFAULT_WEBHOOK_LISTEN,
                   port=int(port) if port else DEFAULT_WEBHOOK_PORT)

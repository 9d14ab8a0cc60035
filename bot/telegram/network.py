"""Talking to Telegram reliably: retries, flood limits, and one user's updates in order.

* `RetryingLimiter` wraps every Bot API call (except `getUpdates`, which PTB's updater
  retries itself): a flood limit (`RetryAfter`) waits as long as Telegram asks and
  tries again; a network failure is retried with a short backoff. A timeout is retried
  only where repeating the call is harmless, so a slow `sendMessage` is never sent
  twice. When PTB's `rate-limiter` extra (aiolimiter) is installed, `AIORateLimiter`
  paces each group at Telegram's 20 messages a minute and, if BOT_RATE_LIMIT is set,
  all chats together at that many calls a second.
* `PerUserProcessor` processes updates of different users concurrently, and the
  updates of one user one after another: each update loads, changes and saves that
  user's session, so two taps in quick succession must not overtake each other.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter, BaseUpdateProcessor

log = logging.getLogger(__name__)

# Calls that change nothing when repeated: safe to retry after a timeout.
IDEMPOTENT = frozenset({
    "getMe", "getMyCommands", "setMyCommands", "deleteMyCommands", "sendChatAction",
    "deleteWebhook", "getWebhookInfo", "editMessageText", "editMessageReplyMarkup",
    "answerCallbackQuery", "answerInlineQuery", "setMyDescription", "setMyShortDescription",
    "getChat", "deleteMessage",
})


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def retry_after_seconds(exc: RetryAfter) -> float:
    # `retry_after` warns about its future type in PTB 22; the timedelta is the same value.
    value = getattr(exc, "_retry_after", None)
    return _seconds(value if value is not None else exc.retry_after)


def aio_rate_limiter(overall_per_second: float = 0.0) -> BaseRateLimiter | None:
    """PTB's throttling limiter if its extra is installed, else None.

    Groups are always paced (20 messages a minute). All chats together are paced only
    when `overall_per_second` is set: Telegram's "about 30 a second" is its advice for
    bulk notifications, and this bot only answers; pacing every answer at 30 calls a
    second (typing actions included) held it at 19 updates a second with answers seconds
    late under load (benchmarks/load.py). Should Telegram object, it answers 429 with
    retry_after, which RetryingLimiter honours."""
    try:
        from telegram.ext import AIORateLimiter

        return AIORateLimiter(overall_max_rate=overall_per_second,
                              max_retries=0)  # retries are RetryingLimiter's job
    except (ImportError, RuntimeError):
        return None


class RetryingLimiter(BaseRateLimiter[int]):
    def __init__(self, inner: BaseRateLimiter | None = None, *, flood_retries: int = 3,
                 max_wait: float = 60.0, network_retries: int = 3, backoff: float = 0.5,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep):
        self.inner = inner
        self.flood_retries = flood_retries
        self.max_wait = max_wait
        self.network_retries = network_retries
        self.backoff = backoff
        self.sleep = sleep

    async def initialize(self) -> None:
        if self.inner:
            await self.inner.initialize()

    async def shutdown(self) -> None:
        if self.inner:
            await self.inner.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        floods = failures = 0
        while True:
            try:
                if self.inner:
                    return await self.inner.process_request(callback, args, kwargs, endpoint,
                                                            data, None)
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                wait = retry_after_seconds(exc)
                floods += 1
                if floods > self.flood_retries or wait > self.max_wait:
                    raise
                log.warning("flood limit on %s: retrying in %.1f s", endpoint, wait)
                await self.sleep(wait + 0.1)
            except BadRequest:
                raise  # our mistake or a stale object: repeating changes nothing
            except TimedOut:
                failures += 1
                if endpoint not in IDEMPOTENT or failures > self.network_retries:
                    raise
                log.warning("timeout on %s: retry %d", endpoint, failures)
                await self.sleep(self.backoff * 2 ** (failures - 1))
            except NetworkError as exc:
                failures += 1
                if failures > self.network_retries:
                    raise
                log.warning("network error on %s (%s): retry %d", endpoint,
                            type(exc).__name__, failures)
                await self.sleep(self.backoff * 2 ** (failures - 1))


def user_of(update: object) -> int | None:
    """Whose session an update touches; None for updates that touch none (inline queries)."""
    if not isinstance(update, Update) or update.inline_query or update.chosen_inline_result:
        return None
    user = update.effective_user
    return user.id if user else None


class PerUserProcessor(BaseUpdateProcessor):
    """Concurrent across users, sequential (in arrival order) for each user."""

    def __init__(self, max_concurrent_updates: int = 256):
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = user_of(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # nobody else queued: forget the lock
                del self._waiting[key]
                del self._locks[key]

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

"""Keep the bot token out of every log line.

The token is part of each Bot API URL, and httpx logs the URL of every request at
INFO; tracebacks of network errors can carry it too. `install(token)` wraps the
logging record factory, so each record is redacted where it is made, whatever
handler, format or logger later writes it.
"""

from __future__ import annotations

import logging
import threading
import traceback
from urllib.parse import quote

MASK = "[REDACTED]"

_lock = threading.Lock()
_secrets: set[str] = set()
_original_factory = None


def secrets_of(token: str) -> set[str]:
    """The token as it may appear: whole, URL-encoded, and its secret half alone."""
    found = {token, quote(token, safe="")}
    _bot_id, _sep, secret = token.partition(":")
    if len(secret) >= 8:
        found.add(secret)
    return {s for s in found if s}


def redact(text: str, secrets: set[str] | None = None) -> str:
    for secret in sorted(secrets if secrets is not None else _secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def _scrub(record: logging.LogRecord) -> logging.LogRecord:
    secrets = _secrets
    if not secrets:
        return record
    try:
        message = record.getMessage()
    except Exception:  # a malformed record: leave it to logging's own error report
        return record
    if any(s in message for s in secrets):
        record.msg, record.args = redact(message, secrets), None
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
    if record.exc_text:
        record.exc_text = redact(record.exc_text, secrets)
    if record.stack_info:
        record.stack_info = redact(record.stack_info, secrets)
    return record


def install(token: str) -> None:
    """Redact `token` from every log record from now on (idempotent)."""
    global _original_factory
    with _lock:
        _secrets.update(secrets_of(token))
        if _original_factory is None:
            original = logging.getLogRecordFactory()

            def factory(*args, **kwargs):
                return _scrub(original(*args, **kwargs))

            _original_factory = original
            logging.setLogRecordFactory(factory)


def uninstall() -> None:
    """Forget every token and restore the record factory (for tests)."""
    global _original_factory
    with _lock:
        _secrets.clear()
        if _original_factory is not None:
            logging.setLogRecordFactory(_original_factory)
            _original_factory = None

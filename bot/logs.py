"""Logging set-up: plain text lines, or one JSON object a line (LOG_FORMAT=json).

The token is redacted where each record is made (`bot.telegram.redact` wraps the
record factory), so both formats write only redacted messages and tracebacks.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from bot.telegram import redact

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# LogRecord attributes that are not "extra" fields passed by the caller
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime",
                                                                          "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line: time (UTC, ISO 8601), level, logger,
    message, and `exc`/`stack` when present; `extra=` fields are added as they are."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            out["exc"] = record.exc_text
        if record.stack_info:
            out["stack"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in out:
                out[key] = value
        # the message and traceback are redacted already; `extra` fields are not
        return redact.redact(json.dumps(out, ensure_ascii=False, default=str))


def configure(level: str = "INFO", fmt: str = "text") -> None:
    """The root logger to stderr at `level`, in `fmt` ("text" or "json")."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    if level.upper() != "DEBUG":
        logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request otherwise

"""What the assistant says: HTML text plus buttons, for any front end to render."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.templating import to_plain

TELEGRAM_LIMIT = 4096
CALLBACK_LIMIT = 64  # bytes of callback data Telegram accepts


@dataclass(frozen=True)
class Button:
    label: str
    action: str  # callback data: short, ASCII, at most 64 bytes

    def __post_init__(self) -> None:
        if len(self.action.encode()) > CALLBACK_LIMIT:
            raise ValueError(f"callback data over {CALLBACK_LIMIT} bytes: {self.action!r}")


@dataclass
class Reply:
    text: str  # Telegram HTML subset; anything the user typed is already escaped
    buttons: list[list[Button]] = field(default_factory=list)
    kind: str = "info"  # answer | clarify | unknown | smalltalk | menu | check | map | info
    entry: str | None = None
    expects_text: bool = False  # the answer is typed (a number), buttons are only shortcuts

    @property
    def plain(self) -> str:
        return to_plain(self.text)


def shorten(text: str, limit: int = 60) -> str:
    """A button label that fits on a phone screen."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: in UTF-16 units, so an emoji counts two."""
    return len(text.encode("utf-16-le")) // 2


def _fit(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` UTF-16 units."""
    used = 0
    for i, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return i
    return len(text)


def split_text(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Cut a long message at paragraph or line breaks so each part fits one message."""
    parts: list[str] = []
    while utf16_len(text) > limit:
        end = _fit(text, limit)
        cut = max(text.rfind("\n\n", 0, end), text.rfind("\n", 0, end))
        if cut <= 0:
            cut = text.rfind(" ", 0, end)
        if cut <= 0:
            cut = end
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    parts.append(text)
    return [p for p in parts if p]

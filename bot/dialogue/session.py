"""One user's conversation state: a plain value that survives restarts as JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Session:
    user_id: str
    lang: str = "ru"
    lang_chosen: bool = False  # the user picked it (else detected or Telegram's)
    lang_known: bool = True  # False: the front end could not tell, so /start offers a choice
    onboarded: bool = False
    flow: dict[str, Any] | None = None  # an interview or look-up in progress
    mode: str | None = None  # "map" when the next text is a mapping look-up
    last_question: str | None = None
    last_entry: str | None = None  # the last answer shown: what a follow-up refers to

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Session:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass
class MemorySessions:
    """Sessions kept in memory; the storage layer offers the same two methods on SQLite."""

    data: dict[str, dict[str, Any]] = field(default_factory=dict)

    def load(self, user_id: str, default_lang: str = "ru") -> Session:
        raw = self.data.get(user_id)
        return Session.from_dict(raw) if raw else Session(user_id, lang=default_lang)

    def save(self, session: Session) -> None:
        self.data[session.user_id] = session.to_dict()

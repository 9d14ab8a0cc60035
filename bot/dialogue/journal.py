"""Where the conversation reports what happened, for staff to learn from.

The storage layer implements this on SQLite; `NullJournal` forgets everything.
"""

from __future__ import annotations

from typing import Protocol

from bot.matcher import Match


class Journal(Protocol):
    def question(self, user_id: str, text: str, lang: str, match: Match) -> None: ...

    def feedback(self, user_id: str, entry: str, up: bool) -> None: ...

    def eligibility(self, user_id: str, program: str, result: str) -> None: ...


class NullJournal:
    def question(self, user_id: str, text: str, lang: str, match: Match) -> None:
        pass

    def feedback(self, user_id: str, entry: str, up: bool) -> None:
        pass

    def eligibility(self, user_id: str, program: str, result: str) -> None:
        pass


class MemoryJournal(NullJournal):
    """Keeps events in lists: for tests and the terminal chat."""

    def __init__(self) -> None:
        self.questions: list[tuple[str, str, str, Match]] = []
        self.feedbacks: list[tuple[str, str, bool]] = []
        self.results: list[tuple[str, str, str]] = []

    def question(self, user_id: str, text: str, lang: str, match: Match) -> None:
        self.questions.append((user_id, text, lang, match))

    def feedback(self, user_id: str, entry: str, up: bool) -> None:
        self.feedbacks.append((user_id, entry, up))

    def eligibility(self, user_id: str, program: str, result: str) -> None:
        self.results.append((user_id, program, result))

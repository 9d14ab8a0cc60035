"""Errors with a reason code, so every front end can explain them in the user's language."""

from __future__ import annotations

from typing import Any


class EligibilityError(ValueError):
    """Base of every input error of the rules; `reason` is a stable code, `detail` its data."""

    def __init__(self, reason: str, message: str, **detail: Any) -> None:
        super().__init__(message)
        self.reason = reason
        self.detail = detail


class AmountError(EligibilityError):
    """A number or amount that cannot be read (reason: empty, not_a_number, too_large,
    wrong_currency, wrong_unit, not_whole)."""


class FactError(EligibilityError):
    """A fact that is unknown to the program or has a value it cannot take."""

    def __init__(self, fact: str, reason: str, message: str, **detail: Any) -> None:
        super().__init__(reason, f"{fact}: {message}", **detail)
        self.fact = fact


class UnknownProgram(EligibilityError):
    """A program name the engine has no rules for (reason: unknown_program, no_tier_rules)."""


class UnknownVersion(EligibilityError):
    """A rules version the program's file does not define."""

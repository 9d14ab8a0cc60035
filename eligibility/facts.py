"""What a program needs to know about a partner: each fact's type and the values it may take.

The types live in the rules files (`facts:`); this module turns what people type into typed
values (`Decimal` for money and percentages, `int` for counts, `bool` for yes/no), or says
exactly why it cannot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from eligibility import data
from eligibility.amounts import parse_amount, parse_count, parse_percent
from eligibility.errors import AmountError, FactError

Value = Decimal | int | bool

KINDS = ("money", "count", "percent", "bool")

YES = frozenset({"yes", "y", "true", "1", "+", "да", "д", "ага", "есть", "oui", "o", "tak", "t"})
NO = frozenset({"no", "n", "false", "0", "-", "нет", "н", "non", "nie"})


def parse_yes_no(text: str) -> bool:
    """yes/no in any of the product's languages (and the English keys the buttons send)."""
    word = text.strip().lower().rstrip(".!")
    if word in YES:
        return True
    if word in NO:
        return False
    if not word:
        raise AmountError("empty", "no answer given", text=text)
    raise AmountError("not_yes_no", f"{text!r} is neither yes nor no", text=text)


@dataclass(frozen=True)
class FactSpec:
    name: str
    kind: str  # money | count | percent | bool
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    currency: str | None = None  # money only
    optional: bool = False  # only some benefits rest on it

    @property
    def unit(self) -> str | None:
        """"EUR" for money, "%" for percentages, None for counts and yes/no."""
        return {"money": self.currency or "EUR", "percent": "%"}.get(self.kind)

    def parse(self, raw: Any) -> Value:
        """A typed value from what was typed (str) or given (int, Decimal, bool)."""
        try:
            value = self._typed(raw)
        except AmountError as exc:
            raise FactError(self.name, exc.reason, str(exc), **exc.detail) from None
        if self.kind != "bool":
            self._check_range(value)
        return value

    def _typed(self, raw: Any) -> Value:
        if self.kind == "bool":
            if isinstance(raw, bool):
                return raw
            if isinstance(raw, str):
                return parse_yes_no(raw)
            raise AmountError("not_yes_no", f"{raw!r} is neither yes nor no", text=str(raw))
        if isinstance(raw, bool) or not isinstance(raw, str | int | float | Decimal):
            raise AmountError("not_a_number", f"{raw!r} is not a number", text=str(raw))
        if isinstance(raw, str):
            if self.kind == "count":
                return parse_count(raw)
            if self.kind == "percent":
                return parse_percent(raw)
            return parse_amount(raw, self.currency or "EUR")
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            raise AmountError("not_a_number", f"{raw!r} is not a number", text=str(raw)) from None
        if not number.is_finite():
            raise AmountError("not_a_number", f"{raw!r} is not a number", text=str(raw))
        if self.kind == "count":
            if number != number.to_integral_value():
                raise AmountError("not_whole", f"{raw!r} is not a whole number", text=str(raw))
            return int(number)
        return number

    def _check_range(self, value: Decimal | int) -> None:
        if self.minimum is not None and value < self.minimum:
            if self.minimum == 0:
                raise FactError(self.name, "negative", f"{value} is negative; it must be 0 or more",
                                value=value, limit=self.minimum)
            raise FactError(self.name, "too_small", f"{value} is below {self.minimum}",
                            value=value, limit=self.minimum)
        if self.maximum is not None and value > self.maximum:
            raise FactError(self.name, "too_large", f"{value} is above {self.maximum}",
                            value=value, limit=self.maximum)


def _bound(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def specs(rules_file: str) -> dict[str, FactSpec]:
    """Every fact a rules file declares, in the file's order."""
    declared = data.rule_files()[rules_file].get("facts", {})
    out = {}
    for name, meta in declared.items():
        kind = meta["type"]
        if kind not in KINDS:
            raise ValueError(f"{rules_file}.yaml: fact {name} has unknown type {kind!r}")
        out[name] = FactSpec(name, kind, _bound(meta.get("min")), _bound(meta.get("max")),
                             meta.get("currency"), bool(meta.get("optional", False)))
    return out


def parse_facts(wanted: Mapping[str, FactSpec], given: Mapping[str, Any]) -> dict[str, Value]:
    """Typed facts; a fact given as None (or not given) is unknown and simply left out."""
    out = {}
    for name, raw in given.items():
        spec = wanted.get(name)
        if spec is None:
            known = ", ".join(wanted)
            raise FactError(name, "unknown_fact", f"not a fact of this program (facts: {known})",
                            known=list(wanted))
        if raw is not None:
            out[name] = spec.parse(raw)
    return out

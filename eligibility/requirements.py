"""Requirements as the rules files write them (`expert_min: 3`, `revenue_share_pct_over: 35`,
`high_csat: true`, `tier: platinum`), and how each one is checked against the facts.

Key suffixes carry the comparison, so the YAML stays the single source of every number:
`_min` means "at least" (a threshold reached exactly qualifies), `_over` means "strictly
more than", a boolean means "must be yes" (or "no"), and `tier` means "that tier reached".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from eligibility.decision import AT_LEAST, FAILED, IS, MORE_THAN, PASSED, TIER, UNKNOWN, Check

TierStatus = Callable[[str], str]


def _number(value: Any) -> Decimal | int:
    return value if isinstance(value, int) else Decimal(str(value))


@dataclass(frozen=True)
class Requirement:
    scope: str  # the tier, outcome or benefit it belongs to
    fact: str  # what is compared: a fact, "a+b" for a sum, or "tier"
    op: str
    need: Any
    facts: tuple[str, ...] = ()  # the facts it rests on

    @property
    def rule(self) -> str:
        return f"{self.scope}.{self.fact}"

    def check(self, facts: Mapping[str, Any], tier_status: TierStatus | None = None) -> Check:
        """The rule applied: passed, failed (with the gap) or unknown (a fact not given)."""
        if self.op == TIER:
            status = tier_status(self.need) if tier_status else UNKNOWN
            return self._result(None, status)
        given = [facts[f] for f in self.facts if f in facts]
        if self.op == IS:
            if not given:
                return self._result(None, UNKNOWN)
            return self._result(given[0], PASSED if given[0] == self.need else FAILED)
        have = sum(given)
        if len(given) < len(self.facts):  # part of a sum unknown: counts are never negative,
            if self.op == AT_LEAST and given and have >= self.need:  # so what is known may do
                return self._result(have, PASSED)
            return self._result(None, UNKNOWN)
        ok = have >= self.need if self.op == AT_LEAST else have > self.need
        return self._result(have, PASSED if ok else FAILED, None if ok else self.need - have)

    def _result(self, have: Any, status: str, gap: Any = None) -> Check:
        return Check(self.rule, self.scope, self.fact, self.op, self.need, have, status, gap,
                     self.facts)


@dataclass(frozen=True)
class Tier:
    name: str
    requirements: tuple[Requirement, ...] = ()


@dataclass(frozen=True)
class BenefitRule:
    key: str
    figures: dict[str, Any] = field(default_factory=dict)
    requirements: tuple[Requirement, ...] = ()


def parse(scope: str, spec: Mapping[str, Any] | None,
          sums: Mapping[str, tuple[str, ...]] | None = None) -> tuple[Requirement, ...]:
    """Requirements from one YAML mapping; `sums` names counts that add facts up
    (Symantec's `competencies` = principal + expert)."""
    sums = sums or {}
    out = []
    for key, value in (spec or {}).items():
        if key == "tier":
            out.append(Requirement(scope, "tier", TIER, value))
        elif key.endswith(("_min", "_over")):
            name, _, suffix = key.rpartition("_")
            facts = sums.get(name, (name,))
            op = AT_LEAST if suffix == "min" else MORE_THAN
            out.append(Requirement(scope, "+".join(facts), op, _number(value), facts))
        elif isinstance(value, bool):
            out.append(Requirement(scope, key, IS, value, (key,)))
        else:
            raise ValueError(f"{scope}: cannot read requirement {key}: {value!r}")
    return tuple(out)

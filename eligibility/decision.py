"""What the engine decided and why: plain values that every front end renders its own way.

Nothing here is a bare boolean: each rule check says what was needed, what the partner has,
whether it passed, failed or could not be decided (a fact not given), and by how much.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

PASSED, FAILED, UNKNOWN = "passed", "failed", "unknown"
AT_LEAST, MORE_THAN, IS, TIER = "at_least", "more_than", "is", "tier"


def plain(value: Any) -> Any:
    """A JSON-friendly copy: Decimals become int or float, tuples lists."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


@dataclass(frozen=True)
class Check:
    """One rule applied to the facts.

    `fact` names what is compared: a fact, a sum of facts ("principal+expert") or "tier";
    `facts` the facts it rests on. `gap` is need - have for a failed numeric rule; for
    `more_than` the partner needs more than `gap` on top of `have` (0: exactly the
    threshold, which is not enough).
    """

    rule: str  # "gold.expert"
    scope: str  # the tier, outcome or benefit the rule belongs to
    fact: str
    op: str  # at_least | more_than | is | tier
    need: Any
    have: Any  # None when unknown
    status: str  # passed | failed | unknown
    gap: Decimal | int | None = None
    facts: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return plain({"rule": self.rule, "tier": self.scope, "fact": self.fact, "op": self.op,
                      "need": self.need, "have": self.have, "status": self.status,
                      "gap": self.gap})


@dataclass(frozen=True)
class Missing:
    """One thing that stands between the partner and the next tier."""

    fact: str
    need: Any
    have: Any
    gap: Decimal | int | None
    op: str
    status: str  # failed | unknown

    @classmethod
    def of(cls, check: Check) -> Missing:
        return cls(check.fact, check.need, check.have, check.gap, check.op, check.status)

    def to_dict(self) -> dict[str, Any]:
        return plain({"fact": self.fact, "need": self.need, "have": self.have, "gap": self.gap,
                      "op": self.op, "status": self.status})


CLAIMABLE, NOT_CLAIMABLE = "claimable", "not_claimable"


@dataclass(frozen=True)
class Benefit:
    """A benefit with its figures and the conditions it rests on."""

    key: str
    figures: dict[str, Any]  # {"pct": 2} or {"pct_max": 8}
    status: str  # claimable | not_claimable | unknown
    conditions: tuple[Check, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"benefit": self.key, "figures": plain(self.figures), "status": self.status,
                "conditions": [c.to_dict() for c in self.conditions]}


@dataclass(frozen=True)
class Decision:
    """The outcome of one program's rules for one set of facts.

    `result` is what is certain: the highest tier surely reached (or, for a specialization,
    eligible / not_eligible / unknown). When `final` is false, facts that were not given
    could still raise it to one of `possible`; `open_facts` are those that would settle it.
    """

    program: str
    rules_version: str
    result: str
    final: bool
    next: str | None
    passed: tuple[Check, ...]
    failed: tuple[Check, ...]
    unknown: tuple[Check, ...]
    missing: tuple[Missing, ...]
    benefits: tuple[Benefit, ...] = ()
    possible: tuple[str, ...] = ()
    open_facts: tuple[str, ...] = ()
    facts: dict[str, Any] = field(default_factory=dict)
    levels: tuple[str, ...] = ()  # every outcome, lowest first
    source: str = ""
    effective: str | None = None
    notes: tuple[str, ...] = ()  # codes of remarks every rendering should carry

    @property
    def checks(self) -> tuple[Check, ...]:
        return self.passed + self.failed + self.unknown

    def to_dict(self) -> dict[str, Any]:
        return {
            "program": self.program, "rules_version": self.rules_version,
            "result": self.result, "final": self.final, "next": self.next,
            "missing": [m.to_dict() for m in self.missing],
            "passed": [c.to_dict() for c in self.passed],
            "failed": [c.to_dict() for c in self.failed],
            "unknown": [c.to_dict() for c in self.unknown],
            "benefits": [b.to_dict() for b in self.benefits],
            "possible": list(self.possible), "open_facts": list(self.open_facts),
            "facts": plain(self.facts), "levels": list(self.levels),
            "source": self.source, "effective": self.effective, "notes": list(self.notes),
        }

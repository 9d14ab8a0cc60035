"""From checks to a decision: tiers are a ladder, each one reached only if those below it are.

A tier whose checks all pass is reached; one with a failed check is not; one with only
unknown checks left is still possible. The result is the highest tier surely reached. The
unknown facts of the tiers still possible, and of the benefits still open, are the ones
that would settle the rest; an unknown fact that can change neither is not asked for (it
still shows, as unknown, among what is missing for the next tier).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from eligibility.decision import (
    CLAIMABLE,
    FAILED,
    NOT_CLAIMABLE,
    PASSED,
    UNKNOWN,
    Benefit,
    Check,
    Decision,
    Missing,
)
from eligibility.requirements import BenefitRule, Tier


def overall(checks: Iterable[Check]) -> str:
    """failed if any check failed, else unknown if any is unknown, else passed."""
    statuses = {c.status for c in checks}
    return FAILED if FAILED in statuses else UNKNOWN if UNKNOWN in statuses else PASSED


def decide(*, program: str, version: str, tiers: Sequence[Tier], facts: Mapping[str, Any],
           fact_order: Sequence[str], benefits: Sequence[BenefitRule] = (),
           undecided: str | None = None, **about: Any) -> Decision:
    """The decision for `facts` on a ladder of `tiers` (lowest first, without requirements).

    `undecided` names the result to give while it is not settled (a specialization is
    "unknown" rather than "not_eligible"); `about` passes source, effective and notes on.
    """
    if tiers[0].requirements:
        raise ValueError(f"{program}: the lowest tier must have no requirements")
    names = [t.name for t in tiers]
    checks = {t.name: tuple(r.check(facts) for r in t.requirements) for t in tiers}
    status = {name: overall(cs) for name, cs in checks.items()}
    top = 0
    while top + 1 < len(names) and status[names[top + 1]] == PASSED:
        top += 1
    possible = []
    for name in names[top + 1:]:
        if status[name] == FAILED:
            break
        possible.append(name)
    nxt = names[top + 1] if top + 1 < len(names) else None

    def tier_status(name: str) -> str:
        return PASSED if names.index(name) <= top else UNKNOWN if name in possible else FAILED

    benefit_results = []
    for rule in benefits:
        conditions = tuple(r.check(facts, tier_status) for r in rule.requirements)
        state = {PASSED: CLAIMABLE, FAILED: NOT_CLAIMABLE, UNKNOWN: UNKNOWN}[overall(conditions)]
        benefit_results.append(Benefit(rule.key, dict(rule.figures), state, conditions))

    open_checks = [c for name in possible for c in checks[name]]
    open_checks += [c for b in benefit_results if b.status == UNKNOWN for c in b.conditions]
    wanted = {f for c in open_checks if c.status == UNKNOWN for f in c.facts if f not in facts}
    every = [c for name in names for c in checks[name]]
    final = not possible
    return Decision(
        program=program, rules_version=version,
        result=names[top] if final or undecided is None else undecided,
        final=final, next=nxt,
        passed=tuple(c for c in every if c.status == PASSED),
        failed=tuple(c for c in every if c.status == FAILED),
        unknown=tuple(c for c in every if c.status == UNKNOWN),
        missing=tuple(Missing.of(c) for c in checks.get(nxt, ()) if c.status != PASSED),
        benefits=tuple(benefit_results), possible=tuple(possible),
        open_facts=tuple(f for f in fact_order if f in wanted),
        facts=dict(facts), levels=tuple(names), **about,
    )

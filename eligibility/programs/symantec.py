"""Symantec 2014: tiers rest on competencies at Principal and Expert level and on shown
customer satisfaction; benefits rest on Expert competencies, sales targets and the tier.

`principal` and `expert` are disjoint counts (a competency is held at one level), so
"competencies at Principal or Expert level" is their sum, and it cannot exceed the number
of competencies the program has.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eligibility.errors import FactError
from eligibility.facts import Value
from eligibility.programs.base import Program, Ruleset
from eligibility.requirements import BenefitRule, Tier, parse

SUMS = {"competencies": ("principal", "expert")}
FIGURES = ("pct", "pct_max")


class Symantec(Program):
    name = "symantec"
    rules_file = "symantec"

    def facts(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        # Expert first: one Expert competency settles Silver, and then Principal no longer
        # matters; the optional target facts only matter for a benefit still open.
        return ("expert", "principal", "high_csat", "renewal_target_met",
                "new_business_target_met")

    def ruleset(self, params: Mapping[str, Any]) -> Ruleset:
        tiers = tuple(Tier(name, parse(name, spec, SUMS)) for name, spec in params["tiers"].items())
        benefits = tuple(
            BenefitRule(key, {k: v for k, v in spec.items() if k in FIGURES},
                        parse(key, spec.get("requires"), SUMS))
            for key, spec in params.get("benefits", {}).items())
        return Ruleset(tiers, benefits)

    def validate(self, facts: Mapping[str, Value], params: Mapping[str, Any]) -> None:
        limit = params.get("competency_count")
        if limit is not None and facts.get("principal", 0) + facts.get("expert", 0) > limit:
            raise FactError("principal+expert", "too_many",
                            f"{facts.get('principal', 0)} + {facts.get('expert', 0)} "
                            f"competencies, but the program has only {limit}", limit=limit)

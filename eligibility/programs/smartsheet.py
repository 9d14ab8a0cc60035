"""Smartsheet Aligned: the two specialization badges, each eligible or not.

The program's Silver/Gold/Platinum tiers are points-based with weights the source does not
give; they are deliberately not rules here (see `NO_TIER_RULES`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eligibility.programs.base import Program, Ruleset
from eligibility.requirements import Tier, parse

NO_TIER_RULES = ("Smartsheet's Silver, Gold and Platinum tiers are points-based with weights "
                 "the source does not give, so they cannot be checked; only the two "
                 "specializations can: smartsheet-vertical, smartsheet-brandfolder")


class SmartsheetSpecialization(Program):
    rules_file = "smartsheet"
    undecided = "unknown"
    notes = ("tiers_points_based",)

    def __init__(self, specialization: str) -> None:
        self.specialization = specialization
        self.name = f"smartsheet-{specialization}"

    def _spec(self, params: Mapping[str, Any]) -> dict[str, Any]:
        return params["specializations"][self.specialization]

    def facts(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        return tuple(r.facts[0] for r in parse("eligible", self._spec(params)))

    def ruleset(self, params: Mapping[str, Any]) -> Ruleset:
        return Ruleset((Tier("not_eligible"), Tier("eligible", parse("eligible",
                                                                     self._spec(params)))))

"""Sophos: the level follows the prior-year turnover with Sophos; Authorized needs nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eligibility.programs.base import Program, Ruleset
from eligibility.requirements import Tier, parse


class Sophos(Program):
    name = "sophos"
    rules_file = "sophos"

    def facts(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        return ("turnover_eur",)

    def ruleset(self, params: Mapping[str, Any]) -> Ruleset:
        levels = self.document["levels"]
        thresholds = params["thresholds"]
        tiers = [Tier(levels[0])]
        tiers += [Tier(level, parse(level, {"turnover_eur_min": thresholds[level]}))
                  for level in levels[1:]]
        return Ruleset(tuple(tiers))

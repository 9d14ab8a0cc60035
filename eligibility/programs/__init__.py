"""The programs the engine can check, by the names the command line and the interview use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eligibility.decision import Decision
from eligibility.errors import UnknownProgram
from eligibility.programs.base import Program
from eligibility.programs.smartsheet import NO_TIER_RULES, SmartsheetSpecialization
from eligibility.programs.sophos import Sophos
from eligibility.programs.symantec import Symantec

PROGRAMS: dict[str, Program] = {p.name: p for p in (
    Sophos(), Symantec(), SmartsheetSpecialization("vertical"),
    SmartsheetSpecialization("brandfolder"))}


def get(name: str) -> Program:
    """The program called `name`, or an error that says which names there are."""
    key = name.strip().lower()
    if key in PROGRAMS:
        return PROGRAMS[key]
    if key == "smartsheet":
        raise UnknownProgram("no_tier_rules", NO_TIER_RULES, program=name)
    known = ", ".join(PROGRAMS)
    raise UnknownProgram("unknown_program", f"no program {name!r} (known: {known})",
                         program=name, known=list(PROGRAMS))


def evaluate(program: str, facts: Mapping[str, Any], version: str | None = None) -> Decision:
    """Facts in, an explained decision out; a fact left out is unknown, not failed."""
    return get(program).evaluate(facts, version)

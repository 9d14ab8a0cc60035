"""Partner-tier rules: facts in, an explained decision out. Pure, no I/O in evaluation."""

from eligibility.decision import Benefit, Check, Decision, Missing
from eligibility.errors import (
    AmountError,
    EligibilityError,
    FactError,
    UnknownProgram,
    UnknownVersion,
)
from eligibility.programs import PROGRAMS, evaluate, get

__all__ = ["PROGRAMS", "AmountError", "Benefit", "Check", "Decision", "EligibilityError",
           "FactError", "Missing", "UnknownProgram", "UnknownVersion", "evaluate", "get"]

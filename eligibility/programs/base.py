"""What every program shares: its rules file, its facts and versions, and `evaluate`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from eligibility import data
from eligibility.decision import Decision
from eligibility.errors import UnknownVersion
from eligibility.facts import FactSpec, Value, parse_facts, specs
from eligibility.ladder import decide
from eligibility.requirements import BenefitRule, Tier


@dataclass(frozen=True)
class Ruleset:
    tiers: tuple[Tier, ...]
    benefits: tuple[BenefitRule, ...] = ()


class Program:
    """A program's rules; subclasses say how one version's parameters become tiers."""

    name: str
    rules_file: str
    undecided: str | None = None  # the result while not settled, if not the lowest tier
    notes: tuple[str, ...] = ()

    def facts(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        """The facts this program takes, in the order the interview asks them."""
        raise NotImplementedError

    def ruleset(self, params: Mapping[str, Any]) -> Ruleset:
        raise NotImplementedError

    def validate(self, facts: Mapping[str, Value], params: Mapping[str, Any]) -> None:
        """Checks across facts, once each is valid on its own."""

    # -- shared -------------------------------------------------------------------------
    @property
    def document(self) -> dict[str, Any]:
        return data.rule_files()[self.rules_file]

    @property
    def default_version(self) -> str:
        return str(self.document["default_version"])

    def versions(self) -> list[str]:
        return [str(v) for v in self.document["versions"]]

    def resolve(self, version: str | None = None) -> tuple[str, dict[str, Any]]:
        """The version's name and parameters; the default when none is named."""
        name = self.default_version if version is None else str(version)
        if name not in self.versions():
            known = ", ".join(self.versions())
            raise UnknownVersion("unknown_version",
                                 f"{self.name} has no rules version {name!r} (known: {known})",
                                 version=name, known=self.versions())
        return name, data.version(self.rules_file, name)

    def fact_specs(self, version: str | None = None) -> dict[str, FactSpec]:
        _, params = self.resolve(version)
        declared = specs(self.rules_file)
        return {name: declared[name] for name in self.facts(params)}

    def parse(self, given: Mapping[str, Any], version: str | None = None) -> dict[str, Value]:
        """Typed and validated facts (raises FactError with a reason code)."""
        _, params = self.resolve(version)
        typed = parse_facts(self.fact_specs(version), given)
        self.validate(typed, params)
        return typed

    def evaluate(self, given: Mapping[str, Any], version: str | None = None) -> Decision:
        """The decision for these facts: typed values or text as people type it."""
        name, params = self.resolve(version)
        typed = self.parse(given, name)
        rules = self.ruleset(params)
        effective = params.get("effective")
        notes = self.notes + (("not_default_version",) if name != self.default_version else ())
        return decide(program=self.name, version=name, tiers=rules.tiers, facts=typed,
                      fact_order=self.facts(params), benefits=rules.benefits,
                      undecided=self.undecided, source=self.document.get("source", ""),
                      effective=effective.isoformat() if effective else None, notes=notes)

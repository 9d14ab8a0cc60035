"""The rules, table-driven: `cases/*.yaml` hold worked cases (OpenFisca style), and every
threshold of every version in `eligibility/rules/*.yaml` is checked at, just under and just
over its value, so a changed number in the rules is tested the day it changes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from eligibility import PROGRAMS, EligibilityError, FactError, evaluate
from eligibility.decision import AT_LEAST, IS, MORE_THAN

CASES_DIR = Path(__file__).parent / "cases"


def _cases() -> list:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            params.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return params


CASES = _cases()


def _subset(have: dict, want: dict) -> bool:
    return all(have.get(k) == v for k, v in want.items())


@pytest.mark.parametrize("case", CASES)
def test_case(case):
    args = (case["program"], case["facts"], case.get("version"))
    if "error" in case:
        with pytest.raises(EligibilityError) as caught:
            evaluate(*args)
        assert caught.value.reason == case["error"]["reason"], str(caught.value)
        if "fact" in case["error"]:
            assert isinstance(caught.value, FactError)
            assert caught.value.fact == case["error"]["fact"]
        return
    decision = evaluate(*args).to_dict()
    for key, want in case["expect"].items():
        have = decision[key]
        if key == "missing":
            assert len(have) == len(want), have
            for got, expected in zip(have, want, strict=True):
                assert _subset(got, expected), f"missing: {got} is not {expected}"
        elif key in ("passed", "failed", "unknown"):
            assert [c["rule"] for c in have] == want, key
        elif key == "benefits":
            statuses = {b["benefit"]: b["status"] for b in have}
            assert _subset(statuses, want), statuses
        else:
            assert have == want, f"{key}: {have!r} != {want!r}"


def test_every_program_and_version_has_worked_cases():
    covered = {(c.values[0]["program"], c.values[0].get("version")) for c in CASES}
    for name, program in PROGRAMS.items():
        for version in program.versions():
            default = version == program.default_version
            assert (name, version) in covered or (default and (name, None) in covered), \
                f"no case for {name} {version}"


# -- every threshold, generated from the rules files -------------------------------------
def _requirements():
    """(program, version, requirement) for every rule of every tier and benefit."""
    for name, program in PROGRAMS.items():
        for version in program.versions():
            rules = program.ruleset(program.resolve(version)[1])
            groups = [t.requirements for t in rules.tiers]
            groups += [b.requirements for b in rules.benefits]
            for requirement in (r for group in groups for r in group):
                yield name, version, requirement


NUMERIC = [pytest.param(*r, id=f"{r[0]} {r[1]} {r[2].rule}") for r in _requirements()
           if r[2].op in (AT_LEAST, MORE_THAN)]
BOOLEAN = [pytest.param(*r, id=f"{r[0]} {r[1]} {r[2].rule}") for r in _requirements()
           if r[2].op == IS]


def _find(decision, rule: str):
    checks = list(decision.checks) + [c for b in decision.benefits for c in b.conditions]
    found = [c for c in checks if c.rule == rule]
    assert found, f"no check {rule}"
    return found[0]


@pytest.mark.parametrize(("program", "version", "requirement"), NUMERIC)
def test_numeric_threshold_at_and_around(program, version, requirement):
    specs = PROGRAMS[program].fact_specs(version)
    first, *others = requirement.facts
    spec = specs[first]
    step = Decimal(1) if spec.kind == "count" else Decimal("0.01")
    need = Decimal(str(requirement.need))
    for value in (need - step, need, need + step):
        if value < 0 or (spec.maximum is not None and value > spec.maximum):
            continue
        facts = {first: value, **dict.fromkeys(others, 0)}
        check = _find(evaluate(program, facts, version), requirement.rule)
        ok = value >= need if requirement.op == AT_LEAST else value > need
        assert check.status == ("passed" if ok else "failed"), (value, check)
        assert check.have == value
        assert check.gap == (None if ok else need - value), (value, check)


@pytest.mark.parametrize(("program", "version", "requirement"), NUMERIC + BOOLEAN)
def test_a_fact_not_given_is_unknown_not_failed(program, version, requirement):
    check = _find(evaluate(program, {}, version), requirement.rule)
    assert check.status == "unknown"
    assert check.have is None and check.gap is None


@pytest.mark.parametrize(("program", "version", "requirement"), BOOLEAN)
def test_yes_no_requirement(program, version, requirement):
    fact = requirement.facts[0]
    for answer in (True, False):
        check = _find(evaluate(program, {fact: answer}, version), requirement.rule)
        assert check.status == ("passed" if answer == requirement.need else "failed")


def test_thresholds_come_from_the_rules_files():
    """The engine has no number of its own: the YAML's figures are the ones checked."""
    from eligibility import data

    sophos = data.version("sophos", "current")["thresholds"]
    for level, threshold in sophos.items():
        assert evaluate("sophos", {"turnover_eur": threshold}).result == level
    spec = data.version("smartsheet")["specializations"]["vertical"]
    check = _find(evaluate("smartsheet-vertical",
                           {"revenue_share_pct": spec["revenue_share_pct_over"]}),
                  "eligible.revenue_share_pct")
    assert check.status == "failed" and check.gap == 0


def test_smartsheet_as_a_whole_is_refused_with_the_reason():
    with pytest.raises(EligibilityError) as caught:
        evaluate("smartsheet", {})
    message = str(caught.value)
    assert "points-based" in message and "smartsheet-vertical" in message


def test_decision_json_has_the_contract_keys():
    data = evaluate("symantec", {"expert": 1, "high_csat": True}).to_dict()
    for key in ("program", "rules_version", "result", "next", "missing", "passed", "failed",
                "benefits"):
        assert key in data
    benefit = data["benefits"][1]
    assert benefit["benefit"] == "renewal_rebate" and benefit["figures"] == {"pct": 2}
    assert [c["fact"] for c in benefit["conditions"]] == ["expert", "renewal_target_met"]

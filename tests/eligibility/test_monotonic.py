"""Properties over many generated partners: more turnover, competencies, customers or
revenue share never lower the result; and a decision made with facts missing never claims
more than the full facts give (when it says it is final, it is exactly what they give)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from eligibility import PROGRAMS, evaluate

money = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False,
                    allow_infinity=False)


def rank(decision) -> int:
    order = {"not_eligible": 0, "eligible": 1}
    return order[decision.result] if decision.result in order \
        else decision.levels.index(decision.result)


@given(money, money, st.sampled_from(PROGRAMS["sophos"].versions()))
def test_more_turnover_never_lowers_the_sophos_level(a, b, version):
    low, high = sorted((a, b))
    assert rank(evaluate("sophos", {"turnover_eur": low}, version)) <= \
        rank(evaluate("sophos", {"turnover_eur": high}, version))


symantec_facts = st.fixed_dictionaries({
    "principal": st.integers(0, 14), "expert": st.integers(0, 14), "high_csat": st.booleans(),
    "renewal_target_met": st.booleans(), "new_business_target_met": st.booleans(),
}).filter(lambda f: f["principal"] + f["expert"] <= 14)


@given(symantec_facts, st.sampled_from(["principal", "expert"]), st.integers(1, 14))
def test_more_competencies_never_lower_the_symantec_tier(facts, level, extra):
    more = {**facts, level: facts[level] + extra}
    assume(more["principal"] + more["expert"] <= 14)
    assert rank(evaluate("symantec", facts)) <= rank(evaluate("symantec", more))


@given(symantec_facts)
def test_raising_a_principal_competency_to_expert_never_lowers_the_tier(facts):
    assume(facts["principal"] > 0)
    raised = {**facts, "principal": facts["principal"] - 1, "expert": facts["expert"] + 1}
    assert rank(evaluate("symantec", facts)) <= rank(evaluate("symantec", raised))


@given(symantec_facts)
def test_high_satisfaction_never_lowers_the_tier(facts):
    assert rank(evaluate("symantec", {**facts, "high_csat": False})) <= \
        rank(evaluate("symantec", {**facts, "high_csat": True}))


def smartsheet_facts(program: str):
    specs = PROGRAMS[program].fact_specs()
    values = {
        "count": st.integers(0, 30),
        "percent": st.decimals(min_value=0, max_value=100, places=2, allow_nan=False),
        "bool": st.booleans(),
    }
    return st.fixed_dictionaries({name: values[spec.kind] for name, spec in specs.items()})


@given(st.sampled_from(["smartsheet-vertical", "smartsheet-brandfolder"]), st.data())
def test_more_of_anything_never_loses_a_smartsheet_specialization(program, data):
    facts = data.draw(smartsheet_facts(program))
    name = data.draw(st.sampled_from([n for n, v in facts.items() if not isinstance(v, bool)]))
    more = {**facts, name: min(facts[name] + data.draw(st.integers(1, 50)),
                               Decimal(100) if name.endswith("_pct") else 10**6)}
    assert rank(evaluate(program, facts)) <= rank(evaluate(program, more))


def full_facts(program: str):
    if program == "sophos":
        return st.fixed_dictionaries({"turnover_eur": money})
    if program == "symantec":
        return symantec_facts
    return smartsheet_facts(program)


@given(st.sampled_from(sorted(PROGRAMS)), st.data())
def test_a_decision_on_partial_facts_never_overclaims(program, data):
    facts = data.draw(full_facts(program))
    known = data.draw(st.sets(st.sampled_from(sorted(facts))))
    partial = evaluate(program, {k: v for k, v in facts.items() if k in known})
    full = evaluate(program, facts)
    assert full.final
    if partial.final:
        assert partial.result == full.result
        assert partial.next == full.next
    elif partial.result != "unknown":
        assert rank(partial) <= rank(full)
        assert full.result == partial.result or full.result in partial.possible
    for part, whole in zip(partial.benefits, full.benefits, strict=True):
        assert part.status in ("unknown", whole.status)

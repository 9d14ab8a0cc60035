"""The guided interview: the paths in `interviews.yaml`, plus its contract (questions,
controls, a JSON state) and a property: it never asks a question whose answer cannot
change the decision."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from eligibility import PROGRAMS, EligibilityError, UnknownProgram, UnknownVersion
from eligibility import interview as iv

PATHS = yaml.safe_load((Path(__file__).parent / "interviews.yaml").read_text(encoding="utf-8"))


def _reload(state: iv.State) -> iv.State:
    """What a bot restart does: the state through JSON and back."""
    copy = iv.State.from_dict(json.loads(json.dumps(state.to_dict())))
    assert copy == state
    return copy


def _subset(have: dict, want: dict) -> bool:
    return all(have.get(k) == v for k, v in want.items())


@pytest.mark.parametrize("path", PATHS, ids=[p["name"] for p in PATHS])
def test_interview_path(path):
    state = iv.start(path["start"], path.get("version"))
    asked = []
    for n, step in enumerate(path["steps"], 1):
        question = iv.step(state)
        where = f"step {n} {step}"
        assert isinstance(question, iv.Question), where
        assert question.fact == step["ask"], where
        if question.fact != iv.PROGRAM and (not asked or asked[-1] != question.fact):
            asked.append(question.fact)
        if "do" in step:
            state = iv.COMMANDS[step["do"]](state)
        else:
            before = state
            state, error = iv.answer(state, step["answer"])
            if "error" in step:
                assert error is not None and error.reason == step["error"], (where, error)
                assert error.fact == question.fact and error.text == step["answer"]
                assert state == before, "a refused answer must not move the interview"
                assert iv.step(state) == question, "the same question again"
            else:
                assert error is None, (where, error)
        state = _reload(state)
    if "then_back" in path:
        assert iv.step(iv.back(state)).fact == path["then_back"]
        return
    done = iv.step(state)
    assert isinstance(done, iv.Done), done
    want = dict(path["done"])
    if want.pop("cancelled", False):
        assert done.cancelled and done.decision is None
        return
    assert not done.cancelled
    decision = done.decision.to_dict()
    if "asked" in want:
        assert asked == want.pop("asked")
    if "benefits" in want:
        statuses = {b["benefit"]: b["status"] for b in decision["benefits"]}
        assert _subset(statuses, want.pop("benefits")), statuses
    if "missing" in want:
        expected = want.pop("missing")
        assert len(decision["missing"]) == len(expected)
        for got, exp in zip(decision["missing"], expected, strict=True):
            assert _subset(got, exp), (got, exp)
    assert _subset(decision, want), {k: decision[k] for k in want}


def test_first_question_offers_every_program_as_a_choice():
    question = iv.step(iv.start())
    assert question.kind == "choice" and question.fact == "program"
    assert question.choices == tuple(PROGRAMS)
    assert "smartsheet" not in question.choices
    assert not question.can_back and not question.can_skip


@pytest.mark.parametrize(("program", "fact", "kind", "unit", "choices"), [
    ("sophos", "turnover_eur", "money", "EUR", ()),
    ("symantec", "expert", "number", None, ()),
    ("smartsheet-vertical", "active_customers", "number", None, ()),
])
def test_first_fact_question(program, fact, kind, unit, choices):
    question = iv.step(iv.start(program))
    assert (question.fact, question.kind, question.unit, question.choices) == \
        (fact, kind, unit, choices)
    assert question.program == program and question.can_skip and not question.can_back


def test_percent_and_yes_no_questions():
    state, _ = iv.answer(iv.start("smartsheet-brandfolder"), "5")
    state, _ = iv.answer(state, "2")
    question = iv.step(state)
    assert (question.fact, question.kind, question.unit) == ("revenue_share_pct", "number", "%")
    state, _ = iv.answer(state, "40")
    question = iv.step(state)
    assert (question.kind, question.choices) == ("yes_no", ("yes", "no"))
    assert question.can_back
    assert question.to_dict()["choices"] == ["yes", "no"]


def test_answers_after_the_end_are_refused():
    state, _ = iv.answer(iv.start("sophos"), "5000")
    assert isinstance(iv.step(state), iv.Done)
    same, error = iv.answer(state, "6000")
    assert same == state and error.reason == "no_question"
    assert iv.skip(state) == state


def test_cancelled_state_stays_cancelled_and_survives_a_restart():
    state = _reload(iv.cancel(iv.start("symantec")))
    assert iv.step(state) == iv.Done(None, cancelled=True)
    assert iv.back(state) == state


def test_restart_keeps_the_rules_version():
    state, _ = iv.answer(iv.start("sophos", "previous"), "30000")
    state = iv.restart(state)
    assert state == iv.State("sophos", "previous")


def test_skip_words_in_every_language():
    for word in ("?", "не знаю", "je ne sais pas", "nie wiem", "Don't know"):
        state, error = iv.answer(iv.start("sophos"), word)
        assert error is None and state.skipped == ("turnover_eur",), word


@pytest.mark.parametrize("word, control", [
    ("назад", "back"), ("Retour", "back"), ("wstecz", "back"),
    ("заново", "restart"), ("recommencer", "restart"), ("od nowa", "restart"),
    ("отмена", "cancel"), ("annuler", "cancel"), ("Anuluj!", "cancel"),
])
def test_typed_control_words_act_like_the_buttons(word, control):
    state, error = iv.answer(iv.start(), "sophos")  # chosen here: back and restart undo it
    moved, error = iv.answer(state, word)
    assert error is None
    assert moved == iv.COMMANDS[control](state)


def test_start_rejects_unknown_programs_and_versions():
    with pytest.raises(UnknownProgram):
        iv.start("smartsheet")
    with pytest.raises(UnknownVersion):
        iv.start("sophos", "1999")


def test_choosing_a_program_checks_the_version_given():
    state = iv.start(version="previous")
    same, error = iv.answer(state, "symantec")  # symantec has no "previous" rules
    assert same == state and error.reason == "unknown_version"
    state, error = iv.answer(state, "sophos")
    assert error is None and iv.decision(state).rules_version == "previous"


def test_state_is_plain_json():
    state, _ = iv.answer(iv.start("smartsheet-vertical"), "12")
    state = iv.skip(state)
    state, _ = iv.answer(state, "35,55 %")
    data = json.loads(json.dumps(state.to_dict()))
    assert data["answers"] == {"active_customers": 12, "revenue_share_pct": "35.55"}
    assert data["history"] == ["active_customers", "successful_customers", "revenue_share_pct"]
    assert iv.State.from_dict(data) == state


def test_a_saved_decimal_is_read_exactly_not_as_typed():
    """"45000.125" saved must not come back as 45 000 125 (three decimals look like
    thousands to a person, not to the state)."""
    state, _ = iv.answer(iv.start("sophos"), "45 000,125")
    assert iv.State.from_dict(json.loads(json.dumps(state.to_dict()))) == state


@pytest.mark.parametrize("data", [
    {"program": "nope"},
    {"program": None, "answers": {"expert": 1}},
    {"program": "symantec", "answers": {"expert": -1}},
    {"program": "sophos", "answers": {"turnover_eur": "many"}},
])
def test_a_state_that_no_longer_fits_the_rules_is_refused(data):
    with pytest.raises(EligibilityError):
        iv.State.from_dict(data)


def test_input_error_serialises():
    _, error = iv.answer(iv.start("symantec"), "15")
    assert error.to_dict() == {"fact": "expert", "reason": "too_many", "text": "15",
                               "limit": 14}


# -- property: every question asked can change the decision ------------------------------
SAMPLE_ANSWERS = {
    "money": ["0", "10000", "60000", "200000"],
    "count": ["0", "1", "3", "10"],
    "percent": ["0", "35", "36", "100"],
    "bool": ["yes", "no"],
}


def _outcome(state: iv.State) -> tuple:
    d = iv.decision(state)
    return d.result, d.final, tuple(b.status for b in d.benefits)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(PROGRAMS)), st.data())
def test_every_question_asked_could_change_the_decision(program, data):
    state = iv.start(program)
    for _ in range(10):
        question = iv.step(state)
        if isinstance(question, iv.Done):
            return
        kind = PROGRAMS[program].fact_specs()[question.fact].kind
        outcomes = set()
        for text in SAMPLE_ANSWERS[kind]:
            after, error = iv.answer(state, text)
            if error is None:
                outcomes.add(_outcome(after))
        assert len(outcomes) > 1, f"{question.fact} asked but no answer changes anything"
        choice = data.draw(st.sampled_from([*SAMPLE_ANSWERS[kind], "?"]))
        state, _ = iv.answer(state, choice)
    pytest.fail("the interview did not end")

"""The matcher's accuracy must not fall, on the development set and on the held-out one.

The development set is what the matcher was tuned on. The held-out set was written
blind (its author saw only the answers, never the knowledge base's questions and
paraphrases); it is used to check that changes generalise, never as a source of
paraphrases. The floors sit just under what `benchmarks/matching.py` measured when
they were set; raise them when the matcher improves, never lower them to make a
change pass.
"""

from pathlib import Path

import pytest

from bot.evaluate import evaluate, load_devset, matcher_predictor
from bot.knowledgebase import load
from bot.matcher import Matcher

HERE = Path(__file__).parent
FLOORS = {  # set: (top-1 per language, top-3 at the lowest, OOS rejection, wrong ceiling)
    # Top-k counts only entries the user is shown (the answer, the suggestions, the hints
    # under "I don't know"); until 2026-11-26 it also counted the hidden ranking behind
    # an "I don't know", which flattered it by up to 4 points. The floors were reset then.
    # measured: top-1 96.4 / 95.5 / 93.6 %, top-3 96.4 %, OOS 97.6 %, wrong 0.0 %
    "devset": ({"ru": 0.95, "fr": 0.94, "pl": 0.92}, 0.95, 0.95, 0.02),
    # measured: top-1 91.2 / 92.5 / 92.5 %, top-3 92.5 %, OOS 96.7 %, wrong 1.7 %
    "heldout": ({"ru": 0.90, "fr": 0.91, "pl": 0.91}, 0.91, 0.93, 0.03),
}


@pytest.fixture(scope="module")
def matcher():
    return Matcher(load())


@pytest.fixture(scope="module", params=sorted(FLOORS))
def measured(request, matcher):
    name = request.param
    return name, evaluate(load_devset(HERE / name), matcher_predictor(matcher))


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_sets_are_big_and_valid(name):
    kb = load()
    cases = load_devset(HERE / name)
    in_scope = [c for c in cases if c.expect]
    assert len(in_scope) >= 150 and len(cases) - len(in_scope) >= 30
    assert sum(c.noisy for c in in_scope) >= len(in_scope) / 4 - 5
    assert {c.expect for c in in_scope} <= set(kb.entries)
    assert len({c.q for c in cases}) == len(cases), "a question twice"


def test_top1_per_language(measured):
    name, report = measured
    top1_floor = FLOORS[name][0]
    assert all(report.top1[lang] >= floor for lang, floor in top1_floor.items()), report.top1


def test_top3(measured):
    name, report = measured
    assert min(report.top3.values()) >= FLOORS[name][1], report.top3


def test_out_of_scope_is_rejected(measured):
    name, report = measured
    assert report.oos_rejection >= FLOORS[name][2]


def test_few_confident_wrong_answers(measured):
    name, report = measured
    assert report.answered_wrong <= FLOORS[name][3]

"""The matcher's promises, on a small fixture base where the answer is known."""

from pathlib import Path

import pytest

from bot.knowledgebase import load
from bot.matcher import ANSWER, CLARIFY, SMALLTALK, UNKNOWN, Matcher

FIXTURE = Path(__file__).parent.parent / "fixtures" / "kb_ok"


@pytest.fixture(scope="module")
def matcher():
    return Matcher(load(FIXTURE))


@pytest.mark.parametrize("question, entry", [
    ("Gold у Sophos", "sophos.tiers.gold"),
    ("порог для голда у софос", "sophos.tiers.gold"),
    ("ile obrotu na złoty poziom w sophosie", "sophos.tiers.gold"),
    ("quel CA pour le niveau or chez Sophos ?", "sophos.tiers.gold"),
    ("gold smartsheet баллы", "smartsheet.tiers.gold"),
    ("сколько оборота на сильвер софос", "sophos.tiers.silver"),
])
def test_answers_and_vendor_weighs(matcher, question, entry):
    m = matcher.match(question)
    assert m.kind == ANSWER, (m.kind, m.candidates)
    assert m.entry == entry


def test_sophos_gold_is_never_answered_with_smartsheet(matcher):
    for q in ("Gold у Sophos", "gold sophos", "sophos złoty", "niveau gold sophos"):
        m = matcher.match(q)
        assert m.entry != "smartsheet.tiers.gold"
        assert all(c.entry != "smartsheet.tiers.gold" or c.score < m.score for c in m.candidates)


def test_a_tier_without_a_vendor_asks_which_vendor(matcher):
    m = matcher.match("gold")
    assert m.kind == CLARIFY
    assert {c.entry for c in m.suggestions} >= {"sophos.tiers.gold", "smartsheet.tiers.gold"}


@pytest.mark.parametrize("question", ["а как это?", "ile?", "et alors ?", "когда?", "", "???"])
def test_stop_words_and_question_words_alone_match_nothing(matcher, question):
    assert matcher.match(question).kind == UNKNOWN


@pytest.mark.parametrize("question", [
    "какая погода в Москве", "recette de la tarte aux pommes", "jak ugotować pierogi",
])
def test_out_of_scope_is_unknown(matcher, question):
    assert matcher.match(question).kind == UNKNOWN


def test_a_vendor_the_base_does_not_cover_is_unknown(matcher):
    m = matcher.match("какой порог gold у Cisco")
    assert m.kind == UNKNOWN and m.foreign


@pytest.mark.parametrize("text, kind", [
    ("привет", "greeting"), ("Dzień dobry!", "greeting"), ("merci beaucoup", "thanks"),
    ("спасибо", "thanks"), ("do widzenia", "bye"),
])
def test_small_talk(matcher, text, kind):
    m = matcher.match(text)
    assert m.kind == SMALLTALK and m.smalltalk == kind


def test_typos_are_tolerated(matcher):
    assert matcher.match("порог для голда у сафоса").entry == "sophos.tiers.gold"
    assert matcher.match("ile obrotu na silwer sofos").entry == "sophos.tiers.silver"


def test_scores_are_between_0_and_100(matcher):
    for q in ("gold", "sophos gold", "x" * 500, "🙂" * 20):
        assert 0 <= matcher.match(q).score100 <= 100


@pytest.mark.parametrize("question, topic", [
    ("сколько стоит лицензия Sophos на 50 компьютеров", "product_prices"),
    ("prix d'une licence Sophos", "product_prices"),
    ("antywirus Sophos się nie instaluje", "tech_support"),
])
def test_an_out_of_scope_topic_is_declined_not_answered(matcher, question, topic):
    """It shares "licence" and "Sophos" with the FAQ, but asks a price: no FAQ answer."""
    m = matcher.match(question)
    assert (m.kind, m.decline, m.entry) == (UNKNOWN, topic, None)
    assert all(not c.entry.startswith("!") for c in m.candidates)


def test_out_of_scope_topics_do_not_steal_partner_questions(matcher):
    m = matcher.match("ile obrotu na złoty poziom w sophosie")
    assert (m.kind, m.entry, m.decline) == (ANSWER, "sophos.tiers.gold", None)


def test_an_entry_about_one_level_does_not_answer_another(matcher):
    """The fixture has Silver and Gold entries only: asked about Platinum, the Gold
    threshold must not come back, whatever words the two questions share."""
    for q in ("ile obrotu na platynowy poziom w sophosie", "сколько оборота на платину софос",
              "quel CA pour le niveau platinum chez Sophos"):
        m = matcher.match(q)
        assert m.kind == UNKNOWN, (q, m.kind, m.candidates)  # not even "did you mean Gold?"
    assert matcher.match("ile obrotu na złoty poziom w sophosie").entry == "sophos.tiers.gold"


@pytest.mark.parametrize("follow_up, after, entry", [
    ("а для сильвера?", "sophos.tiers.gold", "sophos.tiers.silver"),  # another level
    ("a gold?", "sophos.tiers.silver", "sophos.tiers.gold"),
])
def test_a_follow_up_naming_only_a_level_reads_the_last_question(
        matcher, follow_up, after, entry):
    m = matcher.match(follow_up, after=after)
    assert (m.kind, m.entry) == (ANSWER, entry), m.candidates


def test_without_a_vendor_a_follow_up_leans_to_the_last_answers_vendor(matcher):
    assert matcher.match("gold").kind == CLARIFY  # alone: which vendor?
    m = matcher.match("gold", after="smartsheet.tiers.gold")
    assert (m.kind, m.entry) == (ANSWER, "smartsheet.tiers.gold")
    m = matcher.match("gold", after="sophos.tiers.silver")
    assert (m.kind, m.entry) == (ANSWER, "sophos.tiers.gold")


def test_a_new_question_is_not_bent_by_the_last_answer(matcher):
    m = matcher.match("gold smartsheet баллы", after="sophos.tiers.gold")
    assert (m.kind, m.entry) == (ANSWER, "smartsheet.tiers.gold")
    assert matcher.match("а как это?", after="sophos.tiers.gold").kind == UNKNOWN
    assert matcher.match("gold", after="no.such.entry").kind == CLARIFY


def test_the_entry_about_the_asked_level_beats_a_general_one_by_the_plain_margin():
    m = Matcher(load())  # the real base: Gold's own entry next to "thresholds before/after"
    for question in ("порог gold sophos", "seuil gold sophos", "próg gold sophos"):
        result = m.match(question)
        assert (result.kind, result.entry) == (ANSWER, "sophos.tiers.gold"), result.candidates

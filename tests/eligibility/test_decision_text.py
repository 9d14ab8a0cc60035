"""Decisions, questions and errors in words: translated, in the right plural form, money
formatted for the language, valid Telegram HTML with everything dynamic escaped."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from bot import LANGUAGES
from bot.eligibility_text import (
    ERRORS,
    render_cancelled,
    render_decision,
    render_error,
    render_question,
)
from bot.templating import markup_problems
from eligibility import evaluate
from eligibility import interview as iv
from eligibility.decision import TIER, Benefit, Missing
from eligibility.interview import InputError

SAMPLES = [
    ("sophos", {}, None),
    ("sophos", {"turnover_eur": 0}, None),
    ("sophos", {"turnover_eur": "45 000"}, None),
    ("sophos", {"turnover_eur": "45 000"}, "previous"),
    ("sophos", {"turnover_eur": 250000}, None),
    ("symantec", {}, None),
    ("symantec", {"expert": 0, "principal": 0}, None),
    ("symantec", {"expert": 0, "principal": 2}, None),
    ("symantec", {"expert": 3}, None),
    ("symantec", {"expert": 2, "high_csat": True, "renewal_target_met": False}, None),
    ("symantec", {"expert": 3, "high_csat": True, "renewal_target_met": True,
                  "new_business_target_met": True}, None),
    ("smartsheet-vertical", {}, None),
    ("smartsheet-vertical", {"active_customers": 3, "revenue_share_pct": "30,5",
                             "training_pct": 40, "industry_certified": False}, None),
    ("smartsheet-vertical", {"active_customers": 10, "successful_customers": 4,
                             "revenue_share_pct": 36, "training_pct": 100,
                             "industry_certified": True}, None),
    ("smartsheet-brandfolder", {"active_customers": 5, "successful_customers": 2,
                                "revenue_share_pct": 35, "brandfolder_certified": True}, None),
]
ENGLISH = re.compile(r"\b(needed|Level|Why|Missing|Benefits|known|competenc\w*|customers?|"
                     r"Checked|Result|yours|available|requirements?|rebate)\b|Source:")


def _spaces(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("program", "facts", "version"), SAMPLES,
                         ids=[f"{p} {f} {v or ''}" for p, f, v in SAMPLES])
def test_decision_renders_translated_valid_html(lang, program, facts, version):
    decision = evaluate(program, facts, version)
    html = render_decision(decision, lang)
    assert markup_problems(html) == []
    assert decision.source in html
    assert not ENGLISH.search(html), ENGLISH.search(html)
    plain = render_decision(decision, lang, plain=True)
    assert "<" not in plain and "&amp;" not in plain
    assert plain.splitlines()[0] in html


@pytest.mark.parametrize(("lang", "expert", "words"), [
    ("ru", 1, "1 компетенция уровня Expert"),
    ("ru", 2, "2 компетенции уровня Expert"),
    ("ru", 5, "5 компетенций уровня Expert"),
    ("pl", 1, "1 kompetencja na poziomie Expert"),
    ("pl", 2, "2 kompetencje na poziomie Expert"),
    ("pl", 5, "5 kompetencji na poziomie Expert"),
    ("fr", 1, "1 compétence au niveau Expert"),
    ("fr", 2, "2 compétences au niveau Expert"),
])
def test_competency_counts_take_the_right_plural(lang, expert, words):
    text = render_decision(evaluate("symantec", {"expert": expert, "high_csat": True}), lang)
    assert words in text


@pytest.mark.parametrize(("lang", "count", "words"), [
    ("ru", 1, "1 активный клиент;"),
    ("ru", 3, "3 активных клиента;"),
    ("ru", 0, "0 активных клиентов;"),
    ("pl", 1, "1 aktywny klient;"),
    ("pl", 4, "4 aktywnych klientów;"),
    ("fr", 1, "1 client actif\u00a0;"),
    ("fr", 3, "3 clients actifs\u00a0;"),
])
def test_customer_counts_take_the_right_plural(lang, count, words):
    decision = evaluate("smartsheet-brandfolder", {"active_customers": count})
    assert words in render_decision(decision, lang)


@pytest.mark.parametrize(("lang", "gap"), [("ru", "15\u00a0000\u00a0€"),
                                           ("fr", "15\u202f000\u00a0€"),
                                           ("pl", "15\u00a0000\u00a0€")])
def test_money_is_formatted_for_the_language(lang, gap):
    text = render_decision(evaluate("sophos", {"turnover_eur": 45000}), lang)
    assert gap in text


@pytest.mark.parametrize(("lang", "words"), [
    ("ru", "ровно 35 % недостаточно"),
    ("fr", "exactement 35 % ne suffit pas"),
    ("pl", "dokładnie 35% nie wystarcza"),
])
def test_exactly_35_percent_is_said_to_be_not_enough(lang, words):
    decision = evaluate("smartsheet-brandfolder", {"revenue_share_pct": 35})
    assert words in _spaces(render_decision(decision, lang))


def test_russian_decision_reads_as_a_whole():
    text = _spaces(render_decision(evaluate("symantec", {"expert": 2, "high_csat": "да",
                                                         "renewal_target_met": "нет"}), "ru"))
    assert "Уровень: <b>Gold</b>" in text
    assert "• Gold — 2 компетенции уровня Expert (нужно не меньше 1)" in text
    assert "<b>Не хватает до уровня Platinum:</b>" in text
    assert "• 2 компетенции уровня Expert; нужно не меньше 3: не хватает 1" in text
    assert "• рибейт за продление поддержки 2 %: недоступно" in text
    assert "• регистрация сделок до 20 %: доступно вам" in text
    assert "действующим с 1 октября 2014 г." in text
    assert "<b>Пока неизвестно:</b> план продаж по новым сделкам." in text


def test_undecided_level_names_what_is_still_possible():
    text = render_decision(evaluate("sophos", {}), "pl")
    assert "Poziom na razie: <b>Authorized</b>; nadal możliwe: Silver, Gold, Platinum" in text
    assert "Te odpowiedzi rozstrzygną wynik." in text


def test_smartsheet_says_its_tiers_are_not_checked():
    text = render_decision(evaluate("smartsheet-vertical", {}), "fr")
    assert "points pondérés" in text
    assert "<b>pas encore établi</b>" in text


def test_top_level_and_older_rules_are_said():
    text = render_decision(evaluate("sophos", {"turnover_eur": 150000}, "previous"), "ru")
    assert "Это высший уровень." in text
    assert "Проверено по прежним правилам (до изменения программы)." in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_questions_have_buttons_with_answer_keys(lang):
    prompt = render_question(iv.step(iv.start()), lang)
    keys = [key for row in prompt.buttons for _label, key in row]
    assert keys == ["sophos", "symantec", "smartsheet-vertical", "smartsheet-brandfolder",
                    "cancel"]
    state, _ = iv.answer(iv.start("symantec"), "1")
    prompt = render_question(iv.step(state), lang)
    keys = [key for row in prompt.buttons for _label, key in row]
    assert keys == ["yes", "no", "?", "back", "restart", "cancel"]
    labels = [label for row in prompt.buttons for label, _key in row]
    assert not {"Yes", "No", "Back", "Cancel", "I don't know"} & set(labels)
    assert markup_problems(prompt.text) == []


def test_question_text_and_hint():
    prompt = render_question(iv.step(iv.start("sophos")), "ru")
    assert prompt.text.startswith("<b>Какой оборот с Sophos был у вашей компании за прошлый "
                                  "год, в евро?</b>")
    assert "45 тыс. €" in prompt.text
    assert render_question(iv.step(iv.start("sophos")), "ru", plain=True).text.startswith(
        "Какой оборот")
    brandfolder = iv.State("smartsheet-brandfolder", answers={"active_customers": 5,
                                                              "successful_customers": 2})
    assert "Brandfolder" in render_question(iv.step(brandfolder), "fr").text


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("reason", sorted(ERRORS))
def test_every_error_reason_is_explained(lang, reason):
    text = render_error(InputError("expert", reason, "x", limit=14), lang)
    assert text and text != ERRORS[reason].format(text="x", limit="14")
    assert markup_problems(text) == []


def test_typed_text_is_escaped_in_errors():
    error = InputError("turnover_eur", "not_a_number", "<b>45</b> & co")
    html = render_error(error, "ru")
    assert "&lt;b&gt;45&lt;/b&gt; &amp; co" in html and markup_problems(html) == []
    assert "<b>45</b> & co" in render_error(error, "ru", plain=True)


def test_unknown_reason_has_a_generic_message():
    assert render_error(InputError("x", "something_new", "y"), "pl") == \
        "Tej odpowiedzi nie da się przyjąć."


def test_cancelled():
    assert render_cancelled("fr") == "La vérification a été annulée."


HOSTILE = "<script>x</script> & {{ 7 * 7 }} {% if true %}yes{% endif %} {tier}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_decision_template_escapes_values_and_never_evaluates_them(lang):
    """Values reach the decision template as data: HTML in them is escaped, and jinja2 or
    str.format syntax in them stays text."""
    decision = evaluate("symantec", {"expert": 2, "high_csat": True,
                                     "renewal_target_met": False})
    hostile_missing = Missing(fact="tier", need=HOSTILE, have=None, gap=None, op=TIER,
                              status="unknown")
    hostile_benefit = Benefit(key=HOSTILE, figures={}, status="unknown",
                              conditions=decision.benefits[0].conditions)
    decision = replace(decision, rules_version=HOSTILE, source=HOSTILE,
                       missing=(*decision.missing, hostile_missing),
                       benefits=(*decision.benefits, hostile_benefit))
    html = render_decision(decision, lang)
    escaped = "&lt;script&gt;x&lt;/script&gt; &amp; {{ 7 * 7 }} {% if true %}yes{% endif %} {tier}"
    assert markup_problems(html) == []
    assert "<script>" not in html and "49" not in html
    assert html.count(escaped) >= 4  # the rules version, the source, a check, a benefit
    plain = render_decision(decision, lang, plain=True)
    assert plain.count(HOSTILE) >= 4

"""Eligibility decisions and interview questions in plain words, in ru/fr/pl.

Strings are English msgids of the gettext domain "eligibility" (`locales/*/LC_MESSAGES/
eligibility.po`). Output is the Telegram HTML subset (<b>, <i>); every value that comes
from data or from the user is escaped. `plain=True` gives the same text without markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache, partial
from html import escape as _html_escape
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from bot.i18n import translations
from bot.templating import to_plain
from eligibility import programs
from eligibility.decision import (
    AT_LEAST,
    CLAIMABLE,
    FAILED,
    IS,
    NOT_CLAIMABLE,
    PASSED,
    TIER,
    Check,
    Decision,
    Missing,
)
from eligibility.interview import SKIP, InputError, Question

escape = partial(_html_escape, quote=False)  # Telegram needs only <, > and & escaped
TEMPLATES = Path(__file__).parent / "templates"
DECISION_TEMPLATE = "decision.html.j2"


def N_(message: str) -> str:
    """Marks a msgid for extraction; it is translated where it is shown."""
    return message


PROGRAM_NAMES = {
    "sophos": N_("Sophos partner program"),
    "symantec": N_("Symantec partner program (2014)"),
    "smartsheet-vertical": N_("Smartsheet Aligned: industry vertical specialization"),
    "smartsheet-brandfolder": N_("Smartsheet Aligned: Brandfolder specialization"),
}
SOURCE_TITLES = {
    "sophos": N_("Sophos partner program changes (trade press article)"),
    "symantec": N_("Symantec's updated partner program: questions and answers (2014)"),
    "smartsheet": N_("Smartsheet Aligned program for system integrators"),
}
TIER_NAMES = {"authorized": "Authorized", "registered": "Registered", "silver": "Silver",
              "gold": "Gold", "platinum": "Platinum"}
QUESTIONS = {
    "turnover_eur": N_("What was your turnover with Sophos in the previous year, in euros?"),
    "expert": N_("How many Symantec competencies do you hold at Expert level?"),
    "principal": N_("How many competencies do you hold at Principal level (not counting "
                    "those at Expert level)?"),
    "high_csat": N_("Have you shown high customer satisfaction, as Symantec measures it?"),
    "renewal_target_met": N_("Have you met or exceeded your renewal sales target?"),
    "new_business_target_met": N_("Have you met or exceeded your new business sales target?"),
    "active_customers": N_("How many active Smartsheet customers do you have?"),
    "successful_customers": N_("With how many customers was the work completed successfully?"),
    "revenue_share_pct": N_("What share of your revenue comes from this industry vertical, "
                            "in percent?"),
    "training_pct": N_("What share of the relevant Smartsheet training and certifications "
                       "have you completed, in percent? It counts where a certification "
                       "exists for your vertical."),
    "industry_certified": N_("Do you hold the industry certifications this vertical requires "
                             "(for example HIPAA or CMMC)?"),
    "brandfolder_certified": N_("Have you passed the Brandfolder product certification?"),
}
PROGRAM_QUESTIONS = {
    ("smartsheet-brandfolder", "revenue_share_pct"):
        N_("What share of your revenue comes from Brandfolder solutions, in percent?"),
}
LABELS = {
    "turnover_eur": N_("prior-year turnover with Sophos"),
    "expert": N_("competencies at Expert level"),
    "principal": N_("competencies at Principal level"),
    "principal+expert": N_("competencies at Principal or Expert level"),
    "high_csat": N_("high customer satisfaction"),
    "renewal_target_met": N_("renewal sales target"),
    "new_business_target_met": N_("new business sales target"),
    "active_customers": N_("active customers"),
    "successful_customers": N_("customers with work completed successfully"),
    "revenue_share_pct": N_("share of revenue from the vertical or solution area"),
    "training_pct": N_("Smartsheet training and certifications completed"),
    "industry_certified": N_("industry certifications"),
    "brandfolder_certified": N_("Brandfolder certification"),
}
STATEMENTS = {  # a yes/no fact, said as met
    "high_csat": N_("high customer satisfaction shown"),
    "renewal_target_met": N_("renewal sales target met"),
    "new_business_target_met": N_("new business sales target met"),
    "industry_certified": N_("the vertical's industry certifications held"),
    "brandfolder_certified": N_("Brandfolder certification passed"),
}
BENEFIT_NAMES = {
    "market_research_reports": N_("market research reports"),
    "renewal_rebate": N_("renewal rebate"),
    "development_funds": N_("development funds"),
    "growth_rebate": N_("new business growth rebate"),
    "deal_registration": N_("deal registration"),
}
NOTES = {
    "tiers_points_based": N_("Smartsheet's Silver, Gold and Platinum tiers are points-based, "
                             "with weights the source does not give, so they are not checked "
                             "here: only the two specializations are."),
}
TIERS_NOTE = "tiers_points_based"
ERRORS = {
    "empty": N_("The answer is empty."),
    "not_a_number": N_("I could not read “{text}” as a number."),
    "not_whole": N_("A whole number is needed here."),
    "negative": N_("The number cannot be negative."),
    "too_small": N_("The number cannot be less than {limit}."),
    "too_large": N_("The number cannot be more than {limit}."),
    "too_many": N_("Principal and Expert competencies together cannot be more than {limit}: "
                   "the program has {limit} competencies, each held at one level only."),
    "wrong_currency": N_("The amount is needed in euros."),
    "wrong_unit": N_("This is not the kind of number asked for."),
    "not_yes_no": N_("Please answer yes or no."),
    "not_a_choice": N_("Please choose one of the options offered."),
    "no_question": N_("This check is finished. Start a new one to check again."),
}
HINTS = {
    "money": N_("Type the amount in euros, for example: 45 000, 45k or 45 000 €."),
    "count": N_("Type a whole number, for example: 2."),
    "percent": N_("Type a percentage, for example: 40 or 40 %."),
    "bool": N_("Answer yes or no."),
}
NGettext = Callable[[str, str, int], str]
COUNTS: dict[str, Callable[[NGettext, int], str]] = {  # a count with its noun, all plural forms
    "expert": lambda ngettext, n: ngettext(
        "%(num)s competency at Expert level", "%(num)s competencies at Expert level", n),
    "principal": lambda ngettext, n: ngettext(
        "%(num)s competency at Principal level", "%(num)s competencies at Principal level", n),
    "principal+expert": lambda ngettext, n: ngettext(
        "%(num)s competency at Principal or Expert level",
        "%(num)s competencies at Principal or Expert level", n),
    "active_customers": lambda ngettext, n: ngettext(
        "%(num)s active customer", "%(num)s active customers", n),
    "successful_customers": lambda ngettext, n: ngettext(
        "%(num)s customer with work completed successfully",
        "%(num)s customers with work completed successfully", n),
}
AT_LEAST_COUNTS: dict[str, Callable[[NGettext, int], str]] = {  # its own case in Russian
    "expert": lambda ngettext, n: ngettext(
        "at least %(num)s competency at Expert level",
        "at least %(num)s competencies at Expert level", n),
    "principal+expert": lambda ngettext, n: ngettext(
        "at least %(num)s competency at Principal or Expert level",
        "at least %(num)s competencies at Principal or Expert level", n),
}


class _Words:
    """One language's translations and number formats."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        t = translations(lang)
        self.gettext: Callable[[str], str] = t.gettext
        self.ngettext: NGettext = t.ngettext

    def _(self, message: str, **values: Any) -> str:
        text = self.gettext(message)
        return text.format(**values) if values else text

    def count(self, forms: Callable[[NGettext, int], str], n: int) -> str:
        return forms(self.ngettext, n) % {"num": self.number(n)}

    def number(self, value: Any) -> str:
        return format_decimal(Decimal(str(value)), locale=self.lang, decimal_quantization=False)

    def money(self, value: Any, currency: str = "EUR") -> str:
        return format_currency(Decimal(str(value)), currency, format="#,##0\u00a0¤",
                               currency_digits=False, decimal_quantization=False,
                               locale=self.lang)

    def pct(self, value: Any) -> str:
        return format_percent(Decimal(str(value)) / 100, locale=self.lang,
                              decimal_quantization=False)

    def points(self, value: Any) -> str:
        return self.ngettext("%(num)s percentage point", "%(num)s percentage points",
                             int(value)) % {"num": self.number(value)}


@cache
def _kinds() -> dict[str, str]:
    return {name: spec.kind for program in programs.PROGRAMS.values()
            for name, spec in program.fact_specs().items()}


def _kind(fact: str) -> str:
    """money, count, percent or bool, as the rules files declare; a sum ("principal+expert")
    has the kind of its parts."""
    return _kinds()[fact.split("+")[0]]


def program_name(program: str, lang: str) -> str:
    return _Words(lang)._(PROGRAM_NAMES[program]) if program in PROGRAM_NAMES else program


def tier_name(tier: str, lang: str) -> str:
    """Tier names stay as the programs write them (Silver, Gold...)."""
    return TIER_NAMES.get(tier, tier)


def fact_label(fact: str, lang: str) -> str:
    return _Words(lang)._(LABELS[fact]) if fact in LABELS else fact


def question_text(program: str, fact: str, lang: str) -> str:
    """The question that asks for `fact` in `program`, unescaped."""
    w = _Words(lang)
    if fact == "program":
        return w._("Which program do you want to check?")
    return w._(PROGRAM_QUESTIONS.get((program, fact)) or QUESTIONS[fact])


# -- values and checks ------------------------------------------------------------------
def _value(w: _Words, fact: str, value: Any) -> str:
    """What the partner has, with its noun: "2 competencies at Expert level", "45 000 €"."""
    kind = _kind(fact)
    if kind == "count":
        return w.count(COUNTS[fact], int(value))
    if kind == "bool":
        return w._(STATEMENTS[fact]) if value else w._("{label}: no", label=w._(LABELS[fact]))
    shown = w.money(value) if kind == "money" else w.pct(value)
    return w._("{label}: {value}", label=w._(LABELS[fact]), value=shown)


def _bare(w: _Words, fact: str, value: Any) -> str:
    """A threshold without its noun: "60 000 €", "35 %", "3"."""
    kind = _kind(fact)
    return w.money(value) if kind == "money" else w.pct(value) if kind == "percent" \
        else w.number(value)


def _gap(w: _Words, fact: str, value: Any) -> str:
    return w.points(value) if _kind(fact) == "percent" else _bare(w, fact, value)


def check_text(check: Check | Missing, lang: str) -> str:
    """One rule in words: what is needed, what the partner has, and the gap (unescaped)."""
    w = _Words(lang)
    fact, need, have = check.fact, check.need, check.have
    if check.op == TIER:
        return w._("the {tier} level", tier=tier_name(need, lang))
    if check.status == PASSED:
        if check.op == IS:
            return _value(w, fact, True)
        template = (N_("{have} (at least {need} needed)") if check.op == AT_LEAST
                    else N_("{have} (more than {need} needed)"))
        return w._(template, have=_value(w, fact, have), need=_bare(w, fact, need))
    if check.status == FAILED:
        if check.op == IS:
            return w._("{label}: required, and the answer was no", label=w._(LABELS[fact]))
        values = {"have": _value(w, fact, have), "need": _bare(w, fact, need),
                  "gap": _gap(w, fact, check.gap)}
        if check.op == AT_LEAST:
            return w._("{have}; at least {need} is needed: {gap} more", **values)
        if check.gap:
            return w._("{have}; more than {need} is needed: more than {gap} more", **values)
        return w._("{have}; exactly {need} is not enough: more than {need} is needed", **values)
    label = w._(LABELS[fact])
    if check.op == IS:
        return w._("{label}: not known yet; it is required", label=label)
    template = (N_("{label}: not known yet; at least {need} is needed") if check.op == AT_LEAST
                else N_("{label}: not known yet; more than {need} is needed"))
    return w._(template, label=label, need=_bare(w, fact, need))


def _condition(w: _Words, check: Check) -> str:
    """A benefit's condition as a requirement: "at least 1 competency at Expert level"."""
    if check.op == TIER:
        return w._("the {tier} level", tier=tier_name(check.need, w.lang))
    if check.op == IS:
        return w._(STATEMENTS[check.fact])
    if check.op == AT_LEAST and check.fact in AT_LEAST_COUNTS:
        return w.count(AT_LEAST_COUNTS[check.fact], int(check.need))
    return w._("{label}: at least {need}", label=w._(LABELS[check.fact]),
               need=_bare(w, check.fact, check.need))


# -- the decision -----------------------------------------------------------------------
def _specialization(d: Decision) -> bool:
    """A badge one is eligible for or not, rather than a ladder of tiers."""
    return "eligible" in d.levels


def _markup(value: Any) -> Markup:
    """A value as Telegram HTML: escaped unless it already is markup. Telegram needs only
    <, > and & escaped, so quotes stay as they are."""
    return value if isinstance(value, Markup) else Markup(escape(str(value)))


def _fmt(template: str, **values: Any) -> Markup:
    """`_("... {name} ...")|fmt(name=value)`: a translated sentence (trusted markup) with
    its values escaped."""
    return Markup(str(template).format(**{k: _markup(v) for k, v in values.items()}))


@cache
def _environment(lang: str) -> Environment:
    """One environment per language, with that language's catalog installed."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), extensions=["jinja2.ext.i18n"],
                      autoescape=True, undefined=StrictUndefined, finalize=_markup,
                      trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["fmt"] = _fmt
    return env


def _decision_context(w: _Words, d: Decision) -> dict[str, Any]:
    """The values the decision template shows, computed and translated, not escaped."""
    lang = w.lang
    specialization = _specialization(d)
    if specialization:
        passed: list[Any] = [check_text(c, lang) for c in d.passed]
    else:
        reached = d.levels[: d.levels.index(d.result) + 1] if d.result in d.levels else ()
        passed = [(tier_name(c.scope, lang), check_text(c, lang))
                  for c in d.passed if c.scope in reached[1:]]
    benefits = []
    for b in d.benefits:
        benefits.append({
            "name": w._(BENEFIT_NAMES.get(b.key, b.key)),
            "pct": w.pct(b.figures["pct"]) if "pct" in b.figures else None,
            "pct_max": w.pct(b.figures["pct_max"]) if "pct_max" in b.figures else None,
            "conditions": [_condition(w, c) for c in b.conditions],
            "status": {CLAIMABLE: "claimable", NOT_CLAIMABLE: "not_claimable"}.get(
                b.status, "unknown"),
        })
    rules_file = programs.get(d.program).rules_file
    return {
        "program": program_name(d.program, lang),
        "specialization": specialization,
        "result": d.result,
        "tier": tier_name(d.result, lang),
        "final": d.final,
        "possible": [tier_name(t, lang) for t in d.possible],
        "entry_level": not specialization and d.result == d.levels[0],
        "passed": passed,
        "next_level": d.next,
        "next_tier": tier_name(d.next, lang) if d.next else None,
        "missing": [check_text(m, lang) for m in d.missing],
        "benefits": benefits,
        "open_facts": [w._(LABELS[f]) for f in d.open_facts],
        "notes": [w._(NOTES[note]) for note in d.notes if note in NOTES],
        "rules_version": d.rules_version,
        "effective": (format_date(date.fromisoformat(d.effective), "long", locale=lang)
                      if d.effective else None),
        "source_title": w._(SOURCE_TITLES[rules_file]) if rules_file in SOURCE_TITLES else "",
        "source_file": d.source,
    }


def render_decision(decision: Decision, lang: str, plain: bool = False) -> str:
    """The decision in plain words: tier, why, what is missing and by how much, the
    benefits, what is still unknown, and the source. The layout and its sentences are in
    bot/templates/decision.html.j2."""
    template = _environment(lang).get_template(DECISION_TEMPLATE)
    text = template.render(_decision_context(_Words(lang), decision)).rstrip("\n")
    return to_plain(text) if plain else text


# -- the interview ----------------------------------------------------------------------
@dataclass(frozen=True)
class Prompt:
    """A question ready to show: text plus buttons as rows of (label, key)."""

    text: str
    buttons: tuple[tuple[tuple[str, str], ...], ...] = ()


def render_question(question: Question, lang: str, plain: bool = False) -> Prompt:
    """The question, a hint on how to answer it, and its buttons. Button keys are the
    answer texts the interview takes (choices, "yes"/"no", "?") or the controls of
    `eligibility.interview.COMMANDS` ("back", "restart", "cancel")."""
    w = _Words(lang)
    rows: list[tuple[tuple[str, str], ...]] = []
    lines = [f"<b>{escape(question_text(question.program or '', question.fact, lang))}</b>"]
    if question.fact == "program":
        lines.append(w._(NOTES[TIERS_NOTE]))
        rows += [((program_name(p, lang), p),) for p in question.choices]
        rows.append(((w._("Cancel"), "cancel"),))
    else:
        spec = programs.get(question.program).fact_specs()[question.fact]
        lines.append(w._(HINTS[spec.kind]))
        if question.kind == "yes_no":
            rows.append(((w._("Yes"), "yes"), (w._("No"), "no")))
        if question.can_skip:
            lines.append(w._("If you do not know, answer “I don't know”: the result will say "
                             "what this answer would settle."))
            rows.append(((w._("I don't know"), SKIP),))
        controls = [(w._("Back"), "back")] if question.can_back else []
        controls += [(w._("Start over"), "restart"), (w._("Cancel"), "cancel")]
        rows.append(tuple(controls))
    text = "\n".join(lines)
    return Prompt(to_plain(text) if plain else text, tuple(rows))


def render_error(error: InputError, lang: str, plain: bool = False) -> str:
    """Why an answer was refused, in a sentence; the front end then repeats the question."""
    w = _Words(lang)
    template = ERRORS.get(error.reason, N_("That answer cannot be taken."))
    limit = w.number(error.limit) if error.limit is not None else ""
    text = w._(template, text=escape(error.text[:60]), limit=escape(limit))
    return to_plain(text) if plain else text


def render_cancelled(lang: str) -> str:
    return _Words(lang)._("The check was cancelled.")

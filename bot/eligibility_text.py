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
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

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
VERSION_NAMES = {
    "current": N_("Checked against the current rules"),
    "previous": N_("Checked against the previous rules (before the program change)"),
    "2014": N_("Checked against the 2014 rules"),
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
SPECIALIZATION_RESULTS = {
    "eligible": N_("Result: <b>you meet the specialization requirements</b>"),
    "not_eligible": N_("Result: <b>you do not meet the specialization requirements yet</b>"),
    "unknown": N_("Result: <b>not settled yet</b>: some answers are missing"),
}
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


def _result_line(w: _Words, d: Decision) -> str:
    if _specialization(d):
        return w._(SPECIALIZATION_RESULTS.get(d.result, SPECIALIZATION_RESULTS["unknown"]))
    tier = escape(tier_name(d.result, w.lang))
    if d.final:
        return w._("Level: <b>{tier}</b>", tier=tier)
    others = ", ".join(escape(tier_name(t, w.lang)) for t in d.possible)
    return w._("Level so far: <b>{tier}</b>; still possible: {tiers}", tier=tier, tiers=others)


def _why(w: _Words, d: Decision) -> list[str]:
    lines = []
    if _specialization(d):
        if d.passed:
            lines.append(w._("<b>Already met:</b>"))
            lines += [f"• {escape(check_text(c, w.lang))}" for c in d.passed]
        return lines
    reached = d.levels[: d.levels.index(d.result) + 1] if d.result in d.levels else ()
    if d.result == d.levels[0]:
        return [w._("{tier} has no requirements: every partner gets it on joining.",
                    tier=escape(tier_name(d.result, w.lang)))]
    lines.append(w._("<b>Why:</b>"))
    lines += ["• " + w._("{tier} — {check}", tier=escape(tier_name(c.scope, w.lang)),
                         check=escape(check_text(c, w.lang)))
              for c in d.passed if c.scope in reached[1:]]
    return lines


def _missing(w: _Words, d: Decision) -> list[str]:
    if d.next is None:
        return [] if _specialization(d) else [w._("This is the highest level.")]
    if d.next == "eligible":
        head = w._("<b>Missing for the specialization:</b>")
    else:
        head = w._("<b>Missing for {tier}:</b>", tier=escape(tier_name(d.next, w.lang)))
    return [head, *(f"• {escape(check_text(m, w.lang))}" for m in d.missing)]


def _benefits(w: _Words, d: Decision) -> list[str]:
    if not d.benefits:
        return []
    lines = [w._("<b>Benefits:</b>")]
    for b in d.benefits:
        name = w._(BENEFIT_NAMES.get(b.key, b.key))
        if "pct" in b.figures:
            name += f" {w.pct(b.figures['pct'])}"
        elif "pct_max" in b.figures:
            name += " " + w._("up to {value}", value=w.pct(b.figures["pct_max"]))
        conditions = ", ".join(_condition(w, c) for c in b.conditions)
        template = {CLAIMABLE: N_("{benefit}: yours (it needs {conditions})"),
                    NOT_CLAIMABLE: N_("{benefit}: not available (it needs {conditions})"),
                    }.get(b.status, N_("{benefit}: not known yet (it needs {conditions})"))
        lines.append("• " + w._(template, benefit=escape(name), conditions=escape(conditions)))
    return lines


def _about(w: _Words, d: Decision) -> list[str]:
    lines = []
    if d.open_facts:
        labels = ", ".join(escape(w._(LABELS[f])) for f in d.open_facts)
        lines.append(w._("<b>Not known yet:</b> {facts}.", facts=labels) if d.final else
                     w._("<b>Not known yet:</b> {facts}. These answers would settle the result.",
                         facts=labels))
    lines += [w._(NOTES[note]) for note in d.notes if note in NOTES]
    if d.rules_version in VERSION_NAMES:
        checked = w._(VERSION_NAMES[d.rules_version])
    else:
        checked = w._("Checked against the rules “{version}”", version=escape(d.rules_version))
    if d.effective:
        when = escape(format_date(date.fromisoformat(d.effective), "long", locale=w.lang))
        lines.append(w._("{checked}, in force from {date}", checked=checked, date=when))
    else:
        lines.append(w._("{checked}.", checked=checked))
    rules_file = programs.get(d.program).rules_file
    title = w._(SOURCE_TITLES[rules_file]) if rules_file in SOURCE_TITLES else ""
    lines.append(w._("Source: <i>{title}</i> ({file}). The figures are the source's and may "
                     "have changed since.", title=escape(title), file=escape(d.source)))
    return lines


def render_decision(decision: Decision, lang: str, plain: bool = False) -> str:
    """The decision in plain words: tier, why, what is missing and by how much, the
    benefits, what is still unknown, and the source."""
    w = _Words(lang)
    blocks = [
        [f"<b>{escape(program_name(decision.program, lang))}</b>", _result_line(w, decision)],
        _why(w, decision), _missing(w, decision), _benefits(w, decision), _about(w, decision),
    ]
    text = "\n\n".join("\n".join(block) for block in blocks if block)
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

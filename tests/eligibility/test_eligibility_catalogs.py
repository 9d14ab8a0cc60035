"""The "eligibility" gettext domain: every string the code marks is in the template and
translated in ru, fr and pl, with the right plural rules. (tests/test_locales.py checks
placeholders and markup of every domain.)

Refresh the template after changing a marked string, from the repository root:

    printf '%s\\n' '[python: eligibility/**.py]' '[python: bot/eligibility_text.py]' \\
        '[jinja2: bot/templates/decision.html.j2]' 'extensions = jinja2.ext.i18n' > /tmp/e.cfg
    pybabel extract -F /tmp/e.cfg -k N_ --no-location --sort-output \\
        --project "Partner Program Assistant" -o locales/eligibility.pot \\
        eligibility bot/eligibility_text.py bot/templates/decision.html.j2
    pybabel update -D eligibility -i locales/eligibility.pot -d locales --no-fuzzy-matching
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.pofile import read_po

from bot import LANGUAGES
from bot.i18n import translations

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
SOURCES = [ROOT / "bot" / "eligibility_text.py", *sorted((ROOT / "eligibility").rglob("*.py"))]
TEMPLATES = [ROOT / "bot" / "templates" / "decision.html.j2"]  # the decision's layout
NPLURALS = {"ru": 3, "pl": 3, "fr": 2}


def _key(message) -> str:
    return message[0] if isinstance(message, tuple | list) else message


def _extracted() -> set[str]:
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    found = [(method, path, options) for method, paths, options in (
        ("python", SOURCES, {}), ("jinja2", TEMPLATES, {"extensions": "jinja2.ext.i18n"}))
        for path in paths]
    return {_key(message) for method, path, options in found
            for _line, message, _comments, _context in extract_from_file(
                method, str(path), keywords=keywords, options=options)}


EXTRACTED = _extracted()


def _read(path: Path, lang: str | None = None):
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain="eligibility")


def test_the_code_marks_strings():
    assert len(EXTRACTED) > 100
    assert "Level: <b>{tier}</b>" in EXTRACTED
    assert "%(num)s competency at Expert level" in EXTRACTED


def test_the_decision_template_marks_its_sentences():
    python_only = {_key(message) for path in SOURCES
                   for _line, message, _comments, _context in extract_from_file(
                       "python", str(path), keywords={**DEFAULT_KEYWORDS, "N_": None})}
    for msgid in ("<b>Why:</b>", "{checked}, in force from {date}",
                  "Result: <b>not settled yet</b>: some answers are missing"):
        assert msgid in EXTRACTED and msgid not in python_only


def test_the_template_is_up_to_date():
    template = {_key(m.id) for m in _read(LOCALES / "eligibility.pot") if m.id}
    assert EXTRACTED - template == set(), "marked in code, not in the template"
    assert template - EXTRACTED == set(), "in the template, no longer in the code"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_marked_string_is_translated(lang):
    catalog = _read(LOCALES / lang / "LC_MESSAGES" / "eligibility.po", lang)
    assert not catalog.fuzzy
    translated = {_key(m.id): m for m in catalog if m.id}
    assert EXTRACTED - set(translated) == set(), f"{lang}: not in eligibility.po"
    for msgid in EXTRACTED:
        message = translated[msgid]
        forms = message.string if message.pluralizable else (message.string,)
        assert all(form and form.strip() for form in forms), f"{lang}: {msgid!r} untranslated"
        assert not message.fuzzy, f"{lang}: {msgid!r} is fuzzy"
        if message.pluralizable:
            assert len(forms) == NPLURALS[lang], f"{lang}: {msgid!r} plural forms"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms_header(lang):
    catalog = _read(LOCALES / lang / "LC_MESSAGES" / "eligibility.po", lang)
    assert catalog.num_plurals == NPLURALS[lang]


@pytest.mark.parametrize(("lang", "n", "form"), [
    ("ru", 1, "1 компетенция"), ("ru", 2, "2 компетенции"), ("ru", 5, "5 компетенций"),
    ("ru", 11, "11 компетенций"), ("ru", 21, "21 компетенция"), ("ru", 22, "22 компетенции"),
    ("pl", 1, "1 kompetencja"), ("pl", 2, "2 kompetencje"), ("pl", 5, "5 kompetencji"),
    ("pl", 12, "12 kompetencji"), ("pl", 22, "22 kompetencje"),
    ("fr", 0, "0 compétence"), ("fr", 1, "1 compétence"), ("fr", 2, "2 compétences"),
])
def test_ngettext_picks_the_form(lang, n, form):
    text = translations(lang).ngettext("%(num)s competency at Expert level",
                                       "%(num)s competencies at Expert level", n)
    assert (text % {"num": n}).startswith(form)

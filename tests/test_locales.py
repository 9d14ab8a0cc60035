"""The gettext catalogs: complete, current, and safe to send to Telegram.

Every domain with a template in `locales/*.pot` must have a fully translated catalog
in ru, fr and pl. The "messages" template must match what the code marks today, so a
string added in code without re-extracting fails here, not in front of a partner.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from bot import LANGUAGES
from bot.i18n import DOMAINS, translations
from bot.templating import markup_problems

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
TEMPLATES = sorted(LOCALES.glob("*.pot"))
CASES = [(lang, pot.stem) for pot in TEMPLATES for lang in LANGUAGES]
CASE_IDS = [f"{lang}-{domain}" for lang, domain in CASES]

# What each language's plural rule must give: n -> index of the form.
EXPECTED_FORMS = {
    "ru": {0: 2, 1: 0, 2: 1, 4: 1, 5: 2, 11: 2, 12: 2, 14: 2, 21: 0, 22: 1, 25: 2, 111: 2,
           112: 2, 121: 0},
    "pl": {0: 2, 1: 0, 2: 1, 4: 1, 5: 2, 11: 2, 12: 2, 14: 2, 21: 2, 22: 1, 25: 2, 112: 2,
           122: 1},
    "fr": {0: 0, 1: 0, 2: 1, 5: 1, 21: 1},
}
NPLURALS = {"ru": 3, "pl": 3, "fr": 2}

_BRACES = re.compile(r"\{[^{}]*\}")
_PERCENT = re.compile(r"%\(\w+\)[sdifr]")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _read(path: Path, lang: str | None = None, domain: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain=domain)


def _po_path(lang: str, domain: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{domain}.po"


def _messages(catalog: Catalog) -> list:
    return [m for m in catalog if m.id]


def _forms(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _label(message) -> str:
    return repr(message.id[0] if message.pluralizable else message.id)


def _placeholders(text: str) -> set[str]:
    text = text.replace("{{", "").replace("}}", "")
    return set(_BRACES.findall(text)) | set(_PERCENT.findall(text))


def _tags(text: str) -> list[str]:
    return sorted(_TAG.findall(text))


def _catalog(lang: str, domain: str, required: bool = False) -> Catalog:
    """The catalog; a missing one fails the completeness test and skips the others."""
    path = _po_path(lang, domain)
    if not path.exists():
        message = f"{path.relative_to(ROOT)} is missing: run pybabel init -D {domain}"
        if required:
            pytest.fail(message)
        pytest.skip(message)
    return _read(path, lang, domain)


def test_there_is_a_messages_template():
    assert (LOCALES / "messages.pot") in TEMPLATES


@pytest.mark.parametrize(("lang", "domain"), CASES, ids=CASE_IDS)
def test_catalog_translates_every_msgid_of_its_template(lang, domain):
    template = _read(LOCALES / f"{domain}.pot")
    catalog = _catalog(lang, domain, required=True)
    assert not catalog.fuzzy, "the header is marked fuzzy: the compiled catalog would drop it"
    nplurals = catalog.num_plurals
    problems = []
    for tmsg in _messages(template):
        msg = catalog.get(tmsg.id, tmsg.context)
        if msg is None:
            problems.append(f"{_label(tmsg)}: missing (run pybabel update)")
            continue
        if msg.fuzzy:
            problems.append(f"{_label(msg)}: fuzzy")
        if tmsg.id != msg.id:
            problems.append(f"{_label(msg)}: the plural msgid differs (run pybabel update)")
            continue
        forms = _forms(msg)
        if msg.pluralizable and len(forms) != nplurals:
            problems.append(f"{_label(msg)}: {len(forms)} plural forms, not {nplurals}")
        if not all(form.strip() for form in forms):
            problems.append(f"{_label(msg)}: not translated")
    assert not problems, f"{lang}/{domain}.po:\n" + "\n".join(problems)


def _extract_messages_domain() -> set[tuple[str, str | None]]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=DEFAULT_KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.add((msgid, context))
    return found


@pytest.fixture(scope="module")
def extracted() -> set[tuple[str, str | None]]:
    return _extract_messages_domain()


def test_messages_template_has_every_string_the_code_marks(extracted):
    template = _read(LOCALES / "messages.pot")
    known = {(m.id[0] if m.pluralizable else m.id, m.context) for m in _messages(template)}
    missing = sorted(msgid for msgid, context in extracted - known)
    assert not missing, ("locales/messages.pot is stale; re-extract (see locales/README.md). "
                         "Not in it:\n" + "\n".join(map(repr, missing)))


def test_messages_template_has_no_string_the_code_dropped(extracted):
    template = _read(LOCALES / "messages.pot")
    known = {(m.id[0] if m.pluralizable else m.id, m.context) for m in _messages(template)}
    gone = sorted(msgid for msgid, context in known - extracted)
    assert not gone, ("locales/messages.pot is stale; re-extract (see locales/README.md). "
                      "No longer in the code:\n" + "\n".join(map(repr, gone)))


def _plural_function(expr: str):
    return gettext.c2py(expr)


def _reached_by_other_than_one(catalog: Catalog, index: int) -> bool:
    plural = _plural_function(catalog.plural_expr)
    return any(plural(n) == index for n in range(200) if n != 1)


@pytest.mark.parametrize(("lang", "domain"), CASES, ids=CASE_IDS)
def test_translations_keep_the_placeholders(lang, domain):
    catalog = _catalog(lang, domain)
    problems = []
    for msg in _messages(catalog):
        if not msg.pluralizable:
            want = _placeholders(msg.id)
            got = _placeholders(msg.string)
            if msg.string and got != want:
                problems.append(f"{_label(msg)}: has {sorted(got)}, needs {sorted(want)}")
            continue
        singular, plural = (_placeholders(part) for part in msg.id)
        for index, form in enumerate(_forms(msg)):
            if not form:
                continue
            got = _placeholders(form)
            # A form used for some n other than 1 (21 in Russian, 0 in French) shows n.
            need = plural if _reached_by_other_than_one(catalog, index) else singular
            if not need <= got <= singular | plural:
                problems.append(f"{_label(msg)} form {index}: has {sorted(got)}, "
                                f"needs {sorted(need)}")
    assert not problems, f"{lang}/{domain}.po:\n" + "\n".join(problems)


@pytest.mark.parametrize(("lang", "domain"), CASES, ids=CASE_IDS)
def test_translations_are_valid_telegram_html(lang, domain):
    catalog = _catalog(lang, domain)
    problems = []
    for msg in _messages(catalog):
        source = msg.id if isinstance(msg.id, tuple) else (msg.id,)
        source_tags = _tags(source[-1])
        for index, form in enumerate(_forms(msg)):
            problems += [f"{_label(msg)} form {index}: {p}" for p in markup_problems(form)]
            if form and _tags(form) != source_tags:
                problems.append(f"{_label(msg)} form {index}: tags {_tags(form)}, "
                                f"the English has {source_tags}")
    assert not problems, f"{lang}/{domain}.po:\n" + "\n".join(problems)


@pytest.mark.parametrize(("lang", "domain"), CASES, ids=CASE_IDS)
def test_plural_forms_header_is_right(lang, domain):
    catalog = _catalog(lang, domain)
    assert catalog.num_plurals == NPLURALS[lang], catalog.plural_forms
    assert catalog.num_plurals == get_plural(lang).num_plurals
    plural = _plural_function(catalog.plural_expr)
    wrong = {n: plural(n) for n, index in EXPECTED_FORMS[lang].items() if plural(n) != index}
    assert not wrong, f"{catalog.plural_forms} picks the wrong form for {wrong}"


def _russian_plural_messages() -> dict[tuple[str, str], tuple[str, ...]]:
    """Plural msgids of the domains bot.i18n merges; a later domain wins, as in merge()."""
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for domain in DOMAINS:
        path = _po_path("ru", domain)
        if not path.exists():
            continue
        for msg in _messages(_read(path, "ru", domain)):
            if msg.pluralizable and not msg.context and all(_forms(msg)):
                found[msg.id] = _forms(msg)
    return found


def test_russian_ngettext_picks_the_right_form():
    plurals = _russian_plural_messages()
    if not plurals:
        pytest.skip("no plural msgid in the Russian catalogs yet")
    ngettext = translations("ru").ngettext
    problems = []
    for (singular, plural), forms in plurals.items():
        if len(forms) != 3:
            problems.append(f"{singular!r}: {len(forms)} forms, Russian needs 3")
            continue
        for n, index in ((1, 0), (2, 1), (5, 2), (21, 0), (0, 2), (11, 2), (12, 2), (22, 1),
                         (111, 2)):
            got = ngettext(singular, plural, n)
            if got != forms[index]:
                problems.append(f"{singular!r}, n={n}: {got!r}, expected {forms[index]!r}")
    assert not problems, "\n".join(problems)

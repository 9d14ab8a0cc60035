"""The "telegram" gettext domain: every marked string extracted, translated, valid HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from bot_api_emulator import parse_html

from bot import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"


def _extracted() -> set[str]:
    found = extract_from_dir(str(ROOT / "bot" / "telegram"),
                             keywords={"_": None, "N_": (1, 2)}, comment_tags=())
    return {message for _file, _line, message, _comments, _context in found}


def _catalog(path: Path, lang: str | None = None):
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain="telegram")


def test_the_template_holds_every_marked_string():
    template = {m.id for m in _catalog(LOCALES / "telegram.pot") if m.id}
    assert _extracted() == template, "run the pybabel extract command in bot/telegram/i18n.py"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_is_translated_and_valid_telegram_html(lang):
    catalog = _catalog(LOCALES / lang / "LC_MESSAGES" / "telegram.po", lang)
    translated = {m.id: m.string for m in catalog if m.id}
    missing = _extracted() - set(translated)
    assert not missing, f"{lang}: not in the catalog: {sorted(missing)}"
    for message in catalog:
        if not message.id:
            continue
        forms = message.string if message.pluralizable else (message.string,)
        if message.pluralizable:
            assert len(forms) == catalog.num_plurals, f"{lang}: {message.id!r} plural forms"
        for form in forms:
            assert form and form.strip(), f"{lang}: {message.id!r} untranslated"
            parse_html(form)  # raises as Telegram would
        assert not message.fuzzy, f"{lang}: {message.id!r} is fuzzy"
    assert catalog.num_plurals == (2 if lang == "fr" else 3)


@pytest.mark.parametrize(("lang", "days", "expected"), [
    ("ru", 1, "не дольше 1 дня"), ("ru", 21, "не дольше 21 дня"),
    ("ru", 30, "не дольше 30 дней"), ("ru", 365, "не дольше 365 дней"),
    ("fr", 1, "au bout de 1 jour."), ("fr", 365, "au bout de 365 jours."),
    ("pl", 1, "po 1 dniu."), ("pl", 22, "po 22 dniach."), ("pl", 365, "po 365 dniach."),
])
def test_the_retention_period_has_the_right_plural(lang, days, expected):
    from bot.telegram.i18n import ngettext_for
    from bot.telegram.privacy import KEPT_FOR

    assert expected in ngettext_for(lang)(*KEPT_FOR, days).format(days=days)

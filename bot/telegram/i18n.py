"""Strings only the Telegram adapter says, from the gettext domain "telegram".

Catalogs: `locales/telegram.pot` and `locales/{ru,fr,pl}/LC_MESSAGES/telegram.po`.
Refresh the template after editing a marked string:

    pybabel extract -k _ --no-default-keywords -o locales/telegram.pot bot/telegram
    pybabel update -D telegram -i locales/telegram.pot -d locales --no-fuzzy-matching

Strings are marked with `_`, a no-op at import time; `gettext_for(lang)` translates.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from bot import LANGUAGES
from bot.paths import locales_dir

DOMAIN = "telegram"
DEFAULT_LANG = "ru"


def _(message: str) -> str:
    """Marks a string for extraction; the translation happens later, per user."""
    return message


@cache
def translations(lang: str) -> gettext.NullTranslations:
    folder = locales_dir() / lang / "LC_MESSAGES"
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as f:
            return Translations(f, domain=DOMAIN)
    if po.exists():
        with po.open("rb") as f:
            catalog = read_po(f, locale=lang, domain=DOMAIN)
        buf = BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        return Translations(buf, domain=DOMAIN)
    return gettext.NullTranslations()


def gettext_for(lang: str):
    return translations(lang if lang in LANGUAGES else DEFAULT_LANG).gettext


def language_from_code(code: str | None) -> str:
    """Telegram's `language_code` (an IETF tag like "pl" or "fr-CA") -> ru, fr or pl."""
    base = (code or "").split("-")[0].split("_")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANG

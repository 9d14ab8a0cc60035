"""Strings only the Telegram adapter says (gettext domain "telegram"), and the user's
language from Telegram's `language_code`.

Catalogs: `locales/telegram.pot` and `locales/{ru,fr,pl}/LC_MESSAGES/telegram.po`,
loaded with every other domain by `bot.i18n`. Refresh the template after editing a
marked string:

    pybabel extract -k _ -k N_:1,2 --no-default-keywords -o locales/telegram.pot bot/telegram
    pybabel update -D telegram -i locales/telegram.pot -d locales --no-fuzzy-matching
"""

from __future__ import annotations

from bot import LANGUAGES
from bot.i18n import translations

DEFAULT_LANG = "ru"


def _(message: str) -> str:
    """Marks a string for extraction; the translation happens later, per user."""
    return message


def gettext_for(lang: str):
    return translations(lang if lang in LANGUAGES else DEFAULT_LANG).gettext


def language_from_code(code: str | None) -> str:
    """Telegram's `language_code` (an IETF tag like "pl" or "fr-CA") -> ru, fr or pl."""
    base = (code or "").split("-")[0].split("_")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANG


def N_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a string with plural forms; `ngettext_for(lang)(*marked, n)` translates it."""
    return singular, plural


def ngettext_for(lang: str):
    return translations(lang if lang in LANGUAGES else DEFAULT_LANG).ngettext

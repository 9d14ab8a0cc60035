"""Interface strings from the gettext catalogs in `locales/`, one catalog per domain.

Wheels carry catalogs compiled at build time (`.mo`); a checkout compiles the `.po`
files in memory, so a translator's edit shows up without a build step.
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

DOMAINS = ("messages", "eligibility", "telegram")


def _load(lang: str, domain: str) -> gettext.NullTranslations:
    folder = locales_dir() / lang / "LC_MESSAGES"
    mo, po = folder / f"{domain}.mo", folder / f"{domain}.po"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as f:
            return Translations(f, domain=domain)
    if po.exists():
        with po.open("rb") as f:
            catalog = read_po(f, locale=lang, domain=domain)
        buf = BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        return Translations(buf, domain=domain)
    return gettext.NullTranslations()


@cache
def translations(lang: str) -> Translations:
    """All domains of one language merged, for jinja2's i18n extension and for code."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    loaded = [t for d in DOMAINS if isinstance(t := _load(lang, d), Translations)]
    if not loaded:
        return Translations()
    merged = loaded[0]  # keeps its catalog's plural rule (Russian and Polish have three forms)
    for t in loaded[1:]:
        merged.merge(t)
    return merged


def gettext_for(lang: str):
    return translations(lang).gettext


def ngettext_for(lang: str):
    return translations(lang).ngettext

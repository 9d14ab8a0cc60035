"""Which of ru/fr/pl a message is in: script first, then letters, then known words.

Short Latin text without diacritics is the hard case; `detect` returns None when
the evidence is even, or points to a language we do not answer in (English, from the
stop words of language.yaml), and the caller falls back to the user's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.textnorm import fold, words

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-zA-ZÀ-ɏ]")
_PL_LETTERS = set("ąęłńśźżćó")
_FR_LETTERS = set("éèêàçùâîôûëïœÿ")


class LanguageDetector:
    def __init__(self, vocabulary: dict[str, Iterable[str]]):
        """`vocabulary`: words seen per language (stop words and the base's own phrases)."""
        folded = {lang: {fold(w) for w in ws} for lang, ws in vocabulary.items()}
        self.only = {
            lang: folded[lang] - set().union(*(v for other, v in folded.items() if other != lang))
            for lang in folded if lang != "ru"
        }

    def detect(self, text: str) -> str | None:
        cyr, lat = len(_CYRILLIC.findall(text)), len(_LATIN.findall(text))
        if cyr > lat:
            return "ru"
        if not lat:
            return None
        lower = text.lower()
        score = dict.fromkeys(self.only, 0.0)
        score["fr"] = 2.0 * sum(ch in _FR_LETTERS for ch in lower)
        score["pl"] = 2.0 * sum(ch in _PL_LETTERS for ch in lower)
        russian_words = 0  # "порог silver sophos": names are Latin, the language is not
        for tok in words(lower):
            if _CYRILLIC.search(tok):
                russian_words += 1
                continue
            f = fold(tok)
            for lang, known in self.only.items():
                if f in known:
                    score[lang] += 1.0
        if russian_words > max(score.values()):
            return "ru"
        best = max(score, key=score.get)
        if best not in ("fr", "pl") or score["fr"] == score["pl"] == score[best]:
            return None  # another language (English), or even: the caller's language
        return best

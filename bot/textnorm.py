"""Text to comparable terms: case, accents, numbers, stems and synonyms folded away.

The same analyzer turns knowledge-base phrases and user questions into terms, so the
two meet whatever the inflection, spelling or script.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

import snowballstemmer

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN_FOLD = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "œ": "oe", "æ": "ae", "ß": "ss"})
_WORD = re.compile(r"[^\W_]+|%|€|\$")
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d{1,3}(?:[.,]\d{3})+(?![.,]?\d)"
    r"|\d+(?:[.,]\d+)?)"
    r"\s*(k|к|тыс\w*\.?|tys\w*\.?|mln\w*\.?|млн\w*\.?|mille|milliers?)?(?!\w)",
    re.IGNORECASE,
)
_MULTIPLIERS = {"k": 1000, "к": 1000, "тыс": 1000, "tys": 1000, "mil": 1000, "mln": 10**6,
                "млн": 10**6}
STEMMER_NAMES = {"ru": "russian", "fr": "french", "pl": "polish"}


@lru_cache(maxsize=100_000)
def fold(text: str) -> str:
    """Lower case, ё -> е, Latin diacritics dropped; й and the rest of Cyrillic kept."""
    text = text.lower().replace("ё", "е").translate(_LATIN_FOLD)
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out and not _CYRILLIC.match(out[-1]):
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _number_value(match: re.Match) -> str:
    digits, unit = match.group(1), (match.group(2) or "").lower()
    if re.fullmatch(r"\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+", digits) and not unit:
        value = float(re.sub(r"\D", "", digits))
    else:
        value = float(re.sub(r"[ \u00a0\u202f]", "", digits).replace(",", "."))
    for prefix, factor in _MULTIPLIERS.items():
        if unit.startswith(prefix):
            value *= factor
            break
    return f" {round(value)} " if value == round(value) else f" {value:g} "


def normalize_numbers(text: str) -> str:
    """'10 тыс.', '10k', '10 000', '10,000' -> '10000'."""
    return _NUMBER.sub(_number_value, text)


@lru_cache(maxsize=50_000)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(normalize_numbers(text.lower().replace("ё", "е"))))


def words(text: str) -> list[str]:
    """Lower-cased word tokens, numbers normalised; apostrophes (French elisions) and
    hyphens split words."""
    return list(_words(text))


def is_cyrillic(token: str) -> bool:
    return bool(_CYRILLIC.search(token))


@lru_cache(maxsize=8)
def _stemmer(lang: str):
    return snowballstemmer.stemmer(STEMMER_NAMES[lang])


Stemmer = Callable[[str, str], str]


def snowball_stem(token: str, lang: str) -> str:
    return _stemmer(lang).stemWord(token)


def no_stem(token: str, lang: str) -> str:
    return token


class Analyzer:
    """Resolves tokens to term keys: synonyms first, then surface form, then stem.

    Term keys are folded stems ("компетенц", "partner") or synonym concepts ("=gold").
    Unknown tokens are resolved later by the matcher's fuzzy vocabulary look-up.
    """

    def __init__(self, synonyms: dict[str, Any], stopwords: dict[str, Iterable[str]],
                 stem: Stemmer = snowball_stem):
        self.stem = lru_cache(maxsize=200_000)(stem)  # a word is stemmed once per process
        self.stopwords = {fold(w) for ws in stopwords.values() for w in ws}
        self.stopwords |= {w.lower() for ws in stopwords.values() for w in ws}
        self.concepts: dict[str, str] = {}  # folded surface or stem -> "=concept"
        self.phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}  # first stem -> variants
        self.vendors: set[str] = set()
        self.foreign: set[str] = set()  # vendors the base does not cover
        self.tiers: set[str] = set()  # levels: an entry about one does not answer another
        self.exact: dict[str, str] = {}  # a variant's own spelling, diacritics and all
        deferred: list[tuple[str, str]] = []
        for group, table in (synonyms or {}).items():
            for concept, variants in (table or {}).items():
                key = "=" + concept
                if group == "vendors":
                    self.vendors.add(key)
                elif group == "other_vendors":
                    self.foreign.add(key)
                elif group == "tiers":
                    self.tiers.add(key)
                for variant in [concept, *variants]:
                    toks = words(str(variant))
                    if len(toks) == 1:
                        # A vendor is a name: its listed spellings only, never its stem
                        # (French "délai" stems like "Dell").
                        names = group in ("vendors", "other_vendors")
                        forms = (fold(toks[0]),) if names else self._forms(toks[0])
                        if fold(toks[0]) != toks[0].lower():
                            # With its diacritics a word may be another concept than
                            # without: Polish MŚP (small firms) is not MSP (managed
                            # services). Its spelling is exact; its folded forms yield.
                            self.exact.setdefault(toks[0].lower(), key)
                            deferred += [(form, key) for form in forms]
                            continue
                        for form in forms:
                            self.concepts.setdefault(form, key)
                    elif toks:
                        stems = tuple(self._stem_key(t) for t in toks)
                        self.phrases.setdefault(stems[0], []).append((stems, key))
        for form, key in deferred:
            self.concepts.setdefault(form, key)
        for concept in self.concepts:
            self.stopwords.discard(concept)
        for variants in self.phrases.values():
            variants.sort(key=lambda p: -len(p[0]))  # the longest variant wins

    def _langs(self, token: str, lang: str | None) -> tuple[str, ...]:
        if is_cyrillic(token):
            return ("ru",)
        return (lang, "fr" if lang == "pl" else "pl") if lang in ("fr", "pl") else ("fr", "pl")

    @lru_cache(maxsize=200_000)  # noqa: B019 - analyzers live as long as the process
    def _forms(self, token: str, lang: str | None = None) -> tuple[str, ...]:
        """The folded surface, then folded stems (as typed and without diacritics)."""
        forms = [fold(token)]
        for code in self._langs(token, lang):
            for variant in (token, forms[0]):
                stem = fold(self.stem(variant, code))
                if stem not in forms:
                    forms.append(stem)
        return tuple(forms)

    @lru_cache(maxsize=200_000)  # noqa: B019
    def _stem_key(self, token: str, lang: str | None = None) -> str:
        return fold(self.stem(fold(token), self._langs(token, lang)[0]))

    def is_stopword(self, token: str) -> bool:
        return token in self.stopwords or (fold(token) in self.stopwords
                                           and fold(token) not in self.concepts)

    def analyze(self, text: str, lang: str | None = None) -> list[tuple[str, ...]]:
        """Each meaningful token of `text` as its candidate forms, in order.

        A token that is a synonym (or part of a multiword one) comes out as the single
        concept key; stop words are dropped.
        """
        toks = words(text)
        stems = [self._stem_key(t, lang) for t in toks] if self.phrases else []
        out: list[tuple[str, ...]] = []
        i = 0
        while i < len(toks):
            for phrase, key in self.phrases.get(stems[i], ()):
                n = len(phrase)
                if tuple(stems[i:i + n]) == phrase:
                    out.append((key,))
                    i += n
                    break
            else:
                tok = toks[i]
                i += 1
                if self.is_stopword(tok):
                    continue
                forms = self._forms(tok, lang)
                concept = self.exact.get(tok.lower()) or next(
                    (self.concepts[f] for f in forms if f in self.concepts), None)
                out.append((concept,) if concept else forms)
        return out

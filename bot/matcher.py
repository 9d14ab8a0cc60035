"""Question -> entry, with an honest confidence: answer, clarify, or unknown.

Every question and paraphrase of every language is indexed as a set of terms
(see textnorm). A question is scored against each phrase by IDF-weighted overlap,
in both directions: how much of the question the phrase explains, and how much of
the phrase the question asks. Words the base has never seen count against the
match, so questions about something else fall below the floor. Vendors are not
ordinary words: naming one steers the match to that vendor's entries.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.knowledgebase import Entry, KnowledgeBase
from bot.langdetect import LanguageDetector
from bot.textnorm import Analyzer, Stemmer, fold, snowball_stem, words

ANSWER = "answer"
CLARIFY = "clarify"
UNKNOWN = "unknown"
SMALLTALK = "smalltalk"
DECLINE = "!"  # prefixes out-of-scope topics in the index; no entry id can start so


@dataclass(frozen=True)
class Settings:
    """Thresholds calibrated on tests/matching/devset.yaml (see benchmarks/matching.py)."""

    answer_floor: float = 0.25  # below this, never answer outright
    clarify_floor: float = 0.22  # below this, "I don't know"
    decline_floor: float = 0.15  # an out-of-scope topic on top from here: say where to go
    hint_floor: float = 0.15  # under "I don't know", entries from here are offered as hints
    margin: float = 0.04  # the top entry must lead the next one by this much
    relative_margin: float = 0.2  # ...and by this share of its own score
    beta: float = 1.0  # F-beta: >1 weighs "the phrase explains the question" higher
    oov_weight: float = 0.85  # share of the max IDF an unknown word weighs
    union_weight: float = 0.7  # share of the score from the entry's phrases taken together
    centrality: float = 1.0  # exponent on a term's share of an entry's phrases
    likelihood: float = 0.2  # weight of how typical the question's words are of an entry
    smoothing: float = 0.1  # pseudo-count for a word none of an entry's phrases has
    other_vendor: float = 0.35  # factor on entries of a vendor the question did not name
    no_vendor: float = 0.7  # factor on vendor-less entries when a vendor was named
    unnamed_vendor: float = 0.9  # factor on a vendor's entries when no vendor was named
    other_tier: float = 0.7  # factor on an entry about one level when another is asked
    context_other: float = 0.6  # after an answer about a vendor, on other vendors' entries
    max_suggestions: int = 3


@dataclass(frozen=True)
class Candidate:
    entry: str
    score: float  # 0..1
    phrase: str
    lang: str


@dataclass
class Match:
    kind: str  # answer | clarify | unknown | smalltalk
    lang: str | None  # detected language of the question (None: undecided)
    entry: str | None = None
    score: float = 0.0
    candidates: list[Candidate] = field(default_factory=list)
    smalltalk: str | None = None  # greeting | thanks | bye | human
    vendors: tuple[str, ...] = ()
    foreign: bool = False  # names only a vendor the base does not cover
    decline: str | None = None  # an out-of-scope topic it matched (knowledge/out_of_scope.yaml)
    hints: list[Candidate] = field(default_factory=list)  # unknown, yet maybe one of these

    @property
    def score100(self) -> int:
        return round(self.score * 100)

    @property
    def suggestions(self) -> list[Candidate]:
        return self.candidates if self.kind == CLARIFY else []

    @property
    def shown(self) -> list[Candidate]:
        """The entries a reply puts before the user: the answer and the rest of the
        ranking behind it, the suggestions, or the hints under "I don't know"."""
        return self.hints if self.kind == UNKNOWN else self.candidates


class Matcher:
    def __init__(self, kb: KnowledgeBase, settings: Settings | None = None,
                 stem: Stemmer = snowball_stem):
        self.kb = kb
        language = kb.language
        self.settings = settings or Settings()
        self.analyzer = Analyzer(kb.synonyms, language.get("stopwords", {}), stem=stem)
        # Out-of-scope topics are indexed like entries, under ids no entry can have, so
        # that "how much is a licence" finds them rather than the licence-rebate entry.
        sources = [(eid, e.texts) for eid, e in kb.entries.items()]
        sources += [(DECLINE + did, d.texts) for did, d in kb.declines.items()]
        self.entry_vendor = {eid: kb.vendor_of(e) for eid, e in kb.entries.items()}
        self.vocab: dict[str, str] = {}  # any form -> term key
        raw: list[tuple[str, str, str, list[list[str]]]] = []
        lang_words: dict[str, set[str]] = defaultdict(set)
        for lang, stop in language.get("stopwords", {}).items():
            lang_words[lang].update(stop)
        for eid, texts in sources:
            for lang, text in texts.items():
                for phrase in (text.question, *text.paraphrases):
                    analyzed = self.analyzer.analyze(phrase, lang)
                    raw.append((eid, lang, phrase, analyzed))
                    lang_words[lang].update(words(phrase))
                    for forms in analyzed:
                        key = forms[1] if len(forms) > 1 else forms[0]
                        for form in forms:
                            self.vocab.setdefault(form, key)
        for form, concept in self.analyzer.concepts.items():
            self.vocab.setdefault(form, concept)
        df: dict[str, set[str]] = defaultdict(set)
        phrase_terms = []
        for eid, _lang, _text, analyzed in raw:
            terms = frozenset(self.vocab[forms[0]] for forms in analyzed)
            phrase_terms.append(terms)
            for t in terms:
                df[t].add(eid)
        n = len(sources)
        self.idf = {t: math.log(1 + (n - len(e) + 0.5) / (len(e) + 0.5)) for t, e in df.items()}
        self.max_idf = max(self.idf.values(), default=1.0)
        self._index([eid for eid, _ in sources], raw, phrase_terms)
        self.question_terms = {
            self.vocab.get(forms[0], forms[0])
            for ws in language.get("question_words", {}).values() for w in ws
            for forms in self.analyzer.analyze(str(w))
        }
        by_length: dict[int, list[str]] = defaultdict(list)
        foreign = self.analyzer.foreign
        for form in sorted(self.vocab):  # typos of a vendor we do not cover stay unknown
            if len(form) >= 3 and not form.isdigit() and self.vocab[form] not in foreign:
                by_length[len(form)].append(form)
        # Known words within reach of a typed word, by its length and by the letter in its
        # first or second place: one edit always leaves one of the two first letters in
        # place or shifts it by one, so four short lists replace the whole vocabulary.
        self.fuzzy_choices: dict[tuple[int, int, str], list[str]] = defaultdict(list)
        for n in range(4, max(by_length, default=0) + 3):
            for m in range(n - _allowed_edits(n), n + _allowed_edits(n) + 1):
                for c in by_length.get(m, ()):
                    self.fuzzy_choices[n, 0, c[0]].append(c)
                    self.fuzzy_choices[n, 1, c[1]].append(c)
        self.detector = LanguageDetector(lang_words)
        self.smalltalk = {
            kind: {fold(" ".join(words(p))) for ps in by_lang.values() for p in ps}
            for kind, by_lang in language.get("smalltalk", {}).items()
        }

    def _index(self, entries: list[str], raw: list, phrase_terms: list[frozenset[str]]
               ) -> None:
        """Postings as numpy arrays, so a question costs a few vector operations
        whatever the size of the base. Phrases are stored entry by entry (contiguous),
        which lets one `maximum.reduceat` take each entry's best phrase."""
        self.entry_ids = entries
        entry_no = self.entry_no = {eid: i for i, eid in enumerate(entries)}
        vendors = self.analyzer.vendors
        texts: list[tuple[str, str]] = []
        weights: list[float] = []
        owner: list[int] = []
        postings: dict[str, list[int]] = defaultdict(list)
        counts: dict[tuple[str, str], int] = defaultdict(int)
        hits: dict[tuple[str, str, str], int] = defaultdict(int)
        for (eid, lang, text, _), terms in zip(raw, phrase_terms, strict=True):
            content = terms - vendors
            idx = len(texts)
            texts.append((text, lang))
            weights.append(sum(self.idf[t] for t in content))
            owner.append(entry_no[eid])
            counts[eid, lang] += 1
            for t in content:
                postings[t].append(idx)
                hits[t, eid, lang] += 1
        self.phrase_text = texts
        self.phrase_weight = np.array(weights) if weights else np.zeros(0)
        self.phrase_entry = np.array(owner, dtype=np.int32)
        self.entry_start = np.flatnonzero(np.diff(self.phrase_entry, prepend=-1)).astype(np.intp)
        self.postings = {t: np.array(ix, dtype=np.int32) for t, ix in postings.items()}
        # How central a term is to an entry: the share of the entry's phrases (in the
        # language where it is highest) that contain it. A word in every paraphrase of
        # an entry says more about it than a word that one paraphrase happens to use.
        central: dict[str, dict[int, float]] = defaultdict(dict)
        pooled: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for (t, eid, lang), n in hits.items():
            share = (n / counts[eid, lang]) ** self.settings.centrality
            e = entry_no[eid]
            central[t][e] = max(share, central[t].get(e, 0.0))
            pooled[t][e] += n
        # Naive Bayes view of the same counts: log P(word | entry) over all its phrases,
        # stored as the gain over a word the entry never uses (the smoothing floor).
        alpha = self.settings.smoothing
        self.entry_postings = {}
        for t, d in central.items():
            es = np.fromiter(d.keys(), np.int32, len(d))
            gain = np.log((np.array([pooled[t][e] for e in d]) + alpha) / alpha)
            self.entry_postings[t] = (es, np.fromiter(d.values(), float, len(d)), gain)
        self.entry_log_size = np.log(np.bincount(self.phrase_entry, minlength=len(entries))
                                     + alpha)
        # The one level an entry is about, if any: named in most of its phrases, alone.
        self.entry_tier = np.full(len(entries), -1, dtype=np.int32)
        self.tier_codes = {t: i for i, t in enumerate(sorted(self.analyzer.tiers))}
        about: dict[int, list[str]] = defaultdict(list)
        for t in self.tier_codes:
            for e, share in central.get(t, {}).items():
                if share >= 0.5:
                    about[e].append(t)
        for e, tiers in about.items():
            if len(tiers) == 1:
                self.entry_tier[e] = self.tier_codes[tiers[0]]
        codes = {v: i for i, v in enumerate(sorted({v for v in self.entry_vendor.values() if v}))}
        self.vendor_codes = codes
        self.entry_vendor_code = np.array(  # -1: no vendor; -2: out of scope, neutral
            [-2 if eid.startswith(DECLINE) else codes.get(self.entry_vendor[eid], -1)
             for eid in entries], dtype=np.int32)

    # -- query side ------------------------------------------------------------------
    @lru_cache(maxsize=4096)  # noqa: B019 - the matcher lives as long as its cache
    def _fuzzy(self, form: str) -> tuple[str | None, float]:
        """A word the base does not know, read as the closest word it does: one edit
        allowed up to 7 letters, two from 8 on (a typo, a missing or doubled letter)."""
        if len(form) < 4 or form.isdigit():
            return None, 0.0
        n, get = len(form), self.fuzzy_choices.get
        choices = dict.fromkeys([*get((n, 0, form[0]), ()), *get((n, 1, form[1]), ()),
                                 *get((n, 1, form[0]), ()), *get((n, 0, form[1]), ())])
        hit = process.extractOne(form, list(choices), scorer=Levenshtein.distance,
                                 score_cutoff=_allowed_edits(n))
        if hit is None:
            return None, 0.0
        return self.vocab[hit[0]], 1.0 - hit[1] / len(form)

    def resolve(self, text: str, lang: str | None) -> tuple[dict[str, float], list[str], float]:
        """Query terms with their confidence (1 exact, <1 fuzzy), vendors, unknown mass."""
        terms: dict[str, float] = {}
        vendors: list[str] = []
        unknown = 0.0
        for forms in self.analyzer.analyze(text, lang):
            if forms[0][0] == "=":  # a synonym concept, known whether or not the base uses it
                key = forms[0]
            else:
                key = next((self.vocab[f] for f in forms if f in self.vocab), None)
            conf = 1.0
            if key is None:
                key, conf = self._fuzzy(forms[0])
            if key is None:
                unknown += self.settings.oov_weight * self.max_idf * (
                    0.3 if forms[0].isdigit() else 1.0)
            elif key in self.analyzer.vendors or key in self.analyzer.foreign:
                vendors.append(key)
            else:
                terms[key] = max(terms.get(key, 0.0), conf)
        return terms, vendors, unknown

    def _smalltalk(self, text: str) -> str | None:
        flat = fold(" ".join(words(text)))
        for kind, phrases in self.smalltalk.items():
            if flat in phrases:
                return kind
        return None

    def match(self, text: str, lang: str | None = None, after: str | None = None) -> Match:
        """`lang` only helps stemming and detection; matching spans every language.

        `after`: the entry answered just before, for follow-ups. A question that names
        only a vendor or a level ("and for Platinum?", "et chez Symantec ?") is read as
        that entry's question with the change; one that names no vendor leans to that
        entry's vendor, as a person would hear it.
        """
        detected = self.detector.detect(text)
        if kind := self._smalltalk(text):
            return Match(SMALLTALK, detected, smalltalk=kind)
        terms, vendors, unknown = self.resolve(text, detected or lang)
        if vendors and all(v in self.analyzer.foreign for v in vendors):
            return Match(UNKNOWN, detected, vendors=tuple(dict.fromkeys(vendors)), foreign=True)
        previous = self.kb.entries.get(after) if after else None
        changed = False
        if previous is not None:
            terms, vendors, changed = self._follow_up(terms, vendors, previous,
                                                      detected or lang)
        if not set(terms) - self.question_terms:  # "а как это?" asks about nothing
            return Match(UNKNOWN, detected, vendors=tuple(dict.fromkeys(vendors)))
        s = self.settings
        weights = {t: self.idf.get(t, self.max_idf) * c for t, c in terms.items()}
        q_weight = sum(weights.values()) + unknown
        named = frozenset(v[1:] for v in vendors)
        asked = frozenset(self.tier_codes[t] for t in weights if t in self.tier_codes)
        context = self.entry_vendor[previous.id] if previous and not named else None
        ranked = self._rank(weights, q_weight, named, asked, context)
        if changed:  # "and at Symantec?" asks for something else than what it just got
            ranked = [c for c in ranked if c.entry != previous.id]
        top = ranked[0] if ranked else None
        ranked_entries = [c for c in ranked if not c.entry.startswith(DECLINE)]
        result = Match(UNKNOWN, detected, vendors=tuple(dict.fromkeys(vendors)),
                       candidates=ranked_entries[:max(s.max_suggestions, 5)])
        if top is not None and top.entry.startswith(DECLINE):
            if top.score >= s.decline_floor:
                result.decline = top.entry[len(DECLINE):]
            return result
        if top is None or top.score < s.clarify_floor:
            # Too weak to ask "did you mean", yet worth a look under the honest "I don't
            # know": the right entry is often here when the words are the partner's own.
            # Not when only a corrected typo links them ("пирог" read as "порог").
            if any(c == 1.0 for t, c in terms.items() if t not in self.question_terms):
                floor = max(s.hint_floor, (top.score if top else 0.0) - 0.05)
                result.hints = [c for c in ranked_entries
                                if c.score >= floor][: s.max_suggestions]
            return result
        result.score = top.score
        second = ranked[1].score if len(ranked) > 1 else 0.0
        lead = s.margin if self._specific(ranked, asked) else max(
            s.margin, s.relative_margin * top.score)
        if top.score >= s.answer_floor and top.score - second >= lead \
                and (context or not self._vendor_ambiguous(ranked_entries, named)):
            result.kind, result.entry = ANSWER, top.entry
            return result
        result.kind = CLARIFY
        result.entry = top.entry
        floor = max(s.clarify_floor, top.score - 0.25)
        result.candidates = [c for c in ranked_entries if c.score >= floor][: s.max_suggestions]
        return result

    def _follow_up(self, terms: dict[str, float], vendors: list[str], previous: Entry,
                   lang: str | None) -> tuple[dict[str, float], list[str], bool]:
        """Terms and vendors of a question that only names a vendor or a level, completed
        from the previous entry's question, and whether it asks for another entry than
        that one (it changed the level or the vendor); any other question as it is."""
        tiers = self.analyzer.tiers
        content = set(terms) - self.question_terms
        if content - tiers or not (vendors or content):
            return terms, vendors, False
        was = previous.text(lang if lang in previous.texts else next(iter(previous.texts)))
        old_terms, old_vendors, _unknown = self.resolve(was.question, lang)
        old_tiers = tiers & set(old_terms)
        if content and not old_tiers:  # a level where none was: narrower, not the same
            return terms, vendors or old_vendors, False  # question again
        changed = (content and content & tiers != old_tiers) or (
            vendors and set(vendors) != set(old_vendors))
        if content:  # a level named now replaces the level asked before
            old_terms = {t: c for t, c in old_terms.items() if t not in tiers}
        return {**old_terms, **terms}, vendors or old_vendors, bool(changed)

    def _rank(self, weights: dict[str, float], q_weight: float, named: frozenset[str],
              asked: frozenset[int] = frozenset(), context: str | None = None
              ) -> list[Candidate]:
        """Entries by score: the best phrase's F-measure of overlap, blended with how
        much of the question the entry's phrases explain together, vendor-steered."""
        s = self.settings
        n_phrases, n_entries = len(self.phrase_weight), len(self.entry_ids)
        if not weights or not n_phrases:
            return []
        post = [(self.postings[t], w) for t, w in weights.items() if t in self.postings]
        if not post:
            return []
        idx = np.concatenate([p for p, _ in post])
        overlap = np.bincount(idx, weights=np.repeat([w for _, w in post],
                                                     [len(p) for p, _ in post]),
                              minlength=n_phrases)
        cq = overlap / q_weight
        cp = np.divide(overlap, self.phrase_weight, out=np.zeros(n_phrases),
                       where=self.phrase_weight > 0)
        b2 = s.beta * s.beta
        denom = b2 * cp + cq
        phrase_score = np.divide((1 + b2) * cq * cp, denom, out=np.zeros(n_phrases),
                                 where=denom > 0)
        best = np.maximum.reduceat(phrase_score, self.entry_start)
        cov = [(*self.entry_postings[t], w) for t, w in weights.items()
               if t in self.entry_postings]
        where = np.concatenate([e for e, _, _, _ in cov])
        covered = np.bincount(where, weights=np.concatenate([sh * w for _, sh, _, w in cov]),
                              minlength=n_entries)
        combined = (1 - s.union_weight) * best + s.union_weight * covered / q_weight
        combined *= self._vendor_factors(named, context)
        if asked:
            combined *= self._tier_factors(asked)
        combined[best <= 0] = 0.0
        k = min(max(s.max_suggestions, 5) + len(self.kb.declines), n_entries)
        top = np.argpartition(-combined, k - 1)[:k]
        top = top[combined[top] > 0]
        if s.likelihood and len(top) > 1:
            # Among the contenders, favour the entry whose phrases typically use the
            # question's words: it separates near-ties the overlap scores cannot.
            total = sum(weights.values())
            log_lik = np.bincount(where, weights=np.concatenate([g * w for _, _, g, w in cov]),
                                  minlength=n_entries)[top] / total - self.entry_log_size[top]
            combined[top] *= np.exp(s.likelihood * (log_lik - log_lik.max()))
        top = top[np.argsort(-combined[top], kind="stable")]
        ranked = []
        for e in top:
            lo = self.entry_start[e]
            hi = self.entry_start[e + 1] if e + 1 < n_entries else n_phrases
            text, lang = self.phrase_text[lo + int(np.argmax(phrase_score[lo:hi]))]
            ranked.append(Candidate(self.entry_ids[e], float(combined[e]), text, lang))
        return ranked

    def _specific(self, ranked: list[Candidate], asked: frozenset[int]) -> bool:
        """One level asked, the top entry is about that level alone and the next one is
        not about one level: the top is the specific answer, the next a general one."""
        if len(asked) != 1 or len(ranked) < 2:
            return False
        first, second = (self.entry_tier[self.entry_no[c.entry]] for c in ranked[:2])
        return first in asked and second < 0

    @lru_cache(maxsize=64)  # noqa: B019 - a handful of level combinations exist
    def _tier_factors(self, asked: frozenset[int]) -> np.ndarray:
        """Asked about Platinum, the entry about Gold is the wrong answer however many
        other words they share; entries about several levels or none are untouched."""
        other = (self.entry_tier >= 0) & ~np.isin(self.entry_tier, list(asked))
        return np.where(other, self.settings.other_tier, 1.0)

    @lru_cache(maxsize=64)  # noqa: B019 - a handful of vendor combinations exist
    def _vendor_factors(self, named: frozenset[str], context: str | None = None
                        ) -> np.ndarray:
        """Naming a vendor pushes other vendors' entries down, and general ones a little;
        naming none favours a general answer a little over one vendor's own, or, right
        after an answer about a vendor, that vendor's over another's."""
        s = self.settings
        if not named and context in self.vendor_codes:
            own = self.entry_vendor_code == self.vendor_codes[context]
            return np.where(own | (self.entry_vendor_code < 0), 1.0, s.context_other)
        if not named:
            return np.where(self.entry_vendor_code >= 0, s.unnamed_vendor, 1.0)
        codes = [self.vendor_codes[v] for v in named if v in self.vendor_codes]
        own = np.isin(self.entry_vendor_code, codes)
        return np.where(self.entry_vendor_code == -1, s.no_vendor,
                        np.where(own | (self.entry_vendor_code == -2), 1.0, s.other_vendor))

    def _vendor_ambiguous(self, ranked: list[Candidate], named: frozenset[str]) -> bool:
        """No vendor named, and an equally good answer exists for another vendor."""
        if named or len(ranked) < 2:
            return False
        top = ranked[0]
        vendor = self.entry_vendor[top.entry]
        return any(self.entry_vendor[c.entry] not in (vendor, None)
                   and top.score - c.score < 2 * self.settings.margin for c in ranked[1:3])


def _allowed_edits(length: int) -> int:
    return 1 if length < 8 else 2

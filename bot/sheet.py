"""The base as a sheet for channel staff: JSONL/CSV out, an edited CSV back into the YAML.

CSV cells carry answers as their templates (so figures stay linked to the rules) and
paraphrases one per line; JSONL carries answers rendered to plain text for other tools.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString

from bot import LANGUAGES
from bot.knowledgebase import KnowledgeBase, Problem, parse_localized
from bot.templating import AnswerRenderer

FIXED = ["id", "program", "topic"]
FIELDS = ["question", "paraphrases", "answer"]
COLUMNS = FIXED + [f"{lang}_{f}" for lang in LANGUAGES for f in FIELDS]


def write_jsonl(kb: KnowledgeBase, out: IO[str]) -> None:
    for e in kb.entries.values():
        record = {"id": e.id, "program": e.program, "topic": e.topic, "tags": list(e.tags),
                  "related": list(e.related),
                  "source": {"file": e.source_file, "passage": e.passage}}
        for lang in LANGUAGES:
            t = e.text(lang)
            record[lang] = {"question": t.question, "paraphrases": list(t.paraphrases),
                            "answer": t.plain_answer}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _row(kb: KnowledgeBase, entry_id: str) -> dict[str, str]:
    e = kb.entries[entry_id]
    row = {"id": e.id, "program": e.program, "topic": e.topic}
    for lang in LANGUAGES:
        t = e.text(lang)
        row[f"{lang}_question"] = t.question
        row[f"{lang}_paraphrases"] = "\n".join(t.paraphrases)
        row[f"{lang}_answer"] = t.template
    return row


def write_csv(kb: KnowledgeBase, out: IO[str]) -> None:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for entry_id in kb.entries:
        writer.writerow(_row(kb, entry_id))


@dataclass
class ImportReport:
    changes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _scalar(text: str) -> str:
    return LiteralScalarString(text + "\n") if "\n" in text else text


def import_csv(kb: KnowledgeBase, path: Path, *, write: bool = True) -> ImportReport:
    """Compare a sheet with the base; write what changed, or nothing if any cell is wrong."""
    report = ImportReport()
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            report.errors.append(f"{path.name}: missing column(s) {', '.join(missing)}")
            return report
        rows = list(reader)
    renderer = AnswerRenderer()
    edits: dict[str, dict[str, dict[str, object]]] = {}  # file -> id -> {lang: fields}
    seen: set[str] = set()
    for n, row in enumerate(rows, start=2):  # row 1 is the header
        entry_id = (row.get("id") or "").strip()
        if entry_id not in kb.entries:
            report.errors.append(f"row {n}, column id: unknown entry {entry_id!r} "
                                 "(new entries are added in the YAML files)")
            continue
        if entry_id in seen:
            report.errors.append(f"row {n}, column id: {entry_id} appears twice")
            continue
        seen.add(entry_id)
        entry = kb.entries[entry_id]
        for col in ("program", "topic"):
            if (row.get(col) or "").strip() != getattr(entry, col):
                report.errors.append(f"row {n}, column {col}: cannot be changed in the sheet")
        old = _row(kb, entry_id)
        for lang in LANGUAGES:
            cols = {f: f"{lang}_{f}" for f in FIELDS}
            new = {f: (row.get(c) or "").replace("\r\n", "\n").strip() for f, c in cols.items()}
            if all(new[f] == old[c] for f, c in cols.items()):
                continue
            raw = {"question": new["question"],
                   "paraphrases": [p.strip() for p in new["paraphrases"].split("\n") if p.strip()],
                   "answer": new["answer"]}
            problems: list[Problem] = []
            parse_localized(raw, lang, path.name, entry_id, renderer, problems, [])
            for p in problems:
                column = (p.field or lang).replace(".", "_")
                report.errors.append(f"row {n}, column {column}: {p.message}")
            if not problems:
                changed = [c for f, c in cols.items() if new[f] != old[c]]
                report.changes.append(f"{entry_id}: {', '.join(changed)}")
                edits.setdefault(entry.file, {}).setdefault(entry_id, {})[lang] = raw
    if report.errors or not report.changes or not write:
        return report
    for rel_file, by_id in edits.items():
        file_path = kb.root.parent / rel_file
        y = _yaml()
        doc = y.load(file_path.read_text(encoding="utf-8"))
        for item in doc["entries"]:
            for lang, raw in by_id.get(item["id"], {}).items():
                item[lang]["question"] = raw["question"]
                item[lang]["paraphrases"] = list(raw["paraphrases"])
                item[lang]["answer"] = _scalar(str(raw["answer"]))
        with file_path.open("w", encoding="utf-8") as f:
            y.dump(doc, f)
    return report

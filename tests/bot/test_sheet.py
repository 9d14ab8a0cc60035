"""Export and import: the sheet round trip channel staff rely on."""

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot import sheet
from bot.cli import cli
from bot.knowledgebase import load

FIXTURE = Path(__file__).parent.parent / "fixtures" / "kb_ok"


@pytest.fixture
def kb_root(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(FIXTURE, root, symlinks=False)
    return root


def _export(root) -> list[dict]:
    out = io.StringIO()
    sheet.write_csv(load(root), out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def _write(rows, path):
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=sheet.COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def _files(root):
    return {p.name: p.read_bytes() for p in (root / "faq").glob("*.yaml")}


def test_unchanged_sheet_changes_nothing(kb_root, tmp_path):
    before = _files(kb_root)
    _write(_export(kb_root), tmp_path / "sheet.csv")
    report = sheet.import_csv(load(kb_root), tmp_path / "sheet.csv")
    assert report.changes == [] and report.errors == []
    assert _files(kb_root) == before


def test_an_edited_cell_is_written_back_and_reported(kb_root, tmp_path):
    rows = _export(kb_root)
    rows[0]["pl_paraphrases"] += "\nile trzeba sprzedać na silver"
    rows[0]["fr_answer"] = "Il faut {{ sophos.thresholds.silver | eur }} sur l'année."
    _write(rows, tmp_path / "sheet.csv")
    report = sheet.import_csv(load(kb_root), tmp_path / "sheet.csv")
    assert report.errors == []
    assert any("pl_paraphrases" in c for c in report.changes)
    assert any("fr_answer" in c for c in report.changes)
    kb = load(kb_root)  # still a valid base, with the edits
    entry = kb.entries[rows[0]["id"]]
    assert "ile trzeba sprzedać na silver" in entry.text("pl").paraphrases
    assert entry.text("fr").answer.startswith("Il faut 10")
    assert "paraphrases:" in (kb_root / "faq" / "sophos.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("column, value, expected", [
    ("ru_paraphrases", "одна\nдве", "row 2, column ru_paraphrases"),
    ("fr_answer", "{{ sophos.thresholds.diamond | eur }}", "row 2, column fr_answer"),
    ("pl_answer", "<a href='x'>link</a>", "row 2, column pl_answer"),
    ("topic", "prices", "row 2, column topic"),
    ("id", "sophos.tiers.nowhere", "row 2, column id"),
])
def test_a_wrong_cell_is_reported_by_row_and_column_and_nothing_is_written(
        kb_root, tmp_path, column, value, expected):
    before = _files(kb_root)
    rows = _export(kb_root)
    rows[0][column] = value
    _write(rows, tmp_path / "sheet.csv")
    report = sheet.import_csv(load(kb_root), tmp_path / "sheet.csv")
    assert any(expected in e for e in report.errors), report.errors
    assert _files(kb_root) == before


def test_missing_columns_are_reported(kb_root, tmp_path):
    (tmp_path / "bad.csv").write_text("id,program\nx,y\n", encoding="utf-8")
    report = sheet.import_csv(load(kb_root), tmp_path / "bad.csv")
    assert report.errors and "missing column" in report.errors[0]


def test_jsonl_export_contract():
    out = CliRunner().invoke(cli, ["knowledge", "export", "--format", "jsonl"])
    assert out.exit_code == 0
    lines = out.output.strip().splitlines()
    record = json.loads(lines[0])
    assert {"id", "program", "topic", "ru", "fr", "pl"} <= set(record)
    assert set(record["ru"]) >= {"question", "paraphrases", "answer"}
    assert "<b>" not in "".join(json.loads(line)["ru"]["answer"] for line in lines)
    assert "{{" not in out.output


def test_import_command_reports_and_exits_2_on_errors(kb_root, tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERBOT_KNOWLEDGE", str(kb_root))
    rows = _export(kb_root)
    rows[1]["ru_question"] = ""
    _write(rows, tmp_path / "sheet.csv")
    out = CliRunner().invoke(cli, ["knowledge", "import", str(tmp_path / "sheet.csv")])
    assert out.exit_code == 2
    assert "row 3, column ru_question" in out.output

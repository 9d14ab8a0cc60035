"""The Symantec transition table: every row, every alias, and fuzzy spellings."""

import json

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.core import build
from bot.mapping import FORWARD, REVERSE, UNKNOWN

CORE = build()
TABLE = CORE.mapping
DOC = CORE.kb.mapping["symantec2014"]
NAMED_ROWS = [r for r in DOC["rows"] if r.get("old")]


def test_the_table_is_complete():
    assert len(DOC["rows"]) == 23
    assert len(DOC["competencies"]) == 14
    models = [c["business_model"] for c in DOC["competencies"]]
    assert (models.count("integrate"), models.count("manage"), models.count("resell")) == (8, 1, 5)
    assert next(r for r in DOC["rows"] if not r.get("old"))["competencies"] == ["gateway_security"]
    assert any(len(r["competencies"]) == 2 for r in DOC["rows"])


@pytest.mark.parametrize("row", NAMED_ROWS, ids=[r["old"] for r in NAMED_ROWS])
def test_every_row_is_found_by_its_name_and_aliases(row):
    for name in [row["old"], *(a for names in row.get("aliases", {}).values() for a in names)]:
        result = TABLE.lookup(name)
        assert result.kind == FORWARD, name
        assert result.rows[0].competencies == row["competencies"], name


@pytest.mark.parametrize("comp", DOC["competencies"], ids=[c["id"] for c in DOC["competencies"]])
def test_every_competency_leads_back_to_its_predecessors(comp):
    result = TABLE.lookup(comp["name"])
    assert result.kind in (REVERSE, FORWARD), comp["name"]
    if result.kind == REVERSE:
        assert result.competency.id == comp["id"]
    expected = {r["old"] for r in DOC["rows"] if comp["id"] in r["competencies"]}
    assert {r.old for r in TABLE.predecessors(comp["id"])} == expected


@pytest.mark.parametrize("text, competencies", [
    ("специализация по высокой доступности", ["dynamic_storage_continuity"]),
    ("haute disponibilité", ["dynamic_storage_continuity"]),
    ("wysoka dostepnosc", ["dynamic_storage_continuity"]),
    ("hight availabilty", ["dynamic_storage_continuity"]),
    ("Data Protection with NetBackup", ["enterprise_backup_recovery"]),
    ("netbackup", ["enterprise_backup_recovery"]),
    ("elite expert smb", ["endpoint_security", "midmarket_backup_recovery"]),
    ("Encryption specialization", ["endpoint_security"]),
])
def test_fuzzy_spellings(text, competencies):
    result = TABLE.lookup(text)
    assert result.kind == FORWARD, (text, result)
    assert result.rows[0].competencies == competencies


def test_gateway_security_has_no_predecessor_and_nonsense_is_unknown():
    result = TABLE.lookup("Gateway Security")
    assert result.kind == REVERSE and [r.old for r in result.rows] == [None]
    assert TABLE.lookup("квантовый телепорт").kind == UNKNOWN
    assert TABLE.lookup("").kind == UNKNOWN


def test_map_command_json():
    out = CliRunner().invoke(cli, ["map", "--json", "SSP eDiscovery"])
    data = json.loads(out.output)
    assert data["kind"] == "forward"
    assert data["competencies"][0]["launching_soon"] is True
    out = CliRunner().invoke(cli, ["map", "--json", "Gateway Security"])
    assert json.loads(out.output)["no_predecessor"] is True


@pytest.mark.parametrize("text, kind, name, bare, as_specialization", [
    ("Data Loss Prevention", FORWARD, "Data Loss Prevention", True, False),
    ("во что превратилась специализация DLP", FORWARD, "Data Loss Prevention", False, True),
    ("mieliśmy specjalizację SMB-Security, co teraz?", FORWARD, "SMB-Security", False, True),
    # the longest name wins: the row with Clearwell, not the plain Archiving one
    ("archiving & ediscovery + clearwell authorized", FORWARD,
     "Archiving & eDiscovery + Clearwell Authorized", True, False),
    ("que faut-il pour la compétence Gateway Security ?", REVERSE,
     "Symantec Gateway Security", False, False),
])
def test_names_are_found_inside_sentences(text, kind, name, bare, as_specialization):
    found, is_bare, called = TABLE.mentioned(text)
    assert found.kind == kind
    assert (found.rows[0].old if kind == FORWARD else found.competency.name) == name
    assert (is_bare, called) == (bare, as_specialization)


def test_a_sentence_without_a_whole_name_mentions_nothing():
    assert TABLE.mentioned("что будет с нашими специализациями?").lookup.kind == UNKNOWN
    assert TABLE.mentioned("Data Loss").lookup.kind == UNKNOWN  # half a name is not one

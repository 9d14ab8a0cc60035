"""`partnerbot check` from the terminal: text, JSON, --explain-facts, and exit code 2 with
a clear message on stderr for every kind of bad input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from eligibility.cli import check


def run(*args: str):
    return CliRunner().invoke(check, list(args))


def test_json_has_the_contract():
    result = run("sophos", "turnover_eur=45000", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"program", "rules_version", "result", "next", "missing", "passed", "failed",
            "benefits"} <= set(data)
    assert (data["program"], data["rules_version"], data["result"], data["next"]) == \
        ("sophos", "current", "silver", "gold")
    assert data["missing"] == [{"fact": "turnover_eur", "need": 60000, "have": 45000,
                                "gap": 15000, "op": "at_least", "status": "failed"}]
    assert data["benefits"] == []


def test_rules_version_option():
    data = json.loads(run("sophos", "--rules-version", "previous", "turnover_eur=45 000",
                          "--json").stdout)
    assert data["rules_version"] == "previous"
    assert data["missing"][0]["need"] == 75000


def test_unknown_facts_are_unknown_not_failed():
    data = json.loads(run("symantec", "expert=3", "--json").stdout)
    assert data["result"] == "silver" and data["final"] is False
    assert "high_csat" in data["open_facts"]
    assert data["failed"] == []


def test_symantec_benefits_in_json():
    data = json.loads(run("symantec", "expert=3", "principal=1", "high_csat=yes",
                          "renewal_target_met=no", "--json").stdout)
    assert data["result"] == "platinum" and data["next"] is None
    statuses = {b["benefit"]: b["status"] for b in data["benefits"]}
    assert statuses["renewal_rebate"] == "not_claimable"
    assert statuses["development_funds"] == "claimable"


@pytest.mark.parametrize(("lang", "words"), [
    ("ru", ["Уровень", "Silver", "Не хватает до уровня Gold", "15 000 €"]),
    ("fr", ["Niveau", "Silver", "Il manque pour le niveau Gold", "15 000 €"]),
    ("pl", ["Poziom", "Silver", "Brakuje do poziomu Gold", "15 000 €"]),
])
def test_text_in_each_language(lang, words):
    result = run("sophos", "turnover_eur=45k", "--lang", lang)
    assert result.exit_code == 0
    text = result.stdout.replace("\u00a0", " ").replace("\u202f", " ")
    for word in words:
        assert word in text, (word, text)
    assert "<b>" not in text  # the terminal gets plain text


def test_text_defaults_to_russian():
    assert "Уровень" in run("sophos", "turnover_eur=0").stdout


@pytest.mark.parametrize(("args", "message"), [
    (["sophos", "turnover_eur=abc"], "turnover_eur"),
    (["sophos", "turnover=45000"], "not a fact of this program"),
    (["sophos", "turnover_eur"], "expected FACT=VALUE"),
    (["sophos", "=5"], "expected FACT=VALUE"),
    (["sophos", "turnover_eur=1", "turnover_eur=2"], "given twice"),
    (["symantec", "expert=5", "principal=-1"], "principal"),
    (["symantec", "expert=-3"], "negative"),
    (["symantec", "expert=10", "principal=10"], "only 14"),
    (["symantec", "expert=1.5"], "whole"),
    (["symantec", "high_csat=maybe"], "neither yes nor no"),
    (["smartsheet-vertical", "revenue_share_pct=120"], "above 100"),
    (["smartsheet-brandfolder", "training_pct=100"], "not a fact of this program"),
    (["smartsheet"], "points-based"),
    (["cisco"], "no program 'cisco'"),
    (["sophos", "--rules-version", "2009"], "no rules version '2009'"),
    (["symantec", "--rules-version", "previous", "--explain-facts"], "no rules version"),
    (["sophos", "--lang", "de"], "de"),
    ([], "PROGRAM"),
])
def test_bad_input_exits_2_with_a_message_on_stderr(args, message):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert result.stdout == ""


def test_explain_facts_lists_types_and_questions_in_every_language():
    result = run("symantec", "--explain-facts")
    assert result.exit_code == 0
    out = result.stdout
    for line in ("expert: count; min 0", "high_csat: bool", "renewal_target_met: bool; optional"):
        assert line in out
    assert "ru: Сколько компетенций Symantec уровня Expert у вас есть?" in out
    assert "fr: Combien de compétences Symantec détenez-vous au niveau Expert\u00a0?" in out
    assert "pl: Ile kompetencji Symantec na poziomie Expert ma firma?" in out
    assert "2014 (default)" in out


def test_explain_facts_as_json_for_one_language():
    rows = json.loads(run("smartsheet-vertical", "--explain-facts", "--json", "--lang", "pl")
                      .stdout)
    assert [r["fact"] for r in rows] == ["active_customers", "successful_customers",
                                         "revenue_share_pct", "training_pct",
                                         "industry_certified"]
    share = rows[2]
    assert (share["type"], share["unit"], share["min"], share["max"]) == ("percent", "%", 0, 100)
    assert list(share["questions"]) == ["pl"]
    money = json.loads(run("sophos", "--explain-facts", "--json").stdout)[0]
    assert (money["type"], money["unit"]) == ("money", "EUR")
    assert set(money["questions"]) == {"ru", "fr", "pl"}

"""`partnerbot ask`: the contract other tools rely on (issue #3's interface)."""

import json

import pytest
from click.testing import CliRunner

from bot.cli import cli

FIELDS = {"kind", "lang", "entry", "score", "text", "suggestions"}


def ask(*args: str, stdin: str | None = None) -> list[dict]:
    result = CliRunner().invoke(cli, ["ask", "--json", *args], input=stdin)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_one_question_one_json_object():
    [answer] = ask("Какой", "оборот", "нужен", "для", "Gold", "у", "Sophos?")
    assert set(answer) >= FIELDS
    assert (answer["kind"], answer["lang"], answer["entry"]) == ("answer", "ru",
                                                                 "sophos.tiers.gold")
    assert 0 <= answer["score"] <= 100 and "60" in answer["text"]
    assert "<b>" not in answer["text"]  # plain text, as the user reads it


def test_the_chosen_language_overrides_detection_for_the_reply():
    [answer] = ask("--lang", "pl", "quel seuil pour le niveau gold chez Sophos ?")
    assert (answer["lang"], answer["entry"]) == ("pl", "sophos.tiers.gold")
    assert "Gold" in answer["text"] and "obrot" in answer["text"].replace("ó", "o")


def test_clarify_lists_suggestions_with_their_questions():
    [answer] = ask("gold")
    assert answer["kind"] == "clarify" and answer["entry"] is None
    assert len(answer["suggestions"]) >= 2
    assert all(set(s) == {"entry", "question"} and s["question"] for s in answer["suggestions"])


@pytest.mark.parametrize("question, topic", [
    ("сколько стоит лицензия Backup Exec на 5 серверов", "product_prices"),
    ("jak zresetować hasło do portalu partnerskiego", "accounts"),
])
def test_out_of_scope_is_unknown_and_says_which_topic(question, topic):
    [answer] = ask(question)
    assert (answer["kind"], answer["entry"], answer["out_of_scope"]) == ("unknown", None, topic)


def test_batch_mode_answers_every_line_in_order():
    lines = ["gold sophos", "", "какая погода завтра", "ile obrotu na silver w sophosie"]
    answers = ask("-", stdin="\n".join(lines) + "\n")
    assert len(answers) == len(lines)
    assert answers[0]["entry"] == "sophos.tiers.gold"
    assert answers[1]["kind"] == answers[2]["kind"] == "unknown"
    assert answers[3]["entry"] == "sophos.tiers.silver"


def test_after_reads_the_question_as_a_follow_up():
    [alone] = ask("et pour Platinum ?")
    [follow_up] = ask("--after", "sophos.tiers.gold", "et pour Platinum ?")
    assert alone["kind"] == "clarify"
    assert (follow_up["kind"], follow_up["entry"]) == ("answer", "sophos.tiers.platinum")


def test_an_unknown_question_may_carry_hints_but_no_answer():
    [reply] = ask("где рекламировать нашу партнёрку, чтобы нашлись реселлеры?")
    assert (reply["kind"], reply["entry"], reply["suggestions"]) == ("unknown", None, [])
    assert [h["entry"] for h in reply["hints"]] == ["network.recruiting.promotion_channels"]
    [reply] = ask("какая погода в Москве?")
    assert "hints" not in reply and reply["out_of_scope"] == "off_topic"

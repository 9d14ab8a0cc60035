"""`partnerbot knowledge overlaps`: entries worded alike are found from the base alone."""

import dataclasses
from pathlib import Path

from click.testing import CliRunner

from bot.cli import cli
from bot.knowledgebase import load
from bot.overlaps import confusions, pairs

FIXTURE = Path(__file__).parent.parent / "fixtures" / "kb_ok"


def test_every_paraphrase_is_asked_once():
    kb = load(FIXTURE)
    asked, missed = confusions(kb)
    assert asked == sum(len(t.paraphrases) for e in kb.entries.values() for t in e.texts.values())
    assert all(c.entry in kb.entries for c in missed)


def test_two_entries_worded_the_same_are_reported_as_a_pair():
    kb = load(FIXTURE)
    gold, silver = kb.entries["sophos.tiers.gold"], kb.entries["sophos.tiers.silver"]
    twin = dataclasses.replace(silver, texts={
        lang: dataclasses.replace(t, paraphrases=gold.texts[lang].paraphrases)
        for lang, t in silver.texts.items()})
    _, before = confusions(kb)
    _, after = confusions(dataclasses.replace(kb, entries={**kb.entries, silver.id: twin}))
    confused = {pair for pair, _ in pairs(after)}
    assert len(after) > len(before)
    assert confused & {(silver.id, gold.id), (gold.id, silver.id)}


def test_the_command_prints_the_share_and_the_pairs():
    out = CliRunner().invoke(cli, ["knowledge", "overlaps", "--root", str(FIXTURE)])
    assert out.exit_code == 0, out.output
    assert "back to their own entry:" in out.output

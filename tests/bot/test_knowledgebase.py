"""The loader accepts good bases and refuses each kind of broken one, saying where."""

import shutil
from pathlib import Path

import pytest

from bot import LANGUAGES
from bot.knowledgebase import KnowledgeError, load

FIXTURES = Path(__file__).parent.parent / "fixtures"
BROKEN = sorted((FIXTURES / "broken_faq").glob("*.yaml"))


def test_real_knowledge_base_loads_complete():
    kb = load()
    assert len(kb.entries) >= 100
    for entry in kb.entries.values():
        assert set(entry.texts) == set(LANGUAGES), entry.id
        for lang in LANGUAGES:
            assert len(entry.text(lang).paraphrases) >= 4, (entry.id, lang)


def test_small_fixture_loads_and_renders_figures_per_language():
    kb = load(FIXTURES / "kb_ok")
    silver = kb.entries["sophos.tiers.silver"]
    assert "10\xa0000\xa0€" in silver.text("ru").answer
    assert "25\xa0000\xa0€" in silver.text("ru").answer  # the previous version's figure
    assert "10\u202f000\xa0€" in silver.text("fr").answer
    assert kb.entries["sophos.tiers.gold"].text("ru").plain_answer.startswith("Нужно 60")


@pytest.mark.parametrize("broken", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_file_is_refused_with_its_reason(broken, tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "kb_ok", root)
    shutil.copy(broken, root / "faq" / "zz_broken.yaml")
    expected = broken.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
    with pytest.raises(KnowledgeError) as err:
        load(root)
    messages = [str(p) for p in err.value.problems]
    assert any(expected in m for m in messages), messages
    assert any("zz_broken.yaml" in m for m in messages), messages


def test_mapping_with_unknown_competency_is_refused(tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "kb_ok", root)
    (root / "mapping").mkdir()
    (root / "mapping" / "m.yaml").write_text(
        "notes:\n"
        "  launching_soon: {ru: скоро, fr: bientôt, pl: wkrótce}\n"
        "  region_dependent: {ru: регион, fr: région, pl: region}\n"
        "competencies:\n  - {id: archiving, name: Archiving, business_model: integrate}\n"
        "rows:\n  - {old: X, kind: specialization, competencies: [archiving, teleport]}\n"
        "questions: [no.such.entry]\n",
        encoding="utf-8")
    with pytest.raises(KnowledgeError, match="names unknown competency 'teleport'") as err:
        load(root)
    assert "entry no.such.entry does not exist" in str(err.value)


def test_missing_folder_is_refused(tmp_path):
    with pytest.raises(KnowledgeError, match="knowledge folder not found"):
        load(tmp_path / "nowhere")


def test_out_of_scope_topics_load_and_a_broken_one_is_refused(tmp_path):
    assert set(load(FIXTURES / "kb_ok").declines) == {"product_prices", "tech_support"}
    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "kb_ok", root)
    path = root / "out_of_scope.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "      answer: Ceny podaje dystrybutor.\n", ""), encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        load(root)
    assert any("out_of_scope.yaml" in str(p) and "product_prices" in str(p)
               and "pl.answer is missing" in str(p) for p in err.value.problems)

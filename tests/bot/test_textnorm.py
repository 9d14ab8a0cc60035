"""Normalisation: what a partner types and what the base says must meet."""

import pytest

from bot.knowledgebase import load
from bot.textnorm import Analyzer, fold, normalize_numbers


@pytest.fixture(scope="module")
def analyzer():
    kb = load()
    return Analyzer(kb.synonyms, kb.language["stopwords"])


@pytest.mark.parametrize("raw, folded", [
    ("Złoty", "zloty"), ("ÉLÈVE çà", "eleve ca"), ("Ёлка", "елка"), ("йод", "йод"),
    ("Zażółć gęślą jaźń", "zazolc gesla jazn"),
])
def test_fold(raw, folded):
    assert fold(raw) == folded


@pytest.mark.parametrize("raw, expected", [
    ("10 тыс.", "10000"), ("10k", "10000"), ("10 000", "10000"), ("10,000", "10000"),
    ("45,5 tys.", "45500"), ("1,5 млн", "1500000"), ("200 000 €", "200000 €"),
    ("35%", "35 %"), ("2014", "2014"), ("2,5", "2.5"),
])
def test_numbers(raw, expected):
    assert normalize_numbers(raw).split() == expected.split()


@pytest.mark.parametrize("text, concepts", [
    ("порог для голда у софос", ["=threshold", "=gold", "=sophos"]),
    ("ile obrotu na srebrny", ["=turnover", "=silver"]),
    ("chiffre d'affaires Platine chez Sophos", ["=turnover", "=platinum", "=sophos"]),
    ("регистрации сделок у симантека", ["=deal_registration", "=symantec"]),
    ("złotego partnera", ["=gold"]),
    ("какие уровни и для какого уровня голд", ["=tier", "=tier", "=gold"]),  # уровень/уровня
    ("co daje bycie w Silverze", ["=silver"]),
    ("czy Sophos jest dla MŚP", ["=sophos", "=smb"]),  # small firms, by its diacritic...
    ("czy Sophos wspiera MSP", ["=sophos", "=msp"]),  # ...not managed services
    ("sophos c'est pour les PME ?", ["=sophos", "=smb"]),
    ("zlotego partnera", ["=gold"]),  # without diacritics, still Gold
])
def test_synonyms_fold_languages_and_inflections(analyzer, text, concepts):
    found = [forms[0] for forms in analyzer.analyze(text) if forms[0].startswith("=")]
    assert found == concepts


def test_inflected_forms_share_a_stem(analyzer):
    def stems(text, lang):
        return {f for forms in analyzer.analyze(text, lang) for f in forms}

    assert stems("partnerów", "pl") & stems("partnerami", "pl")
    assert stems("партнёров", "ru") & stems("партнерами", "ru")
    assert stems("revendeurs", "fr") & stems("revendeur", "fr")


def test_stop_words_vanish(analyzer):
    assert analyzer.analyze("а это что?") == []
    assert analyzer.analyze("et le de la") == []

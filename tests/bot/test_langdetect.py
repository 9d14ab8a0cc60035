"""Which language a message is in, on the short, mixed messages partners type."""

import pytest

from bot.knowledgebase import load
from bot.matcher import Matcher


@pytest.fixture(scope="module")
def detect():
    return Matcher(load()).detector.detect


@pytest.mark.parametrize("text, lang", [
    ("какой порог для голда", "ru"),
    ("порог silver sophos", "ru"),  # Latin names, Russian sentence
    ("что такое Smartsheet Aligned?", "ru"),
    ("security monitoring and management это managed services?", "ru"),
    ("quel seuil pour le niveau gold chez sophos", "fr"),
    ("combien de CA pour etre silver", "fr"),
    ("jaki próg obrotu na złoty", "pl"),
    ("ile obrotu na silver w sophosie", "pl"),
    ("Gold Sophos 2014", None),  # names and a number: nothing to tell by
    ("what turnover do we need for Sophos Gold?", None),  # English: the user's language
    ("which level can we get with Symantec?", None),
])
def test_detects_the_language_of_short_mixed_messages(detect, text, lang):
    assert detect(text) == lang

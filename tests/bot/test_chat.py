"""The terminal chat: buttons become numbered keys (lettered while a number is asked),
the rest is the same conversation as in Telegram."""

import io

import pytest

from bot.chat import run
from bot.core import build
from bot.dialogue.session import Session


@pytest.fixture(scope="module")
def core():
    return build()


def chat(core, *lines: str, lang: str = "ru") -> str:
    out = io.StringIO()
    run(core, Session("terminal", lang=lang, lang_chosen=True),
        io.StringIO("".join(f"{line}\n" for line in lines)), out)
    return out.getvalue().replace("\u00a0", " ").replace("\u202f", " ")


def test_numbers_tap_buttons_and_letters_do_while_a_number_is_asked(core):
    # menu [3] is the check, [1] Sophos; the turnover question letters its buttons,
    # so "1" there is not a button but one euro... and "a" is "I don't know"
    text = chat(core, "3", "1", "a", "/quit")
    assert "[a] Не знаю" in text
    assert "Какой оборот с Sophos был у вашей компании за прошлый год" in text
    assert "Уровень пока: Authorized" in text  # nothing known: the entry level, so far


def test_a_number_that_is_no_key_is_said_to_be_none(core):
    text = chat(core, "10", "/quit")
    assert "Варианта 10 нет" in text
    assert "ответа на этот вопрос у меня пока нет" not in text


def test_a_question_and_typed_control_words_in_the_check(core):
    text = chat(core, "сколько нужно оборота на gold у sophos?", "/check sophos", "отмена",
                "/quit")
    assert "60 000 €" in text
    assert "Проверка отменена." in text

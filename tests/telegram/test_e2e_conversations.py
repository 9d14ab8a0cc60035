"""A user talks to the real bot through the Bot API emulator: commands, questions, taps.

Where the core's wording may still change (its catalogs are being translated), the
expected text is what the core itself says for the same input, so these tests check
the adapter's job: the right call with the right session, rendered faithfully.
"""

from __future__ import annotations

import copy

import pytest
from tg_harness import buttons, core_says, messages, text_of

from bot.dialogue.session import Session
from bot.telegram.i18n import gettext_for

LANG_OF = {"ru": "ru", "fr": "fr", "pl": "pl", "pl-PL": "pl", "en": "ru", None: "ru"}


@pytest.mark.parametrize("code", list(LANG_OF), ids=[str(c) for c in LANG_OF])
async def test_start_greets_in_the_users_language(bot, emulator, core, code):
    user = emulator.user(101, "Ola", language_code=code)
    events = await bot.say(user, "/start")
    lang = LANG_OF[code]
    assert [m["text"] for m in messages(events)] == core_says(
        core.assistant.start(Session("x", lang=lang)))
    offered = [label for label, _ in buttons(events[-1]["message"])]
    menu = [b.label for row in core.assistant.menu_buttons(lang) for b in row]
    if code in ("ru", "fr", "pl", "pl-PL"):
        assert offered == menu
    else:  # Telegram did not say a language we speak: offer the choice first
        assert offered == ["Русский", "Français", "Polski", *menu]
    session = bot.sessions.load("101")
    assert session.lang == lang and not session.lang_chosen
    # Answers take milliseconds: no "typing..." round trip to Telegram before them.
    assert emulator.chat_actions == []


async def test_the_command_menu_is_set_per_language(bot, emulator):
    menus = {lang: {c["command"]: c["description"] for c in commands}
             for (scope, lang), commands in emulator.commands.items()}
    assert set(menus) == {"ru", "fr", "pl", ""}
    assert menus["ru"]["help"] == "Что я умею"
    assert menus["fr"]["help"] == "Ce que je sais faire"
    assert menus["pl"]["help"] == "Co potrafię"
    assert menus[""] == menus["ru"]
    assert list(menus["pl"]) == ["start", "help", "topics", "check", "map", "language",
                                 "cancel", "menu", "privacy", "forget"]
    assert not {"stats", "unanswered", "reload"} & set(menus["ru"])  # staff only


@pytest.mark.parametrize("payload", ["check_sophos", "map", "topics", "nonsense_42"])
async def test_a_deep_link_goes_to_the_core_with_its_payload(bot, emulator, core, payload):
    user = emulator.user(102, language_code="fr")
    events = await bot.say(user, f"/start {payload}")
    expected = core.assistant.start(Session("x", lang="fr"), payload)
    assert [m["text"] for m in messages(events)] == core_says(expected)


async def test_a_question_is_answered_with_feedback_and_related_buttons(bot, emulator):
    user = emulator.user(103, language_code="ru")
    events = await bot.say(user, "Какой оборот нужен для Sophos Gold?")
    (answer,) = messages(events)
    assert answer["text"].startswith("Какой оборот нужен для Gold у Sophos?")
    assert "60\xa0000\xa0€" in answer["text"]
    assert {"type": "bold", "offset": 0,
            "length": len("Какой оборот нужен для Gold у Sophos?")} in answer["entities"]
    data = [d for _label, d in buttons(answer)]
    assert data[:2] == ["fb:u:sophos.tiers.gold", "fb:d:sophos.tiers.gold"]
    assert "a:sophos.tiers.silver" in data

    events = await bot.tap(user, answer, "👍")
    assert emulator.unanswered_callback_queries() == []
    assert len(events) == 1 and events[0]["method"] == "sendMessage"


async def test_a_french_question_gets_a_french_answer(bot, emulator):
    user = emulator.user(104, language_code="fr")
    events = await bot.say(user, "quel chiffre d'affaires faut-il pour gold chez sophos ?")
    assert text_of(events).startswith("Quel chiffre d'affaires faut-il pour Gold chez Sophos ?")


async def test_a_clarification_tap_answers_the_chosen_question(bot, emulator, core):
    user = emulator.user(105, language_code="pl")
    events = await bot.say(user, "złoty poziom")
    (question,) = messages(events)
    assert question["text"] == core_says(
        core.assistant.handle_text(Session("x", lang="pl"), "złoty poziom"))[0]
    data = [d for _label, d in buttons(question)]
    assert {"a:sophos.tiers.gold", "a:smartsheet.tiers.gold", "none"} <= set(data)

    events = await bot.tap(user, question, "a:sophos.tiers.gold")
    assert events[0]["method"] == "sendMessage"  # a new message: the question stays visible
    assert events[0]["message"]["text"].startswith(
        "Jaki obrót jest potrzebny na poziom Gold w Sophos?")
    assert emulator.unanswered_callback_queries() == []


async def test_topics_are_browsed_in_place_with_back(bot, emulator):
    user = emulator.user(106, language_code="fr")
    (menu,) = messages(await bot.say(user, "/topics"))
    assert ("Sophos", "t:sophos") in buttons(menu)

    events = await bot.tap(user, menu, "Sophos")
    assert [e["method"] for e in events] == ["editMessageText"]
    topics = events[0]["message"]
    assert topics["message_id"] == menu["message_id"]
    assert ("Niveaux", "t:sophos:tiers") in buttons(topics)

    questions = (await bot.tap(user, topics, "Niveaux"))[0]["message"]
    labels = [label for label, _ in buttons(questions)]
    assert "Quel chiffre d'affaires faut-il pour Gold chez Sophos ?" in labels

    back = (await bot.tap(user, questions, "t:sophos"))[0]["message"]
    assert ("Niveaux", "t:sophos:tiers") in buttons(back)

    questions = (await bot.tap(user, back, "Niveaux"))[0]["message"]
    events = await bot.tap(user, questions, "a:sophos.tiers.silver")
    assert events[0]["method"] == "sendMessage"
    assert "Silver" in events[0]["message"]["text"]
    assert emulator.unanswered_callback_queries() == []


async def test_language_switch_is_remembered(bot, emulator, core):
    user = emulator.user(107, language_code="ru")
    (choice,) = messages(await bot.say(user, "/language"))
    assert [label for label, _ in buttons(choice)] == ["Русский", "Français", "Polski"]
    events = await bot.tap(user, choice, "Polski")
    assert events[0]["method"] == "editMessageText"
    session = bot.sessions.load("107")
    assert (session.lang, session.lang_chosen) == ("pl", True)
    # a question in Russian is now answered in Polish: the choice wins over detection
    events = await bot.say(user, "Какой оборот нужен для Sophos Gold?")
    assert text_of(events).startswith("Jaki obrót jest potrzebny na poziom Gold w Sophos?")


@pytest.mark.parametrize(("command", "arg"), [
    ("help", ""), ("menu", ""), ("check", ""), ("cancel", ""), ("map", ""),
    ("map", "Enterprise Vault Archiving"), ("topics", "sophos"), ("onboarding", ""),
    ("nosuchcommand", ""),
])
async def test_commands_reach_the_core_with_their_argument(bot, emulator, core, command, arg):
    user = emulator.user(108, language_code="pl")
    await bot.say(user, "/start")
    before = copy.deepcopy(bot.sessions.load("108"))
    events = await bot.say(user, f"/{command} {arg}".strip())
    expected_session = copy.deepcopy(before)
    expected = core.assistant.handle_command(expected_session, command, arg)
    assert [m["text"] for m in messages(events)] == core_says(expected)
    assert bot.sessions.load("108") == expected_session


async def test_map_mode_then_text_and_cancel(bot, emulator):
    user = emulator.user(109, language_code="ru")
    (prompt,) = messages(await bot.say(user, "/map"))
    assert bot.sessions.load("109").mode == "map"
    events = await bot.say(user, "Enterprise Vault Archiving")
    assert "Symantec Archiving" in text_of(events)
    assert bot.sessions.load("109").mode is None
    events = await bot.tap(user, prompt, "map:*")  # "show the whole table"
    assert ".cloud Authorized Reseller" in text_of(events)
    await bot.say(user, "/map")
    assert bot.sessions.load("109").mode == "map"
    await bot.say(user, "/cancel")
    assert bot.sessions.load("109").mode is None


async def test_a_photo_caption_is_a_question_and_a_bare_photo_is_answered(bot, emulator, core):
    user = emulator.user(110, language_code="ru")
    events = await bot.deliver(emulator.send_photo(user, caption="sophos gold"))
    assert text_of(events).startswith("Какой оборот нужен для Gold у Sophos?")
    events = await bot.deliver(emulator.send_photo(user))
    assert [m["text"] for m in messages(events)] == core_says(
        core.assistant.handle_text(Session("x"), ""))


async def test_a_long_reply_is_split_with_the_buttons_on_the_last_part(bot, emulator, core,
                                                                      monkeypatch):
    from bot.dialogue.replies import Button, Reply

    paragraph = "<b>Sophos</b> — " + "partner & reseller " * 20
    long_text = "\n\n".join([paragraph.replace("&", "&amp;")] * 40)
    monkeypatch.setattr(core.assistant, "handle_text", lambda session, text: [
        Reply(long_text, [[Button("Menu", "m")]], kind="answer")])
    user = emulator.user(111)
    events = await bot.say(user, "anything")
    assert len(events) >= 3
    assert all(len(m["text"]) <= 4096 for m in messages(events))
    assert [bool(m.get("reply_markup")) for m in messages(events)] == \
        [False] * (len(events) - 1) + [True]


def test_the_error_reply_is_translated():
    texts = {lang: gettext_for(lang)(
        "Sorry, something went wrong on my side. Please try again in a moment.")
        for lang in ("ru", "fr", "pl")}
    assert texts["fr"].startswith("Désolé")
    assert len(set(texts.values())) == 3

"""The bot in awkward situations: groups, inline mode, errors, restarts, flood limits."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from bot_api_emulator import TOKEN
from tg_harness import buttons, core_says, messages, text_of

from bot.dialogue.session import Session

# -- inline mode ------------------------------------------------------------------------


async def test_inline_mode_offers_matching_answers(bot, emulator):
    user = emulator.user(201, language_code="fr")
    answer = await bot.inline(user, "sophos gold")
    results = answer["results"]
    assert results[0]["id"] == "sophos.tiers.gold"
    assert results[0]["title"] == "Quel chiffre d'affaires faut-il pour Gold chez Sophos ?"
    content = results[0]["input_message_content"]
    assert content["parse_mode"] == "HTML"
    assert content["message_text"].startswith("<b>Quel chiffre")  # valid HTML: it was parsed
    assert answer["is_personal"] is True
    assert "button" not in answer


async def test_inline_mode_follows_the_language_of_the_query(bot, emulator):
    user = emulator.user(202, language_code="fr")
    results = (await bot.inline(user, "порог голд софос"))["results"]
    assert results[0]["title"] == "Какой оборот нужен для Gold у Sophos?"


async def test_inline_mode_with_nothing_to_offer_invites_to_the_chat(bot, emulator):
    user = emulator.user(203, language_code="pl")
    for query in ("", "pogoda w Paryżu jutro"):
        answer = await bot.inline(user, query)
        assert answer["results"] == []
        assert answer["button"] == {"text": "Zapytaj asystenta na czacie prywatnym",
                                    "start_parameter": "inline"}


async def test_inline_clarify_offers_every_candidate(bot, emulator):
    user = emulator.user(204, language_code="ru")
    results = (await bot.inline(user, "голд"))["results"]
    assert {r["id"] for r in results} == {"sophos.tiers.gold", "smartsheet.tiers.gold"}


# -- groups -----------------------------------------------------------------------------


async def test_in_a_group_the_bot_answers_only_when_addressed(bot, emulator):
    group = emulator.group()
    user = emulator.user(205, language_code="ru")
    assert await bot.say(user, "sophos gold", chat=group) == []  # not for the bot
    assert await bot.say(user, "/help@OtherBot", chat=group) == []
    assert await bot.say(user, "/weather", chat=group) == []  # some other bot's command

    events = await bot.say(user, "@PartnerTestBot sophos gold", chat=group)
    (answer,) = messages(events)
    assert answer["chat"]["id"] == group["id"]
    assert answer["text"].startswith("Какой оборот нужен для Gold у Sophos?")
    assert answer["reply_to_message"]["from"]["id"] == 205  # it quotes the question

    events = await bot.say(user, "а для silver?", chat=group, reply_to=answer)
    assert len(events) == 1  # a reply to the bot is for the bot

    events = await bot.say(user, "/help", chat=group)
    assert len(events) == 1
    events = await bot.say(user, "/topics@PartnerTestBot", chat=group)
    menu = events[0]["message"]
    events = await bot.tap(user, menu, "Sophos")
    assert events[0]["message"]["chat"]["id"] == group["id"]
    assert emulator.unanswered_callback_queries() == []


async def test_an_edited_message_is_ignored_safely(bot, emulator, caplog):
    user = emulator.user(206)
    await bot.say(user, "sophos gold")
    sent = emulator.messages[(206, 1)]
    with caplog.at_level(logging.WARNING):
        events = await bot.deliver(emulator.edit(sent, "sophos silver"))
    assert events == []
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


# -- errors -----------------------------------------------------------------------------


async def test_an_error_is_logged_with_context_and_the_user_gets_a_polite_word(
        bot, emulator, core, monkeypatch, caplog):
    def broken(session, text):
        raise RuntimeError("the matcher fell over")

    monkeypatch.setattr(core.assistant, "handle_text", broken)
    user = emulator.user(207, language_code="fr")
    with caplog.at_level(logging.INFO):
        events = await bot.say(user, "mon chiffre d'affaires secret 123")
    assert text_of(events) == ("Désolé, un problème est survenu de mon côté. "
                               "Veuillez réessayer dans un instant.")
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "from user 207" in errors[0].getMessage()
    assert errors[0].exc_info and "the matcher fell over" in caplog.text
    assert "secret 123" not in caplog.text  # what the user wrote is not logged
    monkeypatch.undo()
    assert await bot.say(user, "/help")  # and the bot carries on


async def test_a_user_who_blocked_the_bot_crashes_nothing(bot, emulator, caplog):
    blocked = emulator.user(208)
    other = emulator.user(209)
    await bot.say(blocked, "/start")
    emulator.blocked.add(208)
    with caplog.at_level(logging.INFO):
        events = await bot.say(blocked, "sophos gold")
    assert events == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "unreachable" in caplog.text or "cannot write" in caplog.text
    assert await bot.say(other, "/start")  # everyone else is still served


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter()
async def test_a_flood_limit_is_waited_out_and_retried(bot, emulator):
    user = emulator.user(210)
    emulator.fail_next("sendMessage", "retry_after", retry_after=1)
    started = time.monotonic()
    events = await bot.say(user, "/help")
    assert len(events) == 1
    assert time.monotonic() - started >= 1.0
    assert len(emulator.calls_to("sendMessage")) == 2


async def test_network_failures_are_retried(bot, emulator):
    user = emulator.user(211)
    emulator.fail_next("sendMessage", "bad_gateway")
    emulator.fail_next("sendMessage", "drop")
    emulator.fail_next("answerCallbackQuery", "drop")
    (menu,) = messages(await bot.say(user, "/menu"))
    assert len(emulator.calls_to("sendMessage")) == 3
    await bot.tap(user, menu, "t")
    assert emulator.unanswered_callback_queries() == []


# -- state across updates and restarts ---------------------------------------------------


async def test_a_restart_in_the_middle_of_a_conversation_resumes_it(bot_factory, emulator,
                                                                    core, tmp_path):
    db = tmp_path / "shared.sqlite3"
    first = await bot_factory(db)
    user = emulator.user(212, language_code="ru")
    (choice,) = messages(await first.say(user, "/language"))
    await first.tap(user, choice, "lang:pl")
    (prompt,) = messages(await first.say(user, "/map"))  # now waiting for a name
    old_menu = messages(await first.say(user, "/menu"))[0]
    await first.say(user, "/map")
    await first.stop()

    second = await bot_factory(db)  # a new process on the same file
    session = second.sessions.load("212")
    assert (session.lang, session.lang_chosen, session.mode) == ("pl", True, "map")
    events = await second.say(user, "Enterprise Vault Archiving")
    assert "Symantec Archiving" in text_of(events)
    assert "Dostępność zależy od regionu." in text_of(events)  # still in Polish

    # buttons from before the restart still work (a menu is sent anew, not edited)
    events = await second.tap(user, old_menu, "t")
    assert [e["method"] for e in events] == ["sendMessage"]
    events = await second.tap(user, prompt, "map:*")
    assert ".cloud Authorized Reseller" in text_of(events)
    assert emulator.unanswered_callback_queries() == []


async def test_a_stale_button_is_answered_politely(bot, emulator, core):
    user = emulator.user(213, language_code="fr")
    (answer,) = messages(await bot.say(user, "sophos gold"))
    stale = {**answer, "reply_markup": {"inline_keyboard": [[
        {"text": "old", "callback_data": "a:entry.removed.since"},
        {"text": "older", "callback_data": "zz:from-version-0"}]]}}
    expected = core_says(core.assistant.handle_action(Session("x", lang="fr"), "zz:x"))
    for data in ("a:entry.removed.since", "zz:from-version-0"):
        events = await bot.tap(user, stale, data)
        assert [m["text"] for m in messages(events)] == expected
    # a message too old for Telegram to include (an InaccessibleMessage): a new message
    events = await bot.deliver(emulator.tap(user, answer, "a:gone", inaccessible=True))
    assert [e["method"] for e in events] == ["sendMessage"]
    assert emulator.unanswered_callback_queries() == []


async def test_a_stale_button_on_a_menu_turns_it_into_the_menu(bot, emulator):
    user = emulator.user(218, language_code="fr")
    (menu,) = messages(await bot.say(user, "/topics"))
    events = await bot.deliver(emulator.tap(user, menu, "zz:old"))
    assert [e["method"] for e in events] == ["editMessageText"]
    # the same stale tap again changes nothing Telegram could show: no error, no new message
    assert await bot.deliver(emulator.tap(user, menu, "zz:old")) == []
    assert emulator.unanswered_callback_queries() == []


async def test_one_users_updates_are_sequential_while_others_go_ahead(bot, emulator):
    alice, bob = emulator.user(214), emulator.user(215)
    emulator.fail_next("sendMessage", "delay")  # alice's first reply is slow to send
    first = emulator.send(alice, "/help")
    second = emulator.send(alice, "/menu")
    third = emulator.send(bob, "/help")
    await asyncio.gather(*(bot.deliver(u) for u in (first, second, third)))
    sent = [(e["chat_id"], e["message"]["text"]) for e in emulator.outbox]
    chats = [chat for chat, _text in sent]
    assert chats.index(215) < chats.index(214)  # bob was not kept waiting behind alice
    help_text = sent[chats.index(215)][1]
    first, second = (text for chat, text in sent if chat == 214)
    assert first == help_text  # alice: /help first
    assert second != help_text  # then /menu


async def test_the_token_never_reaches_the_logs(bot_factory, emulator, caplog):
    with caplog.at_level(logging.DEBUG):
        running = await bot_factory()
        user = emulator.user(216)
        await running.say(user, "/start")
        await running.stop()
    secret = TOKEN.split(":")[1]
    assert "getUpdates" in caplog.text  # the requests were logged...
    assert secret not in caplog.text  # ...without the token
    assert "[REDACTED]" in caplog.text


async def test_buttons_render_as_inline_keyboards_within_limits(bot, emulator):
    user = emulator.user(217, language_code="pl")
    (menu,) = messages(await bot.say(user, "/start"))
    for _label, data in buttons(menu):
        assert 1 <= len(data.encode()) <= 64

"""Ask a person: a partner's question to the staff chat, a staff reply back to the partner,
and one tap to propose the partner's wording as a paraphrase, all through the real bot."""

from __future__ import annotations

import logging

from tg_harness import ADMIN_ID, STAFF_CHAT_ID, buttons, core_says, messages

from bot.dialogue.session import Session
from bot.storage.handoffs import SqliteHandoffs
from bot.storage.reports import suggest

QUESTION = "Сколько стоит обучение <b>продавцов</b> & co?"  # unknown; guesses: Sophos tiers


def _in(events, chat_id):
    return [e["message"] for e in events if e["chat_id"] == chat_id]


async def _hand_off(bot, emulator, user, question=QUESTION):
    (unknown,) = messages(await bot.say(user, question))
    assert buttons(unknown)[0] == ("Спросить менеджера по партнёрам", "handoff")
    return await bot.tap(user, unknown, "handoff")


async def test_the_round_trip(staff_bot, emulator, kb_copy, caplog):
    caplog.set_level(logging.INFO)
    yaml_before = {p: p.read_bytes() for p in kb_copy.rglob("*.yaml")}
    partner = emulator.user(601, "Анна <Ко>", language_code="ru", username="anna_k")
    events = await _hand_off(staff_bot, emulator, partner)

    (post,) = _in(events, STAFF_CHAT_ID)
    lines = post["text"].splitlines()
    assert lines[0] == "Вопрос от партнёра"
    assert lines[1] == "От: Анна <Ко> (@anna_k) · id 601 · язык: Русский"
    assert QUESTION in post["text"]  # escaped on the way, so shown exactly as typed
    assert "1. sophos.tiers.gold — Какой оборот нужен для Gold у Sophos?" in lines
    assert "2. sophos.tiers.silver — Какой оборот нужен для Silver у Sophos?" in lines
    assert buttons(post)[:2] == [
        ("Добавить как формулировку для sophos.tiers.gold", "pp:0"),
        ("Добавить как формулировку для sophos.tiers.silver", "pp:1")]
    (confirmation,) = _in(events, 601)
    assert confirmation["text"] == ("Ваш вопрос передан менеджеру по работе с партнёрами:\n"
                                    f"{QUESTION}\n\nОтвет придёт сюда, в этот чат.")
    (row,) = SqliteHandoffs(staff_bot.db).waiting()
    assert (row.user_id, row.question, row.lang, row.staff_message_id) == (
        "601", QUESTION, "ru", post["message_id"])

    manager = emulator.user(ADMIN_ID + 1, "Менеджер", language_code="ru")  # any staff-chat member
    staff_chat = emulator.chats[STAFF_CHAT_ID]
    answer = "Обучение бесплатно <i>для Gold</i> & Silver."
    events = await staff_bot.say(manager, answer, chat=staff_chat, reply_to=post)
    (delivered,) = _in(events, 601)
    assert delivered["text"] == f"{QUESTION}\n\nОтвет менеджера по работе с партнёрами:\n{answer}"
    (done,) = _in(events, STAFF_CHAT_ID)
    assert done["text"] == "Доставлено партнёру."
    assert done["reply_to_message"]["message_id"] != post["message_id"]  # to the staff reply
    assert SqliteHandoffs(staff_bot.db).waiting() == []
    assert SqliteHandoffs(staff_bot.db).get(row.id).status == "answered"

    events = await staff_bot.tap(manager, post, "pp:0")
    assert emulator.callback_queries[max(emulator.callback_queries)]["answer"]["text"] == (
        "Записано на проверку как формулировка для sophos.tiers.gold.")
    (note,) = _in(events, STAFF_CHAT_ID)
    assert note["text"].startswith("Менеджер предлагает формулировку партнёра как вариант "
                                   "вопроса sophos.tiers.gold.")
    proposals = SqliteHandoffs(staff_bot.db).proposals()
    assert [(p["entry"], p["lang"], p["text"], p["proposed_by"]) for p in proposals] == [
        ("sophos.tiers.gold", "ru", QUESTION, str(ADMIN_ID + 1))]
    assert await staff_bot.tap(manager, post, "pp:0") == []  # once is enough
    assert emulator.callback_queries[max(emulator.callback_queries)]["answer"]["text"] == (
        "Уже предложено.")
    assert len(SqliteHandoffs(staff_bot.db).proposals()) == 1
    assert {p: p.read_bytes() for p in kb_copy.rglob("*.yaml")} == yaml_before  # no YAML write
    assert suggest(staff_bot.db, staff_bot.frontend.core.matcher)[0]["entry"] == (
        "sophos.tiers.gold")  # waiting for staff to add it, in `partnerbot suggest`
    assert emulator.unanswered_callback_queries() == []

    logged = caplog.text
    assert "hand-off 1 from user 601" in logged and "hand-off 1 answered" in logged
    for text in ("обучение", "Обучение", "Анна"):
        assert text not in logged  # what partners and staff write stays out of the log


async def test_asking_for_a_person_offers_to_pass_the_previous_question(staff_bot, emulator):
    partner = emulator.user(602, language_code="ru")
    await staff_bot.say(partner, "где купить пиццу")
    (offer,) = messages(await staff_bot.say(partner, "оператор"))
    assert offer["text"] == ("Я могу передать ваш последний вопрос менеджеру по работе с "
                             "партнёрами:\nгде купить пиццу")
    events = await staff_bot.tap(partner, offer, "handoff")
    (post,) = _in(events, STAFF_CHAT_ID)
    assert "где купить пиццу" in post["text"] and "оператор" not in post["text"]
    assert "Ассистент" not in post["text"] and "У ассистента нет предположений." in post["text"]
    assert buttons(post) == []  # no guess, no paraphrase button

    other = emulator.user(603, language_code="fr")
    (nothing_yet,) = messages(await staff_bot.say(other, "un conseiller"))
    assert nothing_yet["text"].startswith("Écrivez votre question.")
    assert ("Demander à un responsable partenaires", "handoff") not in buttons(nothing_yet)


async def test_a_question_is_passed_on_once(staff_bot, emulator):
    partner = emulator.user(604, language_code="pl")
    await _hand_off(staff_bot, emulator, partner, "где купить пиццу")
    unknown = next(e["message"] for e in emulator.outbox if e["chat_id"] == 604)
    events = await staff_bot.tap(partner, unknown, "handoff")
    assert _in(events, STAFF_CHAT_ID) == []
    assert _in(events, 604)[0]["text"].startswith("Этот вопрос уже передан")
    for i in range(2):
        await _hand_off(staff_bot, emulator, partner, f"где купить пиццу номер {i} срочно")
    assert len(SqliteHandoffs(staff_bot.db).open_for("604")) == 3  # then: wait for answers
    events = await _hand_off(staff_bot, emulator, partner, "где купить пиццу подешевле")
    assert _in(events, STAFF_CHAT_ID) == []
    assert _in(events, 604)[0]["text"].startswith("Несколько ваших вопросов уже ждут")


async def test_unreachable_staff_chat_or_partner(staff_bot, emulator):
    partner = emulator.user(605, language_code="ru")
    emulator.blocked.add(STAFF_CHAT_ID)  # the bot was removed from the staff chat
    events = await _hand_off(staff_bot, emulator, partner)
    assert _in(events, 605)[0]["text"].startswith("Извините, сейчас не получилось связаться")
    assert SqliteHandoffs(staff_bot.db).waiting() == []

    emulator.blocked.discard(STAFF_CHAT_ID)
    unknown = next(e["message"] for e in emulator.outbox if e["chat_id"] == 605)
    (post,) = _in(await staff_bot.tap(partner, unknown, "handoff"), STAFF_CHAT_ID)
    emulator.blocked.add(605)  # the partner blocked the bot
    manager = emulator.user(ADMIN_ID, "Staff", language_code="ru")
    events = await staff_bot.say(manager, "Ответ", chat=emulator.chats[STAFF_CHAT_ID],
                                 reply_to=post)
    assert [m["text"] for m in _in(events, STAFF_CHAT_ID)] == [
        "Не доставлено: партнёр недоступен (возможно, он заблокировал бота)."]
    assert len(SqliteHandoffs(staff_bot.db).waiting()) == 1  # still open


async def test_staff_chat_replies_that_are_no_handoff(staff_bot, emulator):
    manager = emulator.user(ADMIN_ID, "Staff", language_code="ru")
    staff_chat = emulator.chats[STAFF_CHAT_ID]
    (stats,) = messages(await staff_bot.say(manager, "/stats", chat=staff_chat))
    events = await staff_bot.say(manager, "а это что?", chat=staff_chat, reply_to=stats)
    assert [m["text"] for m in messages(events)] == [
        "Это сообщение не связано ни с одним сохранённым вопросом партнёра (возможно, вопрос "
        "удалён по его просьбе). Ничего не отправлено."]
    colleague = emulator.user(ADMIN_ID + 5, "Colleague", language_code="ru")
    update = emulator.send(colleague, "привет всем", chat=staff_chat)
    assert await staff_bot.deliver(update) == []  # not for the bot
    note = update["message"]
    assert await staff_bot.say(manager, "и тебе", chat=staff_chat, reply_to=note) == []
    assert staff_bot.db["questions"].count == 0  # staff talk is not journaled as questions


async def test_without_a_staff_chat_nothing_is_offered(bot, emulator, core):
    partner = emulator.user(606, language_code="ru")
    (unknown,) = messages(await bot.say(partner, "где купить пиццу"))
    assert "handoff" not in [data for _label, data in buttons(unknown)]
    (stale,) = messages(await bot.deliver(emulator.tap(partner, unknown, "handoff")))
    assert [stale["text"]] == core_says(core.assistant.handle_action(Session("x"), "handoff"))

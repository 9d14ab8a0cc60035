"""The staff's /stats, /unanswered and /reload against the real bot, and what others see.

The bot runs as `partnerbot run` would with ADMIN_IDS and STAFF_CHAT_ID set: its core
journals into the test's SQLite file, and /reload reads the test's own copy of the
knowledge folder, which tests edit or break.
"""

from __future__ import annotations

import asyncio

import pytest
from tg_harness import ADMIN_ID, STAFF_CHAT_ID, buttons, messages, text_of

from bot.storage.handoffs import SqliteHandoffs
from bot.storage.reports import stats

STAFF_COMMANDS = ["stats", "unanswered", "reload"]


def _shown(events):
    """What a user sees of each message: text, formatting and buttons."""
    return [(m["text"], m.get("entities"), buttons(m)) for m in messages(events)]


async def _ask_some_questions(bot, emulator):
    ru = emulator.user(201, "Иван", language_code="ru")
    fr = emulator.user(202, "Chloé", language_code="fr")
    answer = messages(await bot.say(ru, "сколько оборота на голд софос"))[0]
    await bot.tap(ru, answer, "👎")
    await bot.say(ru, "где купить пиццу")
    await bot.say(ru, "Где купить пиццу?")
    await bot.say(fr, "золото")  # two gold entries, no answer before: a clarification
    await bot.say(fr, "combien de CA pour gold")
    return ru, fr


async def test_stats_for_staff(staff_bot, emulator):
    await _ask_some_questions(staff_bot, emulator)
    report = stats(staff_bot.db)
    assert report["questions"] == 5 and report["feedback"] == 1  # the journal is SQLite

    admin = emulator.user(ADMIN_ID, "Staff", language_code="ru")
    (reply,) = messages(await staff_bot.say(admin, "/stats"))
    text = reply["text"]
    assert text.startswith("Статистика (за всё время)")
    assert "Вопросов: 5 · пользователей: 2 · оценок: 1" in text
    assert "Отвечено: 40% · уточнено: 20% · без ответа: 40%" in text
    ((day, langs),) = report["per_day"].items()
    split = ", ".join(f"{lang} {n}" for lang, n in sorted(langs.items()))
    assert f"{day}: 5 ({split})" in text
    assert "• 2 — sophos.tiers.gold Какой оборот нужен для Gold у Sophos?" in text
    assert "• 👎 1 👍 0 — sophos.tiers.gold" in text
    assert {"type": "bold", "offset": 0, "length": len("Статистика")} in reply["entities"]

    (since,) = messages(await staff_bot.say(admin, f"/stats {day}"))
    assert since["text"].startswith(f"Статистика (с {day})")
    assert "Вопросов: 5" in since["text"]
    (usage,) = messages(await staff_bot.say(admin, "/stats yesterday"))
    assert usage["text"].startswith("Использование: /stats")


@pytest.mark.parametrize("command", STAFF_COMMANDS)
async def test_for_anyone_else_a_staff_command_is_an_unknown_command(staff_bot, emulator,
                                                                     command):
    await _ask_some_questions(staff_bot, emulator)
    partner = emulator.user(301, "Partner", language_code="pl")
    refused = await staff_bot.say(partner, f"/{command}")
    unknown = await staff_bot.say(partner, "/nosuchcommand")
    assert _shown(refused) == _shown(unknown)  # the very same reply: no hint
    assert "/stats" not in text_of(refused)
    # and staff_bot still serves its knowledge base as before
    assert staff_bot.frontend.core.kb.entries


async def test_in_a_group_a_staff_command_from_anyone_else_is_ignored(staff_bot, emulator):
    group = emulator.group()
    partner = emulator.user(302, language_code="ru")
    admin = emulator.user(ADMIN_ID, "Staff", language_code="ru")
    assert await staff_bot.say(partner, "/stats", chat=group) == []  # as /nosuchcommand
    assert await staff_bot.say(partner, "/nosuchcommand", chat=group) == []
    addressed = await staff_bot.say(partner, "/stats@PartnerTestBot", chat=group)
    unknown = await staff_bot.say(partner, "/nosuchcommand@PartnerTestBot", chat=group)
    assert [m["text"] for m in messages(addressed)] == [m["text"] for m in messages(unknown)]
    # staff use them in the staff chat, without naming the bot
    staff_chat = emulator.chats[STAFF_CHAT_ID]
    (reply,) = messages(await staff_bot.say(admin, "/unanswered", chat=staff_chat))
    assert reply["chat"]["id"] == STAFF_CHAT_ID
    assert reply["text"].startswith("Самые частые вопросы без ответа")


async def test_unanswered_groups_questions_and_lists_waiting_handoffs(staff_bot, emulator):
    await _ask_some_questions(staff_bot, emulator)
    other = emulator.user(203, language_code="ru")
    await staff_bot.say(other, "где купить пиццу <дёшево> & быстро")
    SqliteHandoffs(staff_bot.db).create(
        user_id="203", chat_id="203", question="Сколько стоит обучение <b>продавцов</b>?",
        lang="ru", staff_chat_id=STAFF_CHAT_ID, staff_message_id=77,
        guesses=["sophos.tiers.gold"])
    admin = emulator.user(ADMIN_ID, "Staff", language_code="fr")
    (reply,) = messages(await staff_bot.say(admin, "/unanswered"))
    lines = reply["text"].splitlines()
    assert lines[0] == "Questions sans réponse les plus fréquentes"
    assert lines[1] == "1. ×2 [ru] где купить пиццу"  # two wordings, one question
    assert "где купить пиццу <дёшево> & быстро" in reply["text"]  # escaped, shown as typed
    assert "Questions transmises en attente d'un responsable partenaires : 1" in reply["text"]
    assert lines[-1].endswith("· ru: Сколько стоит обучение <b>продавцов</b>?")


async def test_reload_puts_an_edited_knowledge_base_in_service(staff_bot, emulator, kb_copy):
    partner = emulator.user(204, language_code="ru")
    question = "где купить пиццу"
    before = messages(await staff_bot.say(partner, question))[0]["text"]
    faq = kb_copy / "faq" / "sophos.yaml"
    faq.write_text(faq.read_text(encoding="utf-8").replace(
        "[порог голд софос,", f"[{question}, порог голд софос,"), encoding="utf-8")
    assert messages(await staff_bot.say(partner, question))[0]["text"] == before  # not yet

    admin = emulator.user(ADMIN_ID, "Staff", language_code="pl")
    (reply,) = messages(await staff_bot.say(admin, "/reload"))
    assert reply["text"] == "Baza wiedzy przeładowana. Wpisów w użyciu: 3."
    answer = messages(await staff_bot.say(partner, question))[0]["text"]
    assert answer.startswith("Какой оборот нужен для Gold у Sophos?")
    assert staff_bot.db["questions"].count == 3  # the new core journals too


async def test_reload_refuses_a_broken_knowledge_base_and_keeps_serving(staff_bot, emulator,
                                                                        kb_copy):
    old_core = staff_bot.frontend.core
    faq = kb_copy / "faq" / "sophos.yaml"
    faq.write_text(faq.read_text(encoding="utf-8").replace(
        "id: sophos.tiers.gold", "id: sophos.tiers.silver"), encoding="utf-8")  # a duplicate
    (kb_copy / "faq" / "broken <&>.yaml").write_text("entries: [unclosed", encoding="utf-8")

    admin = emulator.user(ADMIN_ID, "Staff", language_code="ru")
    (reply,) = messages(await staff_bot.say(admin, "/reload"))
    text = reply["text"]
    assert text.startswith("База знаний не перезагружена.\nВ работе остаётся прежняя. "
                           "Найдено проблем: ")
    assert "sophos.tiers.silver" in text
    assert "broken <&>.yaml" in text  # the file name escaped, so the message is valid HTML
    assert reply["_html"] is not None and reply["entities"]  # sent as HTML, not plain text
    assert staff_bot.frontend.core is old_core

    partner = emulator.user(205, language_code="ru")
    answer = messages(await staff_bot.say(partner, "сколько оборота на голд софос"))[0]
    assert answer["text"].startswith("Какой оборот нужен для Gold у Sophos?")


async def test_reload_lists_at_most_some_problems(staff_bot, emulator, kb_copy):
    for i in range(20):
        (kb_copy / "faq" / f"bad{i:02}.yaml").write_text("entries: [", encoding="utf-8")
    admin = emulator.user(ADMIN_ID, "Staff", language_code="fr")
    (reply,) = messages(await staff_bot.say(admin, "/reload"))
    assert "L'ancienne reste en service. Problèmes trouvés : 20" in reply["text"]
    assert reply["text"].count("\n• ") == 15
    assert reply["text"].endswith("…et encore : 5")


async def test_many_users_at_once_lose_no_write(staff_bot, emulator):
    """Simultaneous updates from different users: every question, session and 👍 lands."""
    questions = {"ru": "сколько оборота на голд софос", "fr": "combien de CA pour gold",
                 "pl": "ile obrotu na gold"}
    users = [emulator.user(5000 + i, f"U{i}", language_code=lang)
             for i, lang in enumerate(["ru", "fr", "pl"] * 10)]
    updates = [emulator.send(u, questions[u["language_code"]]) for u in users]
    updates += [emulator.send(u, "где купить пиццу") for u in users]
    await asyncio.gather(*(staff_bot.deliver(u) for u in updates))
    db = staff_bot.db
    assert db["questions"].count == 60
    assert db["users"].count == 30 and db["sessions"].count == 30
    answers = {e["chat_id"]: e["message"] for e in emulator.outbox
               if e["message"]["text"].startswith(("Какой", "Quel", "Jaki"))}
    assert len(answers) == 30
    taps = [emulator.tap(u, answers[u["id"]], "fb:u:sophos.tiers.gold") for u in users]
    await asyncio.gather(*(staff_bot.deliver(t) for t in taps))
    assert db["feedback"].count == 30
    assert {r["user_id"] for r in db["feedback"].rows} == {str(u["id"]) for u in users}
    assert emulator.unanswered_callback_queries() == []

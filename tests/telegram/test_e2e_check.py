"""The eligibility interview in Telegram, by button taps and typed numbers, across a
restart of the bot in the middle of it."""

from __future__ import annotations

from tg_harness import buttons, messages, text_of


async def test_check_by_taps_and_a_restart_mid_interview(bot_factory, emulator, tmp_path):
    db = tmp_path / "check.sqlite3"
    first = await bot_factory(db)
    user = emulator.user(301, language_code="fr")
    (choose,) = messages(await first.say(user, "/check"))
    assert ("cka:symantec") in [d for _label, d in buttons(choose)]
    (question,) = messages(await first.tap(user, choose, "cka:symantec"))
    assert "Expert" in question["text"]
    (question,) = messages(await first.say(user, "beaucoup"))  # not a number: asked again
    assert "beaucoup" in question["text"] and "Expert" in question["text"]
    (question,) = messages(await first.say(user, "3"))
    await first.stop()

    second = await bot_factory(db)  # a new process on the same database file
    assert second.sessions.load("301").flow["kind"] == "check"
    events = await second.tap(user, question, "cka:yes")  # high satisfaction: yes
    while "cka:yes" in [d for _label, d in buttons(messages(events)[-1])]:
        events = await second.tap(user, messages(events)[-1], "cka:yes")
    decision = text_of(events)
    assert "Platinum" in decision
    assert emulator.unanswered_callback_queries() == []
    assert second.sessions.load("301").flow is None


async def test_check_deep_link_and_cancel(bot, emulator):
    user = emulator.user(302, language_code="pl")
    (question,) = messages(await bot.say(user, "/start check_sophos"))
    assert "Sophos" in question["text"] or "obrót" in question["text"].lower()
    (decision,) = messages(await bot.say(user, "45 tys."))
    assert "Silver" in decision["text"] and "Gold" in decision["text"]
    (question,) = messages(await bot.say(user, "/check sophos"))
    events = await bot.tap(user, question, "cka:cancel")
    assert bot.sessions.load("302").flow is None
    assert emulator.unanswered_callback_queries() == []
    assert messages(events)

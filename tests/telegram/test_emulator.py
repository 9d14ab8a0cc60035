"""The emulator answers in Telegram's own shapes, errors included (raw HTTP, no PTB)."""

from __future__ import annotations

import httpx
import pytest
from bot_api_emulator import TOKEN, ApiError, parse_html


def test_html_is_parsed_into_text_and_utf16_entities():
    text, entities = parse_html("👍 <b>Gold</b> &amp; <i>Silver</i> <a href=\"https://x.y\">z</a>")
    assert text == "👍 Gold & Silver z"
    assert entities == [{"type": "bold", "offset": 3, "length": 4},
                        {"type": "italic", "offset": 10, "length": 6},
                        {"type": "text_link", "offset": 17, "length": 1, "url": "https://x.y"}]


@pytest.mark.parametrize("bad", ["<script>x</script>", "a < b", "<b>open", "<b><i>x</b></i>",
                                 "x</b>", "<br/>", "<span>x</span>", "a <b", "1 <3 2",
                                 "<a href=http://x.y>z</a>", "<b >x</ b>", "<b/>x",
                                 "<a href=\"x>z</a>", "<b =x>y</b>", "<tg-emoji>x</tg-emoji>"])
def test_html_telegram_would_refuse_is_refused(bad):
    with pytest.raises(ApiError) as caught:
        parse_html(bad)
    assert caught.value.code == 400
    assert caught.value.description.startswith("Bad Request: can't parse entities")


@pytest.mark.parametrize(("html", "plain"), [
    ("&nbsp; &copy; & &#0; &#xZZ;", "&nbsp; &copy; & &#0; &#xZZ;"),  # kept as typed
    ("&lt &gt;&quot&amp;&#39;&#x27;", "< >\"&''"),  # known ones, ';' optional
    ("<b x>y</b> <i>z</>", "y z"),  # any attribute; '</>' closes the last tag
])
def test_html_telegram_accepts_reads_as_telegram_reads_it(html, plain):
    assert parse_html(html)[0] == plain


async def test_bot_api_shapes_over_http(emulator):
    user = emulator.user(301, "Jan", language_code="pl")
    emulator.private_chat(user)
    async with httpx.AsyncClient(base_url=f"{emulator.base_url}{TOKEN}/") as client:
        me = (await client.post("getMe")).json()
        assert me["ok"] and me["result"]["is_bot"] is True

        sent = (await client.post("sendMessage", data={
            "chat_id": "301", "text": "<b>Hi</b>", "parse_mode": "HTML",
            "reply_markup": '{"inline_keyboard": [[{"text": "Go", "callback_data": "m"}]]}',
        })).json()["result"]
        assert isinstance(sent["date"], int) and sent["date"] < 10**10  # seconds, not ms
        assert sent["entities"] == [{"type": "bold", "offset": 0, "length": 2}]

        update = emulator.tap(user, sent, "m")
        polled = (await client.post("getUpdates", data={"timeout": "0"})).json()["result"]
        assert polled[-1]["callback_query"]["chat_instance"]
        assert polled[-1]["update_id"] == update["update_id"]

        too_long = (await client.post("sendMessage", data={
            "chat_id": "301", "text": "x",
            "reply_markup": '{"inline_keyboard": [[{"text": "Go", "callback_data": "'
                            + "d" * 65 + '"}]]}'})).json()
        assert too_long == {"ok": False, "error_code": 400,
                            "description": "Bad Request: BUTTON_DATA_INVALID"}

        emulator.fail_next("sendChatAction", "retry_after", retry_after=7)
        flood = await client.post("sendChatAction", data={"chat_id": "301", "action": "typing"})
        assert flood.status_code == 429
        assert flood.json()["parameters"] == {"retry_after": 7}

        assert (await client.post("setMyCommands", data={
            "commands": '[{"command": "start", "description": "Start"}]',
            "language_code": "pl"})).json() == {"ok": True, "result": True}
        assert (await client.post("getWebhookInfo")).json()["result"]["url"] == ""
        assert (await client.post("noSuchMethod")).status_code == 404

    async with httpx.AsyncClient(base_url=f"{emulator.base_url}1:wrong/") as client:
        assert (await client.post("getMe")).status_code == 401

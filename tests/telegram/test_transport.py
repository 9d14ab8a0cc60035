"""The aiohttp transport keeps python-telegram-bot's `BaseRequest` promises: a JSON body,
file uploads as multipart, timeouts as TimedOut, refused connections as NetworkError."""

import asyncio

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.telegram.transport import AiohttpRequest


@pytest.fixture
async def server():
    seen: list[dict] = []

    async def echo(request: web.Request) -> web.Response:
        if request.query.get("slow"):
            await asyncio.sleep(1)
        if request.content_type == "application/json":
            seen.append(await request.json())
        else:
            form = await request.post()
            seen.append({k: (v.file.read() if hasattr(v, "file") else v)
                         for k, v in form.items()})
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post("/{method}", echo)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", seen
    await runner.cleanup()


async def test_fields_and_files_reach_the_server(server):
    url, seen = server
    data = RequestData([RequestParameter.from_input("chat_id", 42),
                        RequestParameter.from_input("document",
                                                    InputFile(b"hello", filename="a.txt"))])
    async with AiohttpRequest() as request:
        status, body = await request.do_request(f"{url}/sendDocument", "POST", data)
        assert status == 200 and b'"ok": true' in body
        await request.do_request(f"{url}/sendMessage", "POST",
                                 RequestData([RequestParameter.from_input("text", "привет")]))
    assert seen[0]["chat_id"] == "42" and seen[0]["document"] == b"hello"
    assert seen[1] == {"text": "привет"}  # sent as JSON


async def test_a_slow_answer_is_a_timeout_and_a_closed_port_a_network_error(server):
    url, _ = server
    async with AiohttpRequest(read_timeout=0.1) as request:
        with pytest.raises(TimedOut):
            await request.do_request(f"{url}/getMe?slow=1", "POST")
        with pytest.raises(NetworkError):
            await request.do_request("http://127.0.0.1:9/getMe", "POST")

"""The Bot API emulator as a process, for `deploy/smoke.sh` and anyone trying the bot by hand.

    python tests/telegram/run_emulator.py serve [--token 123:TEST] [--port-file FILE]
        serves the emulator on 127.0.0.1 on a free port and prints that port (and
        writes it to FILE); runs until SIGTERM or SIGINT. Point the bot at it with
        BOT_API_URL=http://127.0.0.1:PORT and the same BOT_TOKEN.
    python tests/telegram/run_emulator.py ready --port P [--mode webhook] [--timeout 30]
        waits until the bot polls (getUpdates), or in webhook mode until it has set its
        webhook and its webhook server accepts connections.
    python tests/telegram/run_emulator.py send --port P --user 401 [--lang pl] TEXT
        a user sends TEXT to the bot; prints the update id.
    python tests/telegram/run_emulator.py reply --port P --user 401 [--timeout 30]
        waits for the bot's first message to that user; prints its text (exit 1 if
        none came in time).

Besides the Bot API under /bot<token>/<method>, the process answers a small control
API under /_control/ (JSON): `send` (POST {"user", "text", "lang"}), `outbox`
(GET ?chat_id=), `calls` (GET ?method=), `webhook` (GET). In webhook mode (after the
bot's setWebhook) `send` posts the update to the bot's webhook URL with the secret
token header, as Telegram does, instead of queueing it for getUpdates.

Only the standard library and tornado (which python-telegram-bot[webhooks] brings), so
it runs in the smoke test's fresh virtual environment.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


# -- the server --------------------------------------------------------------------------
async def serve(token: str, port_file: Path | None) -> None:
    from bot_api_emulator import BotAPIEmulator, _Handler
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest
    from tornado.httpserver import HTTPServer
    from tornado.netutil import bind_sockets
    from tornado.web import Application, RequestHandler

    emulator = BotAPIEmulator(token)

    class Control(RequestHandler):
        def _json(self, payload: Any, status: int = 200) -> None:
            self.set_status(status)
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps(payload, ensure_ascii=False))

        def get(self, what: str) -> None:
            if what == "outbox":
                chat = self.get_argument("chat_id", None)
                items = [e for e in emulator.outbox
                         if chat is None or str(e["chat_id"]) == chat]
                return self._json([{"method": e["method"], "chat_id": e["chat_id"],
                                    "text": e["message"].get("text", "")} for e in items])
            if what == "calls":
                method = self.get_argument("method", "")
                calls = emulator.calls_to(method) if method else emulator.calls
                return self._json([{"method": c.method, "params": c.params} for c in calls])
            if what == "webhook":
                return self._json({"url": emulator.webhook_url})
            return self._json({"error": f"no such control: {what}"}, 404)

        async def post(self, what: str) -> None:
            if what != "send":
                return self._json({"error": f"no such control: {what}"}, 404)
            body = json.loads(self.request.body or b"{}")
            user = emulator.user(int(body["user"]), language_code=body.get("lang") or "ru")
            update = emulator.send(user, str(body["text"]))
            if emulator.webhook_url:  # Telegram posts it to the bot instead
                emulator._updates.remove(update)
                secret = (emulator.calls_to("setWebhook")[-1].params.get("secret_token")
                          or "")
                request = HTTPRequest(emulator.webhook_url, method="POST",
                                      body=json.dumps(update),
                                      headers={"Content-Type": "application/json",
                                               "X-Telegram-Bot-Api-Secret-Token": secret})
                response = await AsyncHTTPClient().fetch(request, raise_error=False)
                if response.code != 200:
                    return self._json({"error": f"webhook answered {response.code}"}, 502)
            return self._json({"update_id": update["update_id"]})

    # as BotAPIEmulator.start(), with the control routes beside the Bot API
    emulator._wakeup = asyncio.Event()
    app = Application([(r"/bot([^/]+)/([A-Za-z]+)", _Handler, {"emulator": emulator}),
                       (r"/_control/([a-z_]+)", Control)])
    sockets = bind_sockets(0, "127.0.0.1")
    emulator.port = sockets[0].getsockname()[1]
    server = HTTPServer(app)
    server.add_sockets(sockets)
    emulator._server = server

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if port_file is not None:
        tmp = port_file.with_suffix(".tmp")
        tmp.write_text(f"{emulator.port}\n")
        tmp.replace(port_file)  # whole or absent: a reader never sees half a number
    print(emulator.port, flush=True)
    await stop.wait()
    await emulator.stop()


# -- the client (the smoke script's side) -----------------------------------------------
def _call(port: int, what: str, body: dict[str, Any] | None = None, **query: Any) -> Any:
    url = f"http://127.0.0.1:{port}/_control/{what}"
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _until(condition, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, urllib.error.URLError):
            if found := condition():
                return found
        time.sleep(0.1)
    return None


def _webhook_listening(port: int) -> bool:
    import socket
    from urllib.parse import urlsplit

    url = _call(port, "webhook")["url"]
    if not url:
        return False
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port or 443), timeout=1):
        return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("serve")
    p.add_argument("--token", default="123:TEST")
    p.add_argument("--port-file", type=Path)
    for name in ("ready", "send", "reply"):
        p = sub.add_parser(name)
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--timeout", type=float, default=30.0)
        if name == "ready":
            p.add_argument("--mode", choices=["polling", "webhook"], default="polling")
        else:
            p.add_argument("--user", type=int, default=401)
        if name == "send":
            p.add_argument("--lang", default="ru")
            p.add_argument("text")
    args = parser.parse_args(argv)

    if args.command == "serve":
        asyncio.run(serve(args.token, args.port_file))
        return 0
    if args.command == "ready":
        if args.mode == "webhook":
            ready = _until(lambda: _webhook_listening(args.port), args.timeout)
        else:
            ready = _until(lambda: _call(args.port, "calls", method="getUpdates"), args.timeout)
        if not ready:
            print(f"the bot is not listening ({args.mode}) after {args.timeout:g} s",
                  file=sys.stderr)
            return 1
        return 0
    if args.command == "send":
        result = _call(args.port, "send", {"user": args.user, "text": args.text,
                                            "lang": args.lang})
        print(result["update_id"])
        return 0
    reply = _until(lambda: _call(args.port, "outbox", chat_id=args.user), args.timeout)
    if not reply:
        print(f"no reply to user {args.user} in {args.timeout:g} s", file=sys.stderr)
        return 1
    print(reply[0]["text"])
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A small Telegram Bot API server for tests: real HTTP on 127.0.0.1, real JSON shapes.

python-telegram-bot talks to it through its own HTTP layer exactly as to
api.telegram.org (`base_url=emulator.base_url`). The emulator plays both sides:

* the Bot API: getMe, getUpdates (long polling with offset, timeout and
  allowed_updates), deleteWebhook, getWebhookInfo, setWebhook, sendMessage,
  editMessageText, editMessageReplyMarkup, deleteMessage, answerCallbackQuery,
  answerInlineQuery, sendChatAction, setMyCommands, getMyCommands, deleteMyCommands,
  logOut, close. Errors come back as Telegram sends them (`ok: false`, `error_code`,
  `description`, `parameters.retry_after`), including HTML that Telegram would refuse
  to parse, callback data over 64 bytes, a user who blocked the bot, an unanswered or
  re-answered callback query, an edit that changes nothing;
* the users: `send`, `edit`, `tap`, `inline` and `send_photo` queue the updates a
  Telegram client would cause, with `date` in seconds, `chat_instance`, command and
  mention entities (offsets in UTF-16 code units, as Telegram counts).

`fail_next(method, ...)` injects a flood limit (429 with retry_after), a 500 or 502, a
dropped connection, or a slow answer for the next calls of a method.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.iostream import StreamClosedError
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

TOKEN = "7000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"

# parameters PTB sends JSON-encoded inside form fields
JSON_FIELDS = {"reply_markup", "results", "commands", "scope", "allowed_updates", "entities",
               "link_preview_options", "reply_parameters", "button"}
INT_FIELDS = {"chat_id", "message_id", "offset", "limit", "user_id", "cache_time",
              "message_thread_id"}
FLOAT_FIELDS = {"timeout"}
BOOL_FIELDS = {"drop_pending_updates", "is_personal", "show_alert", "disable_notification",
               "protect_content", "allow_sending_without_reply"}
CHAT_ACTIONS = {"typing", "upload_photo", "record_video", "upload_video", "record_voice",
                "upload_voice", "upload_document", "choose_sticker", "find_location",
                "record_video_note", "upload_video_note"}
TAGS = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
        "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
        "del": "strikethrough", "code": "code", "pre": "pre", "a": "text_link",
        "tg-spoiler": "spoiler", "span": "spoiler", "blockquote": "blockquote",
        "tg-emoji": "custom_emoji"}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
CALLBACK_QUERY_TTL = 15.0  # seconds Telegram waits for answerCallbackQuery


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


def bad_request(what: str) -> ApiError:
    return ApiError(400, f"Bad Request: {what}")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


SPACES = " \t\r\n\v\f"
TAG_NAMES = {"a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre",
             "tg-spoiler", "span", "blockquote", "tg-emoji"}


def _entity_at(text: str, i: int) -> tuple[str, int] | None:
    """The character an HTML entity at text[i] ('&') stands for, and where it ends; None
    when Telegram keeps the '&' as it is (an unknown name, a bad number). As Telegram:
    only &lt; &gt; &amp; &quot; and numeric references, the ';' optional."""
    j = i + 1
    if text.startswith("#", j):
        j += 1
        hexadecimal = text.startswith("x", j)
        j += hexadecimal
        digits = re.match(r"[0-9a-fA-F]*" if hexadecimal else r"[0-9]*", text[j:]).group()
        j += len(digits)
        code = int(digits, 16 if hexadecimal else 10) if digits else 0
        if not 0 < code < 0x10FFFF or 0xD800 <= code <= 0xDFFF or j - i >= 10:
            return None
        char = chr(code)
    else:
        name = re.match(r"[A-Za-z]*", text[j:]).group()
        j += len(name)
        if name not in NAMED_ENTITIES:
            return None
        char = NAMED_ENTITIES[name]
    return char, j + text.startswith(";", j)


class _HTMLScanner:
    """Telegram's HTML parse mode as its server reads it (td's MessageEntity.cpp): the
    allowed tags only, properly nested, attributes quoted or plain name tokens; a bare
    '&' or an unknown entity is kept as text, a bare '<' is an error."""

    def __init__(self, text: str):
        self.text = text
        self.parts: list[str] = []
        self.length = 0  # UTF-16 units so far
        self.stack: list[tuple[str, int, str, int]] = []  # (tag, offset, argument, part)
        self.entities: list[dict[str, Any]] = []

    def error(self, what: str, at: int | None = None) -> ApiError:
        where = f" at byte offset {len(self.text[:at].encode())}" if at is not None else ""
        return bad_request(f"can't parse entities: {what}{where}")

    def add(self, chunk: str) -> None:
        self.parts.append(chunk)
        self.length += utf16_len(chunk)

    def scan(self) -> tuple[str, list[dict[str, Any]]]:
        text, i = self.text, 0
        while i < len(text):
            char = text[i]
            if char == "&" and (found := _entity_at(text, i)):
                self.add(found[0])
                i = found[1]
            elif char != "<":
                stop = min((k for k in (text.find("&", i + 1), text.find("<", i + 1))
                            if k != -1), default=len(text))
                self.add(text[i:stop])
                i = stop
            elif text.startswith("/", i + 1):
                i = self.end_tag(i)
            else:
                i = self.start_tag(i)
        if self.stack:
            tag = self.stack[-1][0]
            raise self.error(f'Can\'t find end tag corresponding to start tag "{tag}"')
        return "".join(self.parts), sorted(self.entities,
                                           key=lambda e: (e["offset"], -e["length"]))

    def _skip_spaces(self, i: int) -> int:
        while i < len(self.text) and self.text[i] in SPACES:
            i += 1
        return i

    def start_tag(self, begin: int) -> int:
        text = self.text
        i = begin + 1
        while i < len(text) and text[i] not in SPACES and text[i] != ">":
            i += 1
        if i >= len(text):
            raise self.error("Unclosed start tag", begin)
        tag = text[begin + 1:i].lower()
        if tag not in TAG_NAMES:
            raise self.error(f'Unsupported start tag "{tag}"', begin)
        argument = ""
        while text[i] != ">":
            i = self._skip_spaces(i)
            if i >= len(text):
                raise self.error(f'Unclosed start tag "{tag}"', begin)
            if text[i] == ">":
                break
            name_start = i
            while i < len(text) and text[i] not in SPACES and text[i] not in "=>/\"'":
                i += 1
            name = text[name_start:i]
            if not name:
                raise self.error(f'Empty attribute name in the tag "{tag}"', begin)
            i = self._skip_spaces(i)
            if i >= len(text):
                raise self.error(f'Unclosed start tag "{tag}"', begin)
            if text[i] != "=":
                if tag == "blockquote" and name == "expandable":
                    argument = "1"
                continue
            i = self._skip_spaces(i + 1)
            if i >= len(text):
                raise self.error("Unclosed start tag", begin)
            if text[i] in "\"'":
                close = text.find(text[i], i + 1)
                if close == -1:
                    raise self.error("Unclosed start tag", begin)
                value = self._decoded(text[i + 1:close])
                i = close + 1
            else:
                token = re.match(r"[A-Za-z0-9.-]*", text[i:]).group()
                value = token.lower()
                i += len(token)
                if i >= len(text) or (text[i] not in SPACES and text[i] != ">"):
                    raise self.error("Unexpected end of name token", i)
            if (tag, name) in (("a", "href"), ("tg-emoji", "emoji-id")):
                argument = value
            elif tag == "span" and name == "class" and value.startswith("tg-"):
                argument = value[3:]
            elif tag == "code" and name == "class" and value.startswith("language-"):
                argument = value[9:]
            elif tag == "blockquote" and name == "expandable":
                argument = "1"
            if i >= len(text):
                raise self.error("Unclosed start tag", begin)
        if tag == "span" and argument != "spoiler":
            raise self.error('Tag "span" must have class "tg-spoiler"', begin)
        self.stack.append((tag, self.length, argument, len(self.parts)))
        return i + 1

    def end_tag(self, begin: int) -> int:
        text = self.text
        if not self.stack:
            raise self.error("Unexpected end tag", begin)
        i = begin + 2
        while i < len(text) and text[i] not in SPACES and text[i] != ">":
            i += 1
        name = text[begin + 2:i]
        i = self._skip_spaces(i)
        if i >= len(text) or text[i] != ">":
            raise self.error("Unclosed end tag", begin)
        tag, start, argument, first_part = self.stack.pop()
        if name and name != tag:
            raise self.error(f'Unmatched end tag at byte offset {len(text[:begin].encode())}, '
                             f'expected "</{tag}>", found "</{name}>"')
        if tag == "tg-emoji" and not argument.isdigit():
            raise self.error("Invalid custom emoji identifier specified")
        if self.length > start:
            kind = TAGS[tag]
            if tag == "blockquote" and argument:
                kind = "expandable_blockquote"
            entity: dict[str, Any] = {"type": kind, "offset": start,
                                      "length": self.length - start}
            if tag == "a":
                entity["url"] = argument or "".join(self.parts[first_part:])
            self.entities.append(entity)
        return i + 1

    @staticmethod
    def _decoded(value: str) -> str:
        out, i = [], 0
        while i < len(value):
            found = _entity_at(value, i) if value[i] == "&" else None
            if found:
                out.append(found[0])
                i = found[1]
            else:
                out.append(value[i])
                i += 1
        return "".join(out)


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Telegram HTML -> (plain text, entities), or ApiError as Telegram would refuse it."""
    return _HTMLScanner(text).scan()


def _coerce(params: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, str):
            if key in JSON_FIELDS:
                value = json.loads(value)
            elif key in INT_FIELDS and re.fullmatch(r"-?\d+", value):
                value = int(value)
            elif key in FLOAT_FIELDS:
                value = float(value)
            elif key in BOOL_FIELDS:
                value = value == "true"
        out[key] = value
    return out


@dataclass
class Failure:
    kind: str  # retry_after | server_error | bad_gateway | drop | delay (then served normally)
    retry_after: int = 1
    delay: float = 0.3


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


class _Handler(RequestHandler):
    def initialize(self, emulator: BotAPIEmulator) -> None:
        self.emulator = emulator
        self.closed = False

    async def get(self, token: str, method: str) -> None:
        await self.emulator._serve(self, token, method)

    async def post(self, token: str, method: str) -> None:
        await self.emulator._serve(self, token, method)

    def on_connection_close(self) -> None:
        self.closed = True
        self.emulator._wake()


class BotAPIEmulator:
    def __init__(self, token: str = TOKEN, *, username: str = "PartnerTestBot",
                 first_name: str = "Partner Assistant"):
        self.token = token
        bot_id = int(token.split(":")[0])
        self.me = {"id": bot_id, "is_bot": True, "first_name": first_name, "username": username,
                   "can_join_groups": True, "can_read_all_group_messages": False,
                   "supports_inline_queries": True, "can_connect_to_business": False,
                   "has_main_web_app": False}
        self.bot_user = {"id": bot_id, "is_bot": True, "first_name": first_name,
                         "username": username}
        self.calls: list[Call] = []
        self.outbox: list[dict[str, Any]] = []  # what users see arrive: sends and edits
        self.chats: dict[int, dict[str, Any]] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.callback_queries: dict[str, dict[str, Any]] = {}
        self.inline_queries: dict[str, dict[str, Any]] = {}
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.chat_actions: list[tuple[int, str]] = []
        self.blocked: set[int] = set()
        self.webhook_url = ""
        self._updates: list[dict[str, Any]] = []
        self._allowed: list[str] | None = None
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count] = {}
        self._query_ids = itertools.count(1)
        self._failures: dict[str, list[Failure]] = {}
        self._poll_generation = 0
        self._wakeup: asyncio.Event | None = None
        self._server: HTTPServer | None = None
        self.port = 0

    # -- lifecycle -----------------------------------------------------------------------
    async def start(self) -> str:
        self._wakeup = asyncio.Event()
        app = Application([(r"/bot([^/]+)/([A-Za-z]+)", _Handler, {"emulator": self})])
        sockets = bind_sockets(0, "127.0.0.1")
        self.port = sockets[0].getsockname()[1]
        self._server = HTTPServer(app)
        self._server.add_sockets(sockets)
        return self.base_url

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.stop()
        self._poll_generation += 1
        self._wake()
        await asyncio.sleep(0)
        await self._server.close_all_connections()
        self._server = None

    async def __aenter__(self) -> BotAPIEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def _wake(self) -> None:
        if self._wakeup is not None:
            self._wakeup.set()
            self._wakeup = asyncio.Event()

    # -- failure injection ---------------------------------------------------------------
    def fail_next(self, method: str, kind: str = "retry_after", *, times: int = 1,
                  retry_after: int = 1, delay: float = 0.3) -> None:
        self._failures.setdefault(method.lower(), []).extend(
            Failure(kind, retry_after, delay) for _ in range(times))

    def pending_failures(self, method: str) -> int:
        """How many injected failures of `method` have not been served yet."""
        return len(self._failures.get(method.lower(), []))

    # -- HTTP ----------------------------------------------------------------------------
    async def _serve(self, handler: _Handler, token: str, method: str) -> None:
        if token != self.token:
            return self._reply(handler, 401, {"ok": False, "error_code": 401,
                                              "description": "Unauthorized"})
        body = handler.request.body
        ctype = handler.request.headers.get("Content-Type", "")
        if ctype.startswith("application/json"):
            raw = json.loads(body or b"{}")
        else:
            raw = {k: v[-1].decode() for k, v in handler.request.arguments.items()}
        params = _coerce(raw)
        self.calls.append(Call(method, params))
        failures = self._failures.get(method.lower())
        failure = failures.pop(0) if failures else None
        if failure and failure.kind == "delay":
            await asyncio.sleep(failure.delay)
        elif failure:
            if failure.kind == "drop":
                handler.request.connection.stream.close()
                return None
            if failure.kind in ("bad_gateway", "server_error"):
                code, what = ((502, "Bad Gateway") if failure.kind == "bad_gateway"
                              else (500, "Internal Server Error"))
                return self._reply(handler, code, {"ok": False, "error_code": code,
                                                   "description": what})
            return self._reply(handler, 429, {
                "ok": False, "error_code": 429,
                "description": f"Too Many Requests: retry after {failure.retry_after}",
                "parameters": {"retry_after": failure.retry_after}})
        api = getattr(self, f"api_{method.lower()}", None)
        if api is None:
            return self._reply(handler, 404, {"ok": False, "error_code": 404,
                                              "description": "Not Found"})
        try:
            if method.lower() == "getupdates":
                result = await self.api_getupdates(params, handler)
            else:
                result = api(params)
        except ApiError as exc:
            payload = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.parameters:
                payload["parameters"] = exc.parameters
            return self._reply(handler, exc.code, payload)
        except (KeyError, ValueError, TypeError) as exc:
            return self._reply(handler, 400, {"ok": False, "error_code": 400,
                                              "description": f"Bad Request: {exc}"})
        return self._reply(handler, 200, {"ok": True, "result": result})

    @staticmethod
    def _reply(handler: _Handler, status: int, payload: dict[str, Any]) -> None:
        if handler.closed:
            return
        handler.set_status(status)
        handler.set_header("Content-Type", "application/json")
        with contextlib.suppress(StreamClosedError):
            handler.finish(json.dumps(payload, ensure_ascii=False))

    # -- helpers -------------------------------------------------------------------------
    def _chat(self, chat_id: Any) -> dict[str, Any]:
        chat = self.chats.get(int(chat_id)) if str(chat_id).lstrip("-").isdigit() else None
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _writable(self, chat_id: int) -> None:
        if chat_id in self.blocked:
            chat = self.chats[chat_id]
            raise ApiError(403, "Forbidden: bot was blocked by the user"
                           if chat["type"] == "private"
                           else "Forbidden: bot was kicked from the supergroup chat")

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    @staticmethod
    def _public(message: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in message.items() if not k.startswith("_")}

    def _text_and_entities(self, params: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
        text = params.get("text")
        if text is None or not str(text).strip():
            raise bad_request("message text is empty")
        if params.get("parse_mode") in ("HTML", "html"):
            plain, entities = parse_html(text)
        elif params.get("parse_mode"):
            raise bad_request(f"unsupported parse_mode {params['parse_mode']!r} in this emulator")
        else:
            plain, entities = text, list(params.get("entities") or [])
        if not plain.strip():
            raise bad_request("message text is empty")
        if utf16_len(plain) > 4096:
            raise bad_request("message is too long")
        return plain, entities

    @staticmethod
    def _check_markup(markup: Any) -> dict[str, Any] | None:
        if not markup:
            return None
        rows = markup.get("inline_keyboard")
        if not isinstance(rows, list):
            raise bad_request("can't parse reply keyboard markup JSON object")
        for row in rows:
            for button in row:
                if not str(button.get("text", "")).strip():
                    raise bad_request("text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise bad_request("BUTTON_DATA_INVALID")
                kinds = {"callback_data", "url", "switch_inline_query", "web_app", "pay",
                         "switch_inline_query_current_chat", "login_url", "copy_text",
                         "callback_game", "switch_inline_query_chosen_chat"}
                if len(kinds & set(button)) != 1:
                    raise bad_request("can't parse inline keyboard button")
        return {"inline_keyboard": rows}

    # -- Bot API methods -----------------------------------------------------------------
    def api_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return dict(self.me)

    def api_logout(self, params: dict[str, Any]) -> bool:
        return True

    def api_close(self, params: dict[str, Any]) -> bool:
        return True

    def api_deletewebhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def api_setwebhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = params.get("url", "")
        return True

    def api_getwebhookinfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": self.webhook_url, "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}

    async def api_getupdates(self, params: dict[str, Any], handler: _Handler) -> list[dict]:
        if self.webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if "allowed_updates" in params:
            self._allowed = list(params["allowed_updates"]) or None
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        self._poll_generation += 1  # a newer getUpdates ends an older one, as Telegram does
        generation = self._poll_generation
        self._wake()
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            pending = [u for u in self._updates if self._is_allowed(u)]
            remaining = deadline - asyncio.get_running_loop().time()
            if pending or remaining <= 0 or handler.closed \
                    or generation != self._poll_generation:
                return copy.deepcopy(pending[:limit])
            wakeup = self._wakeup
            assert wakeup is not None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), remaining)

    def _is_allowed(self, update: dict[str, Any]) -> bool:
        kind = next(k for k in update if k != "update_id")
        allowed = self._allowed or ["message", "edited_message", "channel_post",
                                    "edited_channel_post", "inline_query",
                                    "chosen_inline_result", "callback_query", "my_chat_member"]
        return kind in allowed

    def api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params.get("chat_id"))
        self._writable(chat["id"])
        text, entities = self._text_and_entities(params)
        markup = self._check_markup(params.get("reply_markup"))
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat["id"]), "from": dict(self.bot_user),
            "chat": dict(chat), "date": int(time.time()), "text": text,
        }
        if entities:
            message["entities"] = entities
        reply_to = (params.get("reply_parameters") or {}).get("message_id") \
            or params.get("reply_to_message_id")
        if reply_to:
            original = self.messages.get((chat["id"], int(reply_to)))
            if original is None:
                if not (params.get("reply_parameters") or {}).get("allow_sending_without_reply"):
                    raise bad_request("message to be replied not found")
            else:
                message["reply_to_message"] = {k: v for k, v in self._public(original).items()
                                               if k != "reply_to_message"}
        if markup:
            message["reply_markup"] = markup
        message["_html"] = params.get("text") if params.get("parse_mode") else None
        self.messages[(chat["id"], message["message_id"])] = message
        self.outbox.append({"method": "sendMessage", "chat_id": chat["id"],
                            "message": copy.deepcopy(message)})
        return self._public(message)

    def api_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        if params.get("inline_message_id"):
            return True
        chat = self._chat(params.get("chat_id"))
        self._writable(chat["id"])
        message = self.messages.get((chat["id"], int(params.get("message_id") or 0)))
        if message is None:
            raise bad_request("message to edit not found")
        if message["from"]["id"] != self.me["id"]:
            raise bad_request("message can't be edited")
        text, entities = self._text_and_entities(params)
        markup = self._check_markup(params.get("reply_markup"))
        if (text == message["text"] and entities == message.get("entities", [])
                and markup == message.get("reply_markup")):
            raise bad_request("message is not modified: specified new message content and "
                              "reply markup are exactly the same as a current content and "
                              "reply markup of the message")
        message["text"] = text
        message.pop("entities", None)
        if entities:
            message["entities"] = entities
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        message["_html"] = params.get("text") if params.get("parse_mode") else None
        self.outbox.append({"method": "editMessageText", "chat_id": chat["id"],
                            "message": copy.deepcopy(message)})
        return self._public(message)

    def api_editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        if params.get("inline_message_id"):
            return True
        chat = self._chat(params.get("chat_id"))
        message = self.messages.get((chat["id"], int(params.get("message_id") or 0)))
        if message is None:
            raise bad_request("message to edit not found")
        markup = self._check_markup(params.get("reply_markup"))
        if markup == message.get("reply_markup"):
            raise bad_request("message is not modified")
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return self._public(message)

    def api_deletemessage(self, params: dict[str, Any]) -> bool:
        chat = self._chat(params.get("chat_id"))
        if self.messages.pop((chat["id"], int(params.get("message_id") or 0)), None) is None:
            raise bad_request("message to delete not found")
        return True

    def api_answercallbackquery(self, params: dict[str, Any]) -> bool:
        query = self.callback_queries.get(str(params.get("callback_query_id")))
        if (query is None or query["answered"]
                or time.monotonic() - query["at"] > CALLBACK_QUERY_TTL):
            raise bad_request("query is too old and response timeout expired or query ID is "
                              "invalid")
        text = params.get("text")
        if text is not None and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        query["answered"] = True
        query["answer"] = {k: params.get(k) for k in ("text", "show_alert", "url")}
        return True

    def api_answerinlinequery(self, params: dict[str, Any]) -> bool:
        query = self.inline_queries.get(str(params.get("inline_query_id")))
        if query is None or query["answered"]:
            raise bad_request("query is too old and response timeout expired or query ID is "
                              "invalid")
        results = params.get("results") or []
        if len(results) > 50:
            raise bad_request("RESULTS_TOO_MUCH")
        ids = [r.get("id", "") for r in results]
        if len(set(ids)) != len(ids) or any(not 1 <= len(i.encode()) <= 64 for i in ids):
            raise bad_request("RESULT_ID_INVALID")
        for result in results:
            if result.get("type") != "article" or not result.get("title"):
                raise bad_request("RESULT_TYPE_INVALID")
            content = result.get("input_message_content") or {}
            text, _entities = self._text_and_entities(
                {"text": content.get("message_text"), "parse_mode": content.get("parse_mode")})
            result["_plain"] = text
            self._check_markup(result.get("reply_markup"))
        button = params.get("button")
        if button and not re.fullmatch(r"[A-Za-z0-9_-]{1,64}",
                                       button.get("start_parameter", "")):
            raise bad_request("START_PARAM_INVALID")
        query["answered"] = True
        query["answer"] = params
        return True

    def api_sendchataction(self, params: dict[str, Any]) -> bool:
        chat = self._chat(params.get("chat_id"))
        self._writable(chat["id"])
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self.chat_actions.append((chat["id"], params["action"]))
        return True

    @staticmethod
    def _scope_key(params: dict[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        lang = params.get("language_code") or ""
        if lang and not re.fullmatch(r"[a-z]{2}", lang):
            raise bad_request("invalid language code specified")
        return json.dumps(scope, sort_keys=True), lang

    def api_setmycommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("commands must be a list of at most 100 BotCommand")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "").strip()) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._scope_key(params)] = [
            {"command": c["command"], "description": c["description"]} for c in commands]
        return True

    def api_getmycommands(self, params: dict[str, Any]) -> list[dict[str, str]]:
        return self.commands.get(self._scope_key(params), [])

    def api_deletemycommands(self, params: dict[str, Any]) -> bool:
        self.commands.pop(self._scope_key(params), None)
        return True

    # -- the users' side -----------------------------------------------------------------
    @staticmethod
    def user(user_id: int, first_name: str = "Partner", *, language_code: str | None = "ru",
             username: str | None = None) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        return user

    def private_chat(self, user: dict[str, Any]) -> dict[str, Any]:
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        if "username" in user:
            chat["username"] = user["username"]
        return self.chats.setdefault(chat["id"], chat)

    def group(self, chat_id: int = -1001234567890, title: str = "Partners") -> dict[str, Any]:
        return self.chats.setdefault(chat_id, {"id": chat_id, "type": "supergroup",
                                               "title": title})

    def _push(self, body: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **body}
        self._updates.append(update)
        self._wake()
        return update

    def _entities(self, text: str) -> list[dict[str, Any]]:
        entities = []
        command = re.match(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text)
        if command:
            entities.append({"type": "bot_command", "offset": 0,
                             "length": utf16_len(command.group())})
        for mention in re.finditer(r"(?<![\w@])@[A-Za-z0-9_]{5,32}\b", text):
            entities.append({"type": "mention", "offset": utf16_len(text[: mention.start()]),
                             "length": utf16_len(mention.group())})
        return entities

    def send(self, user: dict[str, Any], text: str, *, chat: dict[str, Any] | None = None,
             reply_to: dict[str, Any] | None = None) -> dict[str, Any]:
        """The user sends a text message; returns the update."""
        chat = chat or self.private_chat(user)
        self.chats.setdefault(chat["id"], chat)
        message: dict[str, Any] = {"message_id": self._next_message_id(chat["id"]),
                                   "from": user, "chat": chat, "date": int(time.time()),
                                   "text": text}
        if entities := self._entities(text):
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = {k: v for k, v in self._public(reply_to).items()
                                           if k != "reply_to_message"}
        self.messages[(chat["id"], message["message_id"])] = message
        return self._push({"message": copy.deepcopy(message)})

    def send_photo(self, user: dict[str, Any], caption: str | None = None) -> dict[str, Any]:
        chat = self.private_chat(user)
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat["id"]), "from": user, "chat": chat,
            "date": int(time.time()),
            "photo": [{"file_id": "AgACAgIAAxkBAAIB", "file_unique_id": "AQADAgATx",
                       "width": 90, "height": 90, "file_size": 1200}]}
        if caption:
            message["caption"] = caption
        self.messages[(chat["id"], message["message_id"])] = message
        return self._push({"message": copy.deepcopy(message)})

    def edit(self, message: dict[str, Any], text: str) -> dict[str, Any]:
        """The user edits a message they sent: an `edited_message` update."""
        stored = self.messages[(message["chat"]["id"], message["message_id"])]
        stored["text"] = text
        stored["edit_date"] = int(time.time())
        return self._push({"edited_message": copy.deepcopy(self._public(stored))})

    def tap(self, user: dict[str, Any], message: dict[str, Any], data: str, *,
            inaccessible: bool = False) -> dict[str, Any]:
        """The user taps an inline button of `message` (as it is now) carrying `data`."""
        chat = message["chat"]
        current = self.messages.get((chat["id"], message["message_id"]), message)
        if inaccessible:  # too old for Telegram to include: date 0, as the Bot API sends it
            shown: dict[str, Any] = {"chat": chat, "message_id": current["message_id"],
                                     "date": 0}
        else:
            shown = self._public(copy.deepcopy(current))
        query_id = str(4_000_000_000 + next(self._query_ids))
        self.callback_queries[query_id] = {"answered": False, "at": time.monotonic(),
                                           "data": data, "user": user["id"]}
        return self._push({"callback_query": {
            "id": query_id, "from": user, "message": shown,
            "chat_instance": str(-(abs(chat["id"]) * 7919 % 10**18) or -1), "data": data}})

    def inline(self, user: dict[str, Any], query: str, *,
               chat_type: str = "private") -> dict[str, Any]:
        query_id = str(5_000_000_000 + next(self._query_ids))
        self.inline_queries[query_id] = {"answered": False, "query": query}
        return self._push({"inline_query": {"id": query_id, "from": user, "query": query,
                                            "offset": "", "chat_type": chat_type}})

    # -- what the test reads ---------------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method.lower() == method.lower()]

    def unanswered_callback_queries(self) -> list[str]:
        return [qid for qid, q in self.callback_queries.items() if not q["answered"]]


async def until(condition, timeout: float, step: float = 0.02) -> None:
    """Wait for `condition()` to hold, polling; fail the test after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(step)

"""The simulated users of `load.py`: who they are, what they say and tap, what they get back.

A user's conversation, in its own language: /start; a few questions from the matching dev
set (tests/matching/devset), sometimes a 👍 or a related question tapped under an answer,
a suggestion tapped when the bot is unsure; then Menu, "Check my eligibility" and the
interview, tapping the answer buttons the bot sent and typing the amounts it asks for;
then either a specialization look-up (Menu, "Look up a specialization", a name from the
mapping table) or a thank-you. Every choice comes from the script's own random seed and
the messages the bot actually sent, so a script played twice is the same conversation.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import defaultdict
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from bot_api_emulator import BotAPIEmulator

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "tests" / "matching" / "devset"
MAPPING = ROOT / "knowledge" / "mapping" / "symantec2014.yaml"
LANGS = ("ru", "fr", "pl")
THANKS = {"ru": "спасибо!", "fr": "merci beaucoup", "pl": "dziękuję"}
AMOUNTS = ("45000", "45k", "120 000 €", "8000", "250k", "12", "3", "60 000", "1,5 млн")
CONTROLS = frozenset({"back", "restart", "cancel", "?"})
MAX_INTERVIEW = 20  # answers before the user gives up (taps Cancel)

Action = tuple[str, Any]  # ("text", str) or ("tap", (message, callback data))


@dataclass(frozen=True)
class Script:
    seed: int
    lang: str
    questions: tuple[str, ...]
    lookup: str | None  # a specialization to look up at the end, or None


@dataclass(frozen=True)
class Expected:
    """What one step got in the warm-up: how many replies, and what they said."""

    count: int
    signature: tuple[tuple[str, str], ...]


@dataclass
class Arrival:
    at: float
    method: str
    message: dict[str, Any] | None  # None for answerCallbackQuery


class LoadEmulator(BotAPIEmulator):
    """The Bot API emulator noting, per chat, when each reply arrives, and waking the user
    who waits for it."""

    def __init__(self) -> None:
        super().__init__()
        self.inbox: defaultdict[int, list[Arrival]] = defaultdict(list)
        self._arrived: dict[int, asyncio.Event] = {}
        self.last_activity = 0.0  # when the bot last did anything for a user

    def _arrive(self, chat_id: int, method: str, message: dict[str, Any] | None) -> None:
        now = time.perf_counter()
        self.inbox[chat_id].append(Arrival(now, method, message))
        self.last_activity = now
        event = self._arrived.pop(chat_id, None)
        if event is not None:
            event.set()

    async def wait_replies(self, chat_id: int, count: int, deadline: float) -> bool:
        """Until the chat has `count` replies in all; False if `deadline` passes first."""
        while len(self.inbox[chat_id]) < count:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return False
            event = self._arrived.setdefault(chat_id, asyncio.Event())
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return len(self.inbox[chat_id]) >= count
        return True

    def api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        message = super().api_sendmessage(params)
        self._arrive(message["chat"]["id"], "sendMessage", message)
        return message

    def api_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        message = super().api_editmessagetext(params)
        if isinstance(message, dict):
            self._arrive(message["chat"]["id"], "editMessageText", message)
        return message

    def api_answercallbackquery(self, params: dict[str, Any]) -> bool:
        result = super().api_answercallbackquery(params)
        query = self.callback_queries[str(params.get("callback_query_id"))]
        self._arrive(query["user"], "answerCallbackQuery", None)
        return result

    def api_sendchataction(self, params: dict[str, Any]) -> bool:
        result = super().api_sendchataction(params)
        self.last_activity = time.perf_counter()
        return result


# -- scripts ---------------------------------------------------------------------------------
def _questions() -> dict[str, list[str]]:
    by_lang: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for path in sorted(DEVSET.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if item.get("lang") in by_lang:
                by_lang[item["lang"]].append(item["q"])
    return by_lang


def _specializations() -> list[str]:
    doc = yaml.safe_load(MAPPING.read_text(encoding="utf-8"))
    return [row["old"] for row in doc["rows"] if row.get("old")]


def scripts(count: int, seed: int = 7) -> list[Script]:
    """`count` distinct conversations, languages in turn, questions drawn from the dev set."""
    rng = random.Random(seed)
    questions = _questions()
    names = _specializations()
    out = []
    for i in range(count):
        lang = LANGS[i % len(LANGS)]
        asked = tuple(rng.sample(questions[lang], rng.randint(2, 4)))
        out.append(Script(rng.randrange(2**32), lang, asked,
                          rng.choice(names) if rng.random() < 0.5 else None))
    return out


# -- one conversation ------------------------------------------------------------------------
def buttons(message: dict[str, Any] | None) -> list[str]:
    rows = ((message or {}).get("reply_markup") or {}).get("inline_keyboard", [])
    return [b.get("callback_data", "") for row in rows for b in row]


def conversation(script: Script) -> Generator[Action, list[dict[str, Any]], None]:
    """What one user does: each `yield` is an update, sent back the messages it brought."""
    rng = random.Random(script.seed)
    shown: dict[str, Any] | None = None  # the latest message with buttons

    def see(messages: list[dict[str, Any]]) -> list[str]:
        nonlocal shown
        for message in messages:
            if buttons(message):
                shown = message
        return buttons(shown)

    def tap(data: str) -> Action:
        return ("tap", (shown, data))

    see((yield ("text", "/start")))
    for question in script.questions:
        datas = see((yield ("text", question)))
        related = [d for d in datas if d.startswith("a:")]
        if any(d.startswith("fb:u:") for d in datas):  # an answer
            roll = rng.random()
            if roll < 0.3:
                see((yield tap(next(d for d in datas if d.startswith("fb:u:")))))
            elif roll < 0.5 and related:
                see((yield tap(rng.choice(related))))
        elif "none" in datas and related:  # "did you mean...": pick one, usually
            see((yield tap(related[0] if rng.random() < 0.8 else "none")))

    datas = see((yield tap("m") if "m" in buttons(shown) else ("text", "/menu")))
    datas = see((yield tap("ck")))
    for _step in range(MAX_INTERVIEW):
        keys = [d for d in datas if d.startswith("cka:")]
        if not keys:  # the decision
            break
        answers = [d for d in keys if d[4:] not in CONTROLS]
        if "cka:?" in keys and rng.random() < 0.1:
            datas = see((yield tap("cka:?")))
        elif answers:
            datas = see((yield tap(rng.choice(answers))))
        else:  # a number to type
            datas = see((yield ("text", rng.choice(AMOUNTS))))
    else:
        datas = see((yield tap("cka:cancel")))

    if script.lookup and "m" in datas:
        datas = see((yield tap("m")))
        see((yield tap("map")))
        see((yield ("text", script.lookup)))
    else:
        see((yield ("text", THANKS[script.lang])))


def signature(arrivals: list[Arrival]) -> tuple[tuple[str, str], ...]:
    """What a step's replies said; a sent or an edited message count alike."""
    return tuple(("answer", "") if a.message is None else ("message", a.message["text"])
                 for a in arrivals)


@dataclass
class Player:
    """One simulated user playing its script against the emulator."""

    emulator: LoadEmulator
    chat: int
    script: Script
    expected: list[Expected] = field(default_factory=list)
    done: bool = False

    def __post_init__(self) -> None:
        self.user = self.emulator.user(self.chat, f"User{self.chat}",
                                       language_code=self.script.lang)
        self._steps = conversation(self.script)
        self._action: Action | None = next(self._steps)
        self.replies_expected = sum(e.count for e in self.expected)

    def __hash__(self) -> int:
        return self.chat

    def send(self) -> int:
        """Queue the next update; returns how many replies the chat had before it."""
        assert self._action is not None
        before = len(self.emulator.inbox[self.chat])
        kind, arg = self._action
        if kind == "text":
            self.emulator.send(self.user, arg)
        else:
            message, data = arg
            self.emulator.tap(self.user, message, data)
        return before

    def advance(self, arrivals: list[Arrival]) -> None:
        messages = [a.message for a in arrivals if a.message is not None]
        try:
            self._action = self._steps.send(messages)
        except StopIteration:
            self._action = None
            self.done = True

    def learn(self, start: int) -> Expected:
        """Warm-up: everything that came since `start` is this step's reply."""
        arrivals = self.emulator.inbox[self.chat][start:]
        self.advance(arrivals)
        return Expected(len(arrivals), signature(arrivals))

    async def play(self, think_mean: float, timeout: float, rng: random.Random,
                   result: Any, pacer: Any = None) -> None:
        """The timed run: each step as in the warm-up, its latency into `result`. With a
        `pacer`, a user who has finished thinking also waits for the next send slot."""
        if think_mean:
            await asyncio.sleep(rng.uniform(0, think_mean))  # not everyone at once
        for i, expected in enumerate(self.expected):
            if i and think_mean:
                await asyncio.sleep(rng.uniform(0.5, 1.5) * think_mean)
            if pacer is not None:
                await pacer.wait()
            start = self.send()
            sent = time.perf_counter()
            result.updates += 1
            result.sends.append(sent)
            arrived = await self.emulator.wait_replies(self.chat, start + expected.count,
                                                       sent + timeout)
            arrivals = self.emulator.inbox[self.chat][start:start + expected.count]
            if not arrived:
                result.lost += 1
                result.problems.append(f"user {self.chat}, step {i + 1}: "
                                       f"{len(arrivals)} of {expected.count} replies")
                return
            result.latencies.append(arrivals[-1].at - sent)
            if signature(arrivals) != expected.signature:
                result.wrong += 1
                result.problems.append(f"user {self.chat}, step {i + 1}: {signature(arrivals)}"
                                       f" instead of {expected.signature}"[:400])
                return
            self.advance(arrivals)

"""The guided check as a pure state machine, for any front end (Telegram, terminal, tests).

    state = start()                      # or start("sophos")
    while isinstance(q := step(state), Question):
        state, error = answer(state, input())   # error: same question again, with a reason
    q.decision                           # Done: the decision (None when cancelled)

It asks only what can still change the decision: the next unknown fact the engine names in
`Decision.open_facts`. "I don't know" (`SKIP`) leaves a fact unknown and moves on; the end
decision then says what it could not settle. The state is a plain value (`to_dict`,
`from_dict`) so a conversation survives a restart of the bot.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from eligibility import programs
from eligibility.decision import Decision
from eligibility.errors import EligibilityError

PROGRAM = "program"  # the pseudo-fact of the first question
SKIP = "?"  # the key of the "I don't know" button
CONTROL_WORDS = {  # typed instead of tapping I don't know, Back, Start over or Cancel
    "skip": frozenset({
        SKIP, "skip", "don't know", "dont know", "i don't know", "idk", "unknown",
        "не знаю", "незнаю", "пропустить", "хз", "неизвестно",
        "je ne sais pas", "sais pas", "je sais pas", "passer", "inconnu",
        "nie wiem", "pomiń", "pomin", "nie znam",
    }),
    "back": frozenset({"back", "назад", "вернуться", "шаг назад", "retour", "précédent",
                       "wstecz", "cofnij", "powrót"}),
    "restart": frozenset({"restart", "start over", "заново", "сначала", "начать заново",
                          "recommencer", "od nowa", "zacznij od nowa"}),
    "cancel": frozenset({"cancel", "stop", "отмена", "отменить", "стоп", "хватит",
                         "annuler", "arrêter", "anuluj", "przerwij", "koniec"}),
}
QUESTION_KINDS = {"money": "money", "count": "number", "percent": "number", "bool": "yes_no"}
YES_NO = ("yes", "no")
STATE_VERSION = 1


@dataclass(frozen=True)
class Question:
    """What to ask next: a fact, how it is answered, and which controls make sense."""

    fact: str  # a fact name, or "program"
    kind: str  # choice | number | money | yes_no
    program: str | None = None
    choices: tuple[str, ...] = ()  # answer keys, for buttons
    unit: str | None = None  # "EUR", "%" or None
    can_skip: bool = False
    can_back: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"fact": self.fact, "kind": self.kind, "program": self.program,
                "choices": list(self.choices), "unit": self.unit,
                "can_skip": self.can_skip, "can_back": self.can_back}


@dataclass(frozen=True)
class Done:
    decision: Decision | None  # None when the user cancelled
    cancelled: bool = False


@dataclass(frozen=True)
class InputError:
    """Why an answer was refused; the same question is asked again."""

    fact: str
    reason: str  # empty, not_a_number, not_whole, negative, too_large, too_many, wrong_currency,
    #              wrong_unit, not_yes_no, not_a_choice, no_question
    text: str  # what was typed (front ends escape it)
    limit: Any = None

    def to_dict(self) -> dict[str, Any]:
        limit = str(self.limit) if isinstance(self.limit, Decimal) else self.limit
        return {"fact": self.fact, "reason": self.reason, "text": self.text, "limit": limit}


@dataclass(frozen=True)
class State:
    program: str | None = None
    version: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)  # fact -> typed value
    history: tuple[str, ...] = ()  # facts answered or skipped, in order ("program" too)
    skipped: tuple[str, ...] = ()
    chose_program: bool = False  # the program was chosen in the interview, not given
    cancelled: bool = False

    def to_dict(self) -> dict[str, Any]:
        answers = {k: str(v) if isinstance(v, Decimal) else v for k, v in self.answers.items()}
        return {"v": STATE_VERSION, "program": self.program, "version": self.version,
                "answers": answers, "history": list(self.history),
                "skipped": list(self.skipped), "chose_program": self.chose_program,
                "cancelled": self.cancelled}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> State:
        """A saved state back; raises EligibilityError when it no longer fits the rules."""
        program = data.get("program")
        try:  # Decimals were saved as exact strings, not as a person would type them
            answers = {k: Decimal(v) if isinstance(v, str) else v
                       for k, v in (data.get("answers") or {}).items()}
        except InvalidOperation:
            raise EligibilityError("bad_state", "a saved answer is not a number") from None
        if program is not None:
            answers = programs.get(program).parse(answers, data.get("version"))
        elif answers:
            raise EligibilityError("bad_state", "answers without a program")
        return cls(program, data.get("version"), answers, tuple(data.get("history", ())),
                   tuple(data.get("skipped", ())), bool(data.get("chose_program")),
                   bool(data.get("cancelled")))


def start(program: str | None = None, version: str | None = None) -> State:
    """A new interview; without a program the first question is which one."""
    if program is None:
        return State(version=version)
    prog = programs.get(program)
    prog.resolve(version)  # an unknown version fails now, not at the first answer
    return State(prog.name, version)


def decision(state: State) -> Decision:
    """The decision on what has been answered so far."""
    if state.program is None:
        raise EligibilityError("no_program", "no program chosen yet")
    return programs.evaluate(state.program, state.answers, state.version)


def step(state: State) -> Question | Done:
    """The next question, or the end."""
    if state.cancelled:
        return Done(None, cancelled=True)
    if state.program is None:
        return Question(PROGRAM, "choice", choices=tuple(programs.PROGRAMS),
                        can_back=False)
    result = decision(state)
    pending = [f for f in result.open_facts if f not in state.skipped]
    if not pending:
        return Done(result)
    prog = programs.get(state.program)
    spec = prog.fact_specs(state.version)[pending[0]]
    kind = QUESTION_KINDS[spec.kind]
    return Question(spec.name, kind, prog.name, YES_NO if kind == "yes_no" else (), spec.unit,
                    can_skip=True, can_back=bool(state.history))


def _control(text: str) -> str | None:
    word = text.strip().lower().rstrip(".!").replace("’", "'")
    return next((name for name, words in CONTROL_WORDS.items() if word in words), None)


def answer(state: State, text: str) -> tuple[State, InputError | None]:
    """Take the answer to the current question; on a bad one the state does not move."""
    question = step(state)
    if isinstance(question, Done):
        return state, InputError("", "no_question", text)
    command = _control(text)
    if command and command != "skip":
        return COMMANDS[command](state), None
    if question.fact == PROGRAM:  # "I don't know" is no program: refused below
        key = text.strip().lower()
        if key not in question.choices:
            return state, InputError(PROGRAM, "not_a_choice", text)
        try:
            programs.get(key).resolve(state.version)
        except EligibilityError as exc:
            return state, InputError(PROGRAM, exc.reason, text)
        return replace(state, program=key, history=(*state.history, PROGRAM),
                       chose_program=True), None
    if command == "skip":
        return skip(state), None
    prog = programs.get(state.program)
    try:
        value = prog.fact_specs(state.version)[question.fact].parse(text)
        prog.parse({**state.answers, question.fact: value}, state.version)  # cross-fact checks
    except EligibilityError as exc:
        return state, InputError(question.fact, exc.reason, text, exc.detail.get("limit"))
    return replace(state, answers={**state.answers, question.fact: value},
                   history=(*state.history, question.fact)), None


def skip(state: State) -> State:
    """"I don't know": the current fact stays unknown and the interview moves on."""
    question = step(state)
    if isinstance(question, Done) or not question.can_skip:
        return state
    return replace(state, skipped=(*state.skipped, question.fact),
                   history=(*state.history, question.fact))


def back(state: State) -> State:
    """Undo the last answer (or skip, or the choice of program) and ask it again."""
    if state.cancelled or not state.history:
        return state
    last = state.history[-1]
    history = state.history[:-1]
    if last == PROGRAM:
        return replace(state, program=None, answers={}, skipped=(), history=history,
                       chose_program=False)
    answers = {k: v for k, v in state.answers.items() if k != last}
    skipped = tuple(f for f in state.skipped if f != last)
    return replace(state, answers=answers, skipped=skipped, history=history)


def restart(state: State) -> State:
    """Start over: every answer forgotten; the program too if it was chosen here."""
    if state.chose_program or state.program is None:
        return State(version=state.version)
    return State(state.program, state.version)


def cancel(state: State) -> State:
    """Stop; `step` then says Done with no decision."""
    return replace(state, cancelled=True)


COMMANDS = {"back": back, "restart": restart, "cancel": cancel, "skip": skip}
"""The controls a front end offers besides the answers, by the keys its buttons send."""

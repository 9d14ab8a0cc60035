"""The eligibility interview as a conversation: one question at a time, buttons where
the answer is a choice, free numbers otherwise, and the explained decision at the end.

The interview itself is `eligibility.interview` (pure); this module only keeps its
state in the session and turns its questions and decisions into replies.
"""

from __future__ import annotations

from bot.dialogue.journal import Journal
from bot.dialogue.replies import Button, Reply
from bot.dialogue.session import Session
from bot.eligibility_text import render_cancelled, render_decision, render_error, render_question
from bot.i18n import translations
from eligibility import interview
from eligibility.amounts import sums_in
from eligibility.errors import EligibilityError

KIND = "check"
ANSWER_ACTION = "cka"  # a tapped answer or control: "cka:yes", "cka:back", "cka:sophos"


class CheckFlow:
    def __init__(self, journal: Journal):
        self.journal = journal

    def active(self, session: Session) -> bool:
        return bool(session.flow and session.flow.get("kind") == KIND)

    def start(self, session: Session, program: str = "") -> list[Reply]:
        try:
            state = interview.start(program or None)
        except EligibilityError:
            state = interview.start()  # an unknown program (an old deep link): ask which
        return self._ask(session, state)

    def stated(self, session: Session, program: str, text: str) -> list[Reply] | None:
        """A question that states the figure the check asks first ("we did 120k€ with
        Sophos, which level?") is that check, already answered: the decision, or the next
        question. None when the text states no such figure, or one the check refuses."""
        sums = sums_in(text)
        if len(sums) != 1:
            return None
        try:
            state = interview.start(program)
        except EligibilityError:  # rules that cannot be checked (Smartsheet's tiers)
            return None
        first = interview.step(state)
        if not isinstance(first, interview.Question) or first.kind != "money":
            return None
        state, error = interview.answer(state, sums[0])
        return None if error else self._ask(session, state)

    def on_text(self, session: Session, text: str) -> list[Reply]:
        state = self._state(session)
        if state is None:
            return self.start(session)
        state, error = interview.answer(state, text)
        return self._ask(session, state, error)

    def on_key(self, session: Session, key: str) -> list[Reply]:
        """A button of the interview: an answer key or one of back/restart/cancel/skip."""
        state = self._state(session)
        if state is None:  # a button from a finished or forgotten interview
            return self.start(session)
        if key in interview.COMMANDS:
            return self._ask(session, interview.COMMANDS[key](state))
        state, error = interview.answer(state, key)
        return self._ask(session, state, error)

    def _state(self, session: Session) -> interview.State | None:
        if not self.active(session):
            return None
        try:
            return interview.State.from_dict(session.flow["state"])
        except (EligibilityError, KeyError, TypeError, ValueError):
            session.flow = None  # saved by an older version of the rules: start afresh
            return None

    def _ask(self, session: Session, state: interview.State,
             error: interview.InputError | None = None) -> list[Reply]:
        lang = session.lang
        _ = translations(lang).gettext
        step = interview.step(state)
        if isinstance(step, interview.Done):
            session.flow = None
            if step.decision is None:
                return [Reply(render_cancelled(lang), [[Button(_("Menu"), "m")]], kind="check")]
            self.journal.eligibility(session.user_id, step.decision.program,
                                     step.decision.result)
            rows = [[Button(_("Check again"), "ck"), Button(_("Menu"), "m")]]
            return [Reply(render_decision(step.decision, lang), rows, kind="decision")]
        session.flow = {"kind": KIND, "state": state.to_dict()}
        prompt = render_question(step, lang)
        rows = [[Button(label, f"{ANSWER_ACTION}:{key}") for label, key in row]
                for row in prompt.buttons]
        text = prompt.text
        if error is not None:
            text = render_error(error, lang) + "\n\n" + text
        return [Reply(text, rows, kind="check", expects_text=step.kind in ("number", "money"))]

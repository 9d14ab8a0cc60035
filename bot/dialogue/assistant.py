"""The assistant's conversation: one entry point for text, one for button taps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from html import escape

from bot import LANGUAGES
from bot.dialogue.checkflow import ANSWER_ACTION, CheckFlow
from bot.dialogue.journal import Journal, NullJournal
from bot.dialogue.mapflow import MapFlow
from bot.dialogue.onboarding import Onboarding
from bot.dialogue.replies import Button, Reply, shorten
from bot.dialogue.session import Session
from bot.i18n import translations
from bot.knowledgebase import Entry, KnowledgeBase
from bot.mapping import MappingTable
from bot.matcher import ANSWER, CLARIFY, SMALLTALK, Candidate, Match, Matcher

LANGUAGE_NAMES = {"ru": "Русский", "fr": "Français", "pl": "Polski"}


class Assistant:
    """Stateless itself: everything about a user lives in the `Session` passed in."""

    def __init__(self, kb: KnowledgeBase, matcher: Matcher, journal: Journal | None = None,
                 mapping: MappingTable | None = None):
        self.kb = kb
        self.matcher = matcher
        self.journal = journal or NullJournal()
        self.mapflow = MapFlow(mapping) if mapping else None
        self.onboarding = Onboarding(kb)
        self.checkflow = CheckFlow(self.journal)
        self.actions: dict[str, Callable[[Session, str], list[Reply]]] = {
            "m": self._menu, "ask": self._ask_prompt, "a": self._show_entry,
            "none": self._none_of_these, "fb": self._feedback, "t": self._topics,
            "lang": self._language, "map": self._map,
            "ob": lambda session, arg: self.onboarding.step(session, arg),
            "ck": self._check, ANSWER_ACTION: self._check_key,
        }

    # -- entry points ----------------------------------------------------------------
    def start(self, session: Session, payload: str = "") -> list[Reply]:
        """/start, optionally with a deep-link payload."""
        session.flow = None
        session.mode = None
        deep_links = {"check": "ck", "map": "map", "topics": "t", "onboarding": "ob"}
        name, _sep, arg = payload.partition("_")
        if name in deep_links:
            action = deep_links[name] + (f":{arg}" if arg else "")
            return self.handle_action(session, action)
        _ = translations(session.lang).gettext
        text = "\n".join([
            _("Hello! I am the partner program assistant."),
            _("I answer questions about vendors' partner programs (Symantec, Sophos, "
              "Smartsheet), check which partner tier you qualify for, and look up what an "
              "old Symantec specialization became."),
            _("Type your question in your own words, or pick from the menu."),
        ])
        buttons = self.menu_buttons(session.lang)
        if not session.lang_known and not session.lang_chosen:
            buttons = [[Button(name, f"lang:{code}") for code, name in LANGUAGE_NAMES.items()],
                       *buttons]
        return [Reply(text, buttons, kind="menu")]

    def handle_command(self, session: Session, command: str, arg: str = "") -> list[Reply]:
        """/command [arg], the same in Telegram and in the terminal."""
        command = command.lower().lstrip("/")
        if command == "start":
            return self.start(session, arg)
        if command == "help":
            return self.help(session)
        if command == "cancel":
            session.flow = None
            session.mode = None
            _ = translations(session.lang).gettext
            return [Reply(_("Cancelled."), self.menu_buttons(session.lang), kind="menu")]
        routes = {"menu": "m", "topics": "t", "language": "lang", "check": "ck", "map": "map",
                  "onboarding": "ob"}
        if command in routes:
            action = routes[command]
            if arg and command in ("check", "map", "language", "topics"):
                action = f"{action}:{arg}"
            return self.handle_action(session, action)
        _ = translations(session.lang).gettext
        return [Reply(_("I don't know that command. Here is what I can do."),
                      self.menu_buttons(session.lang), kind="menu")]

    def help(self, session: Session) -> list[Reply]:
        _ = translations(session.lang).gettext
        text = "\n".join([
            _("Ask me a question in your own words, in Russian, French or Polish."),
            "",
            "/topics — " + _("browse questions by program and topic"),
            "/check — " + _("check which partner tier you qualify for"),
            "/map — " + _("old Symantec specialization to new competency, and back"),
            "/language — " + _("choose the language"),
            "/privacy — " + _("what is stored about you, and /forget to erase it"),
            "/cancel — " + _("stop what is in progress"),
        ])
        return [Reply(text, self.menu_buttons(session.lang), kind="info")]

    def handle_text(self, session: Session, text: str) -> list[Reply]:
        text = (text or "").strip()
        if not text:
            _ = translations(session.lang).gettext
            return [Reply(_("Please type a question."), kind="info")]
        if self.checkflow.active(session):
            return self.checkflow.on_text(session, text)
        if session.mode == "map" and self.mapflow:
            return self.mapflow.lookup(session, text)
        return self.answer(session, text)

    def handle_action(self, session: Session, data: str) -> list[Reply]:
        """A button tap. Unknown or stale data (buttons from before a restart) is harmless."""
        name, _sep, arg = (data or "").partition(":")
        handler = self.actions.get(name)
        if handler is None:
            return self._stale(session)
        return handler(session, arg)

    # -- questions -------------------------------------------------------------------
    def answer(self, session: Session, text: str) -> list[Reply]:
        match = self.matcher.match(text, session.lang, after=session.last_entry)
        if not session.lang_chosen and match.lang in LANGUAGES:
            session.lang = match.lang
        lang = session.lang
        session.last_question = text
        if checked := self._stated_check(session, match, text):
            session.last_entry = match.entry  # "et chez Symantec ?" follows the levels
            replies = checked
        elif mapped := self.mapflow.answer(text, match.entry, lang) if self.mapflow else None:
            match = replace(match, kind=ANSWER, candidates=match.candidates[:1])  # the table
            replies = [mapped]  # answered for the entry it stands for
        else:
            if match.kind == ANSWER:
                session.last_entry = match.entry
            replies = [self.reply_for(match, lang)]
        if match.kind != SMALLTALK:
            self.journal.question(session.user_id, text, match.lang or lang, match)
        return replies

    def _stated_check(self, session: Session, match: Match, text: str) -> list[Reply] | None:
        """A question about a program's levels that states the partner's own figure is
        answered by the rules, for that figure, rather than with the thresholds."""
        entry = self.kb.entries.get(match.entry or "")
        if match.kind not in (ANSWER, CLARIFY) or entry is None or entry.topic != "tiers":
            return None
        program = self.kb.programs[entry.program].rules
        return self.checkflow.stated(session, program, text) if program else None

    def reply_for(self, match: Match, lang: str) -> Reply:
        _ = translations(lang).gettext
        if match.kind == ANSWER and match.entry:
            return self.entry_reply(self.kb.entries[match.entry], lang, kind="answer")
        if match.kind == CLARIFY:
            rows = self._entry_buttons(match.suggestions, lang)
            rows.append([Button(_("None of these"), "none")])
            return Reply(_("Did you mean one of these?"), rows, kind="clarify",
                         entry=match.entry)
        if match.kind == SMALLTALK:
            texts = {
                "greeting": _("Hello! Ask me about the Symantec, Sophos and Smartsheet partner "
                              "programs, or pick from the menu."),
                "thanks": _("You are welcome! Anything else?"),
                "bye": _("Goodbye, and good luck with your deals!"),
                "human": _("If I cannot answer your question, I will offer to pass it to a "
                           "partner manager. Try asking me in your own words first."),
            }
            return Reply(texts[match.smalltalk or "greeting"], self.menu_buttons(lang),
                         kind="smalltalk")
        if match.decline in self.kb.declines:
            text = self.kb.declines[match.decline].text(lang).answer
        elif match.foreign:
            text = _("I can only help with the partner programs of Symantec, Sophos and "
                     "Smartsheet, and with general questions about working in a partner "
                     "network. I have noted your question for the partner team.")
        else:
            text = _("Sorry, I don't know the answer to that yet. I have noted your question "
                     "for the partner team. Try other words, or browse the topics.")
        rows = [[Button(_("Browse topics"), "t")], [Button(_("Menu"), "m")]]
        if match.hints:
            text += "\n\n" + _("Perhaps one of these questions is close to yours:")
            rows[:0] = self._entry_buttons(match.hints, lang)
        return Reply(text, rows, kind="unknown")

    def _entry_buttons(self, candidates: list[Candidate], lang: str) -> list[list[Button]]:
        return [[Button(shorten(self.kb.entries[c.entry].text(lang).question), f"a:{c.entry}")]
                for c in candidates]

    def entry_reply(self, entry: Entry, lang: str, kind: str = "answer") -> Reply:
        _ = translations(lang).gettext
        text = entry.text(lang)
        program = self.kb.programs[entry.program].name[lang]
        body = f"<b>{escape(text.question)}</b>\n\n{text.answer}\n\n<i>{escape(program)}</i>"
        rows = [[Button("👍", f"fb:u:{entry.id}"), Button("👎", f"fb:d:{entry.id}")]]
        for rid in entry.related[:3]:
            rows.append([Button(shorten(self.kb.entries[rid].text(lang).question),
                                f"a:{rid}")])
        rows.append([Button(_("Menu"), "m")])
        return Reply(body, rows, kind=kind, entry=entry.id)

    # -- buttons ---------------------------------------------------------------------
    def menu_buttons(self, lang: str) -> list[list[Button]]:
        _ = translations(lang).gettext
        return [
            [Button(_("Ask a question"), "ask"), Button(_("Browse topics"), "t")],
            [Button(_("Check my eligibility"), "ck"), Button(_("Look up a specialization"),
                                                             "map")],
            [Button(_("I'm a new reseller"), "ob"), Button(_("Language"), "lang")],
        ]

    def _menu(self, session: Session, arg: str) -> list[Reply]:
        _ = translations(session.lang).gettext
        session.mode = None
        return [Reply(_("What would you like to do?"), self.menu_buttons(session.lang),
                      kind="menu")]

    def _ask_prompt(self, session: Session, arg: str) -> list[Reply]:
        _ = translations(session.lang).gettext
        session.mode = None
        return [Reply(_("Type your question in your own words, for example: "
                        "“What turnover does Sophos Gold need?”"), kind="info")]

    def _show_entry(self, session: Session, entry_id: str) -> list[Reply]:
        entry = self.kb.entries.get(entry_id)
        if entry is None:
            return self._stale(session)
        session.last_entry = entry_id
        return [self.entry_reply(entry, session.lang)]

    def _none_of_these(self, session: Session, arg: str) -> list[Reply]:
        _ = translations(session.lang).gettext
        text = _("Thank you, I have noted that none of these fit. Try other words, or browse "
                 "the topics.")
        return [Reply(text, [[Button(_("Browse topics"), "t")], [Button(_("Menu"), "m")]],
                      kind="unknown")]

    def _feedback(self, session: Session, arg: str) -> list[Reply]:
        vote, _sep, entry_id = arg.partition(":")
        if vote not in ("u", "d") or entry_id not in self.kb.entries:
            return self._stale(session)
        self.journal.feedback(session.user_id, entry_id, vote == "u")
        _ = translations(session.lang).gettext
        text = (_("Thank you for the feedback!") if vote == "u" else
                _("Thank you. The partner team will improve this answer."))
        return [Reply(text, kind="info")]

    def _topics(self, session: Session, arg: str) -> list[Reply]:
        """t -> programs; t:PROGRAM -> its topics; t:PROGRAM:TOPIC -> its questions."""
        lang = session.lang
        _ = translations(lang).gettext
        program_key, _sep, topic = arg.partition(":")
        program = self.kb.programs.get(program_key)
        if not program_key or program is None:
            rows = [[Button(p.name[lang], f"t:{key}")] for key, p in self.kb.programs.items()]
            rows.append([Button(_("Menu"), "m")])
            return [Reply(_("Choose a program:"), rows, kind="menu")]
        if not topic or topic not in program.topics:
            rows = [[Button(names[lang], f"t:{program_key}:{key}")]
                    for key, names in program.topics.items()
                    if self.kb.by_topic(program_key, key)]
            rows.append([Button("« " + _("Back"), "t")])
            return [Reply(f"<b>{escape(program.name[lang])}</b>\n" + _("Choose a topic:"),
                          rows, kind="menu")]
        rows = [[Button(shorten(e.text(lang).question), f"a:{e.id}")]
                for e in self.kb.by_topic(program_key, topic)]
        rows.append([Button("« " + _("Back"), f"t:{program_key}")])
        title = f"<b>{escape(program.topics[topic][lang])}</b>\n" + _("Choose a question:")
        return [Reply(title, rows, kind="menu")]

    def _language(self, session: Session, code: str) -> list[Reply]:
        if code in LANGUAGES:
            session.lang = code
            session.lang_chosen = True
            _ = translations(code).gettext
            return [Reply(_("Language set: English."), self.menu_buttons(code), kind="menu")]
        _ = translations(session.lang).gettext
        rows = [[Button(name, f"lang:{code}")] for code, name in LANGUAGE_NAMES.items()]
        return [Reply(_("Choose your language:"), rows, kind="menu")]

    def _check(self, session: Session, program: str) -> list[Reply]:
        session.mode = None
        return self.checkflow.start(session, program)

    def _check_key(self, session: Session, key: str) -> list[Reply]:
        return self.checkflow.on_key(session, key)

    def _map(self, session: Session, arg: str) -> list[Reply]:
        if self.mapflow is None:
            return self._stale(session)
        return self.mapflow.lookup(session, arg) if arg else self.mapflow.prompt(session)

    def _stale(self, session: Session) -> list[Reply]:
        _ = translations(session.lang).gettext
        return [Reply(_("That button is no longer active. Here is the menu."),
                      self.menu_buttons(session.lang), kind="menu")]

"""The assistant in a terminal: the same conversation, buttons shown as numbered choices."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from bot.core import Core
from bot.dialogue.replies import Button, Reply
from bot.dialogue.session import Session

PROMPT = "> "


def render(replies: list[Reply], out: TextIO) -> list[Button]:
    """Print replies as plain text; return the buttons in the order they were numbered."""
    buttons: list[Button] = []
    for reply in replies:
        out.write(reply.plain.rstrip() + "\n")
        for row in reply.buttons:
            cells = []
            for button in row:
                buttons.append(button)
                cells.append(f"[{len(buttons)}] {button.label}")
            out.write("   " + "   ".join(cells) + "\n")
        out.write("\n")
    return buttons


def step(core: Core, session: Session, line: str, buttons: list[Button]) -> list[Reply]:
    """One line typed: a button number, a /command, or free text."""
    line = line.strip()
    assistant = core.assistant
    if line.isdigit() and buttons and 1 <= int(line) <= len(buttons):
        return assistant.handle_action(session, buttons[int(line) - 1].action)
    if line.startswith("/"):
        command, _sep, arg = line[1:].partition(" ")
        return assistant.handle_command(session, command, arg.strip())
    return assistant.handle_text(session, line)


def run(core: Core, session: Session, inp: TextIO = sys.stdin, out: TextIO = sys.stdout,
        save: Callable[[Session], None] | None = None) -> None:
    out.write("Partner Program Assistant — /help, /quit\n\n")
    buttons = render(core.assistant.start(session), out)
    while True:
        out.write(PROMPT)
        out.flush()
        line = inp.readline()
        if not line or line.strip() in ("/quit", "/exit"):
            out.write("\n")
            return
        if not line.strip():
            continue
        try:
            replies = step(core, session, line, buttons)
        except Exception:  # the chat must outlive any one bad message
            import logging

            logging.getLogger(__name__).exception("reply failed")
            replies = [Reply("Sorry, something went wrong. Please try again.")]
        buttons = render(replies, out) or buttons
        if save:
            save(session)

"""The command menu Telegram shows beside the text field, localized per language.

`set_my_commands` is called once per language (ru, fr, pl) with `language_code`, so
each user sees descriptions in their Telegram language, plus once without a
language for everyone else (in Russian, the assistant's default language).
"""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeDefault
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot import LANGUAGES
from bot.telegram.i18n import DEFAULT_LANG, _, gettext_for

log = logging.getLogger(__name__)

# Every command the assistant understands, in menu order, with its description.
COMMANDS: dict[str, str] = {
    "start": _("Start over and show the main menu"),
    "help": _("What I can do"),
    "topics": _("Browse questions by program and topic"),
    "check": _("Check which partner tier you qualify for"),
    "map": _("Old Symantec specialization to new competency"),
    "language": _("Choose the language"),
    "cancel": _("Stop what is in progress"),
    "menu": _("Main menu"),
    "privacy": _("What I store about you, and for how long"),
    "forget": _("Erase everything I store about you"),
}
# Commands the Telegram layer answers itself (`privacy`); the core knows the others.
TELEGRAM_ONLY = frozenset({"privacy", "forget"})
# The staff's /stats, /unanswered and /reload are deliberately absent: see `staff`.


def bot_commands(lang: str) -> list[BotCommand]:
    gettext = gettext_for(lang)
    return [BotCommand(name, gettext(description)) for name, description in COMMANDS.items()]


async def set_commands(bot: ExtBot) -> bool:
    """Publish the menus; a failure is logged, never fatal (the bot works without them)."""
    try:
        for lang in LANGUAGES:
            await bot.set_my_commands(bot_commands(lang), scope=BotCommandScopeDefault(),
                                      language_code=lang)
        await bot.set_my_commands(bot_commands(DEFAULT_LANG), scope=BotCommandScopeDefault())
    except TelegramError as exc:
        log.warning("could not set the command menus: %s", exc)
        return False
    return True

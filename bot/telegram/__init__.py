"""The Telegram front end: python-telegram-bot updates in, `Assistant` calls, replies out.

Nothing here decides what to say: `bot.dialogue` does. This package only translates
Telegram's updates into `Assistant` calls, renders `Reply` objects as Telegram
messages, keeps each user's `Session` in SQLite between updates, and deals with
Telegram itself (command menus, inline mode, groups, flood limits, blocked users).
"""

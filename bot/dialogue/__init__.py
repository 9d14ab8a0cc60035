"""The conversation, independent of any front end: text and taps in, replies out.

Telegram (`bot.telegram`) and the terminal (`bot.chat`) only translate their own
input into `Assistant` calls and render its `Reply` objects.
"""

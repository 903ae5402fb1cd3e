"""The one-line answer outside the private chat: personal data is shown only there."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import N_, gettext_for

NOTICE = N_("I show personal data only in our private chat. Open it with the button below.")
BUTTON = N_("Open the private chat")


def private_chat_link(bot_username: str) -> str:
    """Return the link that opens the private chat with the bot (no start payload: not a code)."""
    return f"https://t.me/{bot_username}"


def private_notice(language: str, bot_username: str) -> tuple[str, InlineKeyboardMarkup]:
    """Return the notice and its one button, in the user's language."""
    _ = gettext_for(language)
    button = InlineKeyboardButton(_(BUTTON), url=private_chat_link(bot_username))
    return _(NOTICE), InlineKeyboardMarkup([[button]])

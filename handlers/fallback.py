"""The last resort: anything not understood gets a short helpful reply with the menu."""

import logging

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.chat.commands import menu_keyboard
from bot.chat.context import Context, viewer_of
from bot.i18n import gettext_for

logger = logging.getLogger(__name__)


async def not_understood(update: Update, context: Context) -> None:
    """Say what we can do instead of staying silent."""
    message = update.effective_message
    assert message is not None
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    if message.text and message.text.startswith("/"):
        text = _("I don't know that command. Here is what I can do: /help")
    else:
        text = _("Sorry, I didn't understand that. Use the menu below or /help.")
    await message.reply_text(
        text, reply_markup=menu_keyboard(viewer.role, viewer.language, context.bot_data.registered)
    )


async def stale_button(update: Update, context: Context) -> None:
    """Answer a button nobody handles (out of date or forged) instead of leaving it spinning."""
    query = update.callback_query
    assert query is not None
    viewer = viewer_of(context)
    logger.info("answered unknown button data %r from %s", (query.data or "")[:64], viewer.actor)
    _ = gettext_for(viewer.language)
    await query.answer(_("This button is out of date. Please ask again."), show_alert=False)


HANDLERS = [
    CallbackQueryHandler(stale_button),
    MessageHandler(filters.ChatType.PRIVATE & ~filters.UpdateType.EDITED, not_understood),
]

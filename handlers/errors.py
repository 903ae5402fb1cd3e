"""The error handler: log the traceback, apologise to the user in their language."""

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.chat.context import Context
from bot.i18n import gettext_for, pick_language
from models.access import AccessDenied, audit

logger = logging.getLogger(__name__)


async def handle_error(update: object, context: Context) -> None:
    """Turn a refusal into a polite answer and any crash into a short apology."""
    if not isinstance(update, Update) or update.effective_chat is None:
        logger.error("error outside an update", exc_info=context.error)
        return
    viewer = context.user_data.get("viewer") if context.user_data is not None else None
    user = update.effective_user
    language = (
        viewer.language
        if viewer
        else pick_language(
            None, user.language_code if user else None, context.bot_data.settings.default_language
        )
    )
    _ = gettext_for(language)
    if isinstance(context.error, AccessDenied):
        logger.info("refused %s: %s", update.effective_chat.id, context.error.what)
        async with context.bot_data.sessionmaker.begin() as session:
            await audit(session, viewer=viewer, action="refused", target=context.error.what)
        text = _("Sorry, you don't have access to that.")
    else:
        logger.error("handler crashed on update %s", update.update_id, exc_info=context.error)
        text = _("Sorry, something went wrong on our side. Please try again in a minute.")
    try:
        await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError:
        logger.warning("could not tell chat %s about the error", update.effective_chat.id)

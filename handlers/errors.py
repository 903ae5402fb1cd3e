"""The error handler: log the traceback, apologise to the user in their language."""

import contextlib
import logging

from telegram import Update
from telegram.error import TelegramError

from bot.chat.context import Context
from bot.chat.sanitize import clean_text
from bot.i18n import gettext_for, pick_language
from models.access import AccessDenied, Viewer, audit

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
        await _audit_refusal(context, viewer, clean_text(context.error.what))
        text = _("Sorry, you don't have access to that.")
    else:
        logger.error("handler crashed on update %s", update.update_id, exc_info=context.error)
        text = _("Sorry, something went wrong on our side. Please try again in a minute.")
    # The handler may have answered the press already; the message below is what counts.
    with contextlib.suppress(TelegramError):
        if update.callback_query is not None:
            await update.callback_query.answer()  # stop the button's spinner
    try:
        await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError:
        logger.warning("could not tell chat %s about the error", update.effective_chat.id)


async def _audit_refusal(context: Context, viewer: Viewer | None, what: str) -> None:
    """Log a refusal; if the database cannot take it, the refusal itself still goes out."""
    try:
        async with context.bot_data.sessionmaker.begin() as session:
            await audit(session, viewer=viewer, action="refused", target=what)
    except Exception:  # the audit write must not turn a refusal into a second crash
        logger.exception("could not write the refusal of %s to the audit log", what)

"""Group -1, the gate: clean the update, identify the sender, and stop the update if that fails."""

import logging
from dataclasses import replace
from datetime import datetime

from telegram import InaccessibleMessage, Update, User
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.chat.callback_data import MAX_CALLBACK_BYTES
from bot.chat.context import Context
from bot.chat.sanitize import CONTROL, clean_update
from bot.config import Settings
from bot.i18n import gettext_for, pick_language
from models.access import ADMIN_ROLES, GroupRef, Viewer, Ward, audit
from models.account_queries import Registration, register_account
from models.guardian_queries import list_wards
from models.i18n import Language

logger = logging.getLogger(__name__)

# What someone linked to a person who has left may still do: manage or end their account.
ALLOWED_WHEN_INACTIVE = frozenset({"start", "help", "language", "privacy", "mydata", "forget"})
BUTTONS_WHEN_INACTIVE = ("lang:", "forget:")


async def register_sender(update: Update, context: Context) -> None:
    """Attach the sender's Viewer to user_data, or stop the update: no handler runs unchecked."""
    if context.user_data is not None:
        # Never let a Viewer read for an earlier update speak for this one.
        context.user_data.pop("viewer", None)
        context.user_data.pop("stamps", None)
    if clean_update(update):
        logger.info("removed control characters from update %s", update.update_id)
    try:
        await _admit(update, context)
    except ApplicationHandlerStop:
        raise
    except Exception:  # fail closed: whatever broke, nothing runs without a checked identity
        if context.user_data is not None:
            context.user_data.pop("viewer", None)
        logger.exception("could not identify the sender of update %s", update.update_id)
        await _apologise(update, context)
        raise ApplicationHandlerStop from None


async def _admit(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None or context.user_data is None:
        return
    settings = context.bot_data.settings
    async with context.bot_data.sessionmaker.begin() as session:
        registration = await register_account(
            session,
            telegram_id=user.id,
            first_name=user.first_name or "",
            username=user.username or "",
            telegram_language=user.language_code,
        )
        stamps = await context.bot_data.stamps.current(session, version=registration.data_version)
        roles: frozenset[str] = frozenset()
        tutor_groups: tuple[GroupRef, ...] = ()
        staff_id = registration.account.staff_id
        if staff_id is not None and registration.active:
            roles, tutor_groups = await context.bot_data.staff_access.get(
                session, staff_id=staff_id, stamps=stamps
            )
        wards: tuple[Ward, ...] = ()
        if registration.account.ward_id is not None:  # set only on a guardian's account
            today = datetime.now(settings.tz).date()
            wards = await list_wards(session, telegram_id=user.id, today=today)
    viewer = replace(_viewer(user, registration, roles, tutor_groups, settings), wards=wards)
    if not registration.active:
        await _refuse_inactive(update, context, viewer, registration)
    await _check_button(update, context, viewer)
    context.user_data["stamps"] = stamps
    context.user_data["viewer"] = viewer


def _viewer(
    user: User,
    registration: Registration,
    roles: frozenset[str],
    tutor_groups: tuple[GroupRef, ...],
    settings: Settings,
) -> Viewer:
    """Build the Viewer; someone whose person is no longer active is seen as a visitor."""
    account = registration.account
    active = registration.active
    return Viewer(
        telegram_id=user.id,
        language=pick_language(account.language, user.language_code, settings.default_language),
        first_name=user.first_name or "",
        account_id=account.id,
        student_id=account.student_id if active else None,
        student_group_id=registration.student_group_id if active else None,
        student_name=registration.student_name if active else "",
        staff_id=account.staff_id if active else None,
        roles=roles,
        tutor_groups=tutor_groups,
        is_admin=(active and (account.is_admin or bool(roles & ADMIN_ROLES)))
        or user.id in settings.admin_telegram_ids,
        ward_id=account.ward_id,
    )


async def _refuse_inactive(
    update: Update, context: Context, viewer: Viewer, registration: Registration
) -> None:
    """Tell someone linked to a person who has left that the account is inactive, and log it."""
    account = registration.account
    linked = f"student:{account.student_id}" if account.student_id else f"staff:{account.staff_id}"
    async with context.bot_data.sessionmaker.begin() as session:
        await audit(session, viewer=viewer, action="inactive_account", target=linked)
    logger.info("update %s from an account linked to inactive %s", update.update_id, linked)
    if _allowed_when_inactive(update):
        return
    _ = gettext_for(viewer.language)
    await _tell(
        update,
        context,
        _(
            "Your account is no longer active. If this is a mistake, please contact the study "
            "department."
        ),
    )
    raise ApplicationHandlerStop


def _allowed_when_inactive(update: Update) -> bool:
    query = update.callback_query
    if query is not None:
        return (query.data or "").startswith(BUTTONS_WHEN_INACTIVE)
    message = update.message
    if message is None or not message.text or not message.text.startswith("/"):
        return False
    command = message.text.split(maxsplit=1)[0][1:].split("@", 1)[0].casefold()
    return command in ALLOWED_WHEN_INACTIVE


async def _check_button(update: Update, context: Context, viewer: Viewer) -> None:
    """Answer what no button handler could serve: data empty, too long or with control
    characters, or a press under a message the bot can no longer read or edit."""
    query = update.callback_query
    if query is None or query.game_short_name:
        return
    data = query.data or ""
    size = len(data.encode())
    gone = isinstance(query.message, InaccessibleMessage)
    if data and size <= MAX_CALLBACK_BYTES and not CONTROL.search(data) and not gone:
        return
    logger.info("refused a button (%d bytes, message gone: %s) from %s", size, gone, viewer.actor)
    _ = gettext_for(viewer.language)
    await _tell(update, context, _("This button is out of date. Please ask again."))
    raise ApplicationHandlerStop


async def _apologise(update: Update, context: Context) -> None:
    user = update.effective_user
    language: Language = pick_language(
        None, user.language_code if user else None, context.bot_data.settings.default_language
    )
    _ = gettext_for(language)
    await _tell(
        update, context, _("Sorry, something went wrong on our side. Please try again in a minute.")
    )


async def _tell(update: Update, context: Context, text: str) -> None:
    """Answer once: a button press with a notice, a private chat with a message; never raise."""
    chat = update.effective_chat
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.inline_query is not None:
            await update.inline_query.answer([], cache_time=0, is_personal=True)
        elif chat is not None and chat.type == chat.PRIVATE:
            await context.bot.send_message(chat.id, text)
    except TelegramError:
        logger.warning("could not answer update %s", update.update_id)


HANDLERS = [TypeHandler(Update, register_sender)]

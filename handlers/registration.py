"""Group -1: register the sender, attach their Viewer and the data's import stamps to the update."""

from telegram import Update
from telegram.ext import TypeHandler

from bot.chat.context import Context
from bot.i18n import pick_language
from models.access import ADMIN_ROLES, GroupRef, Viewer
from models.account_queries import register_account


async def register_sender(update: Update, context: Context) -> None:
    """Load or create the sender's account and put their Viewer into user_data."""
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
        account = registration.account
        stamps = await context.bot_data.stamps.current(session, version=registration.data_version)
        context.user_data["stamps"] = stamps
        roles: frozenset[str] = frozenset()
        tutor_groups: tuple[GroupRef, ...] = ()
        if account.staff_id is not None:
            roles, tutor_groups = await context.bot_data.staff_access.get(
                session, staff_id=account.staff_id, stamps=stamps
            )
        context.user_data["viewer"] = Viewer(
            telegram_id=user.id,
            language=pick_language(account.language, user.language_code, settings.default_language),
            first_name=user.first_name or "",
            account_id=account.id,
            student_id=account.student_id,
            student_group_id=registration.student_group_id,
            student_name=registration.student_name,
            staff_id=account.staff_id,
            roles=roles,
            tutor_groups=tutor_groups,
            is_admin=account.is_admin
            or bool(roles & ADMIN_ROLES)
            or user.id in settings.admin_telegram_ids,
        )


HANDLERS = [TypeHandler(Update, register_sender)]

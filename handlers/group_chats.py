"""Group chats: the bot answers in private only, so it says so and leaves a group it is added to."""

import logging

from telegram import ChatMemberUpdated, Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError
from telegram.ext import ChatMemberHandler

from bot.chat.context import Context
from bot.i18n import gettext_for, pick_language

logger = logging.getLogger(__name__)


async def leave_group(update: Update, context: Context) -> None:
    """Explain that personal data stays in private chats, then leave the group."""
    change: ChatMemberUpdated | None = update.my_chat_member
    assert change is not None
    if change.chat.type == "private":
        return
    if change.new_chat_member.status not in (
        ChatMemberStatus.MEMBER,
        ChatMemberStatus.ADMINISTRATOR,
    ):
        return
    language = pick_language(
        None, change.from_user.language_code, context.bot_data.settings.default_language
    )
    _ = gettext_for(language)
    try:
        await context.bot.send_message(
            change.chat.id,
            _("I only work in private chats, to keep personal data private. Write to me directly."),
        )
        await context.bot.leave_chat(change.chat.id)
    except TelegramError as exc:
        logger.info("could not leave chat %s: %s", change.chat.id, exc)


HANDLERS = [ChatMemberHandler(leave_group, ChatMemberHandler.MY_CHAT_MEMBER)]

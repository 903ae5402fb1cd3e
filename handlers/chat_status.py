"""A person blocking or unblocking the bot in their private chat: stop or resume writing to them."""

from sqlalchemy import update as sql_update
from sqlmodel import col
from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.ext import ChatMemberHandler

from bot.chat.context import Context
from models.accounts import TelegramAccount


async def record_chat_status(update: Update, context: Context) -> None:
    """Mark the account blocked when the person blocks the bot, and unblocked when they return."""
    change = update.my_chat_member
    assert change is not None
    if change.chat.type != "private":
        return
    blocked = change.new_chat_member.status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT)
    async with context.bot_data.sessionmaker.begin() as session:
        await session.execute(
            sql_update(TelegramAccount)
            .where(col(TelegramAccount.telegram_id) == change.from_user.id)
            .values(blocked=blocked)
        )


HANDLERS = [ChatMemberHandler(record_chat_status, ChatMemberHandler.MY_CHAT_MEMBER)]

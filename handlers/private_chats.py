"""Group -2: outside the private chat nothing personal is answered, whatever the feature."""

import logging
import re

from telegram import CallbackQuery, Chat, Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.chat.context import Context
from bot.chat.private_notice import private_notice
from bot.i18n import Language, pick_language
from models.account_queries import get_account
from models.chat_allow_list import is_chat_allowed

logger = logging.getLogger(__name__)

# What an allowed group may ask: the same answer for anyone, whoever asks.
PUBLIC_COMMANDS = frozenset({"consult"})
PUBLIC_WITH_ARGUMENT = frozenset({"timetable"})  # without one: the asker's own timetable
PUBLIC_BUTTONS = re.compile(r"^(tt|cs):")  # timetable navigation, consultation hours
# Decides itself who may use it in a group: an admin allows the group from inside it.
SELF_GUARDED = frozenset({"groupchats"})


def command_of(message: Message | None, bot_username: str) -> tuple[str, bool] | None:
    """Return a command addressed to this bot and whether it has arguments, else None."""
    if message is None or not message.text:
        return None
    entity = message.entities[0] if message.entities else None
    if entity is None or entity.type != MessageEntity.BOT_COMMAND or entity.offset != 0:
        return None
    name, _, addressee = message.text[1 : entity.length].partition("@")
    if addressee and addressee.casefold() != bot_username.casefold():
        return None  # a command for another bot in the same group
    return name.casefold(), bool(message.text[entity.length :].strip())


def _is_private(update: Update) -> bool:
    """Tell whether the update comes from the sender's own chat with the bot."""
    chat = update.effective_chat
    message = update.effective_message
    if message is not None and message.business_connection_id:
        return False  # a business account's chat with its customer, not with the bot
    return chat is not None and chat.type == ChatType.PRIVATE


async def _language(update: Update, context: Context) -> Language:
    default = context.bot_data.settings.default_language
    user = update.effective_user
    if user is None:
        return default
    async with context.bot_data.sessionmaker() as session:
        account = await get_account(session, telegram_id=user.id)
    return pick_language(account.language if account else None, user.language_code, default)


async def _allowed(context: Context, chat: Chat | None) -> bool:
    if chat is None:
        return False
    async with context.bot_data.sessionmaker() as session:
        return await is_chat_allowed(session, chat_id=chat.id)


async def _refuse_button(update: Update, context: Context, query: CallbackQuery) -> None:
    text, _ = private_notice(await _language(update, context), context.bot.username)
    try:
        await query.answer(text, show_alert=True)
    except TelegramError as exc:
        logger.info("could not answer a button outside the private chat: %s", exc)


async def _refuse_command(update: Update, context: Context, message: Message) -> None:
    text, markup = private_notice(await _language(update, context), context.bot.username)
    try:
        await message.reply_text(text, reply_markup=markup)
    except TelegramError as exc:  # restricted in the group, or not a channel's admin
        logger.info("could not answer in chat %s: %s", message.chat.id, exc)


async def _leave(context: Context, chat: Chat) -> None:
    """Leave a chat that is not on the allow-list (added before the list, or never left)."""
    try:
        await context.bot.leave_chat(chat.id)
        logger.info("left chat %s, which is not on the allow-list", chat.id)
    except TelegramError as exc:
        logger.info("could not leave chat %s: %s", chat.id, exc)


async def keep_personal_data_private(update: Update, context: Context) -> None:
    """Let private chats through; elsewhere only public answers in allowed chats, else a notice."""
    if _is_private(update) or update.inline_query or update.chosen_inline_result:
        return  # inline mode offers public results only
    if update.my_chat_member or update.chat_member:
        return  # membership changes: group_chats leaves the chat, chat_status records blocks
    chat = update.effective_chat
    query = update.callback_query
    if query is not None:
        if PUBLIC_BUTTONS.match(query.data or "") and await _allowed(context, chat):
            return
        await _refuse_button(update, context, query)
        raise ApplicationHandlerStop
    message = update.effective_message
    command = command_of(message, context.bot.username)
    if command is None or message is None or chat is None:
        raise ApplicationHandlerStop  # not addressed to us: stay silent
    name, has_argument = command
    if name in SELF_GUARDED and message.from_user is not None:
        return
    allowed = await _allowed(context, chat)
    if allowed and (name in PUBLIC_COMMANDS or (name in PUBLIC_WITH_ARGUMENT and has_argument)):
        return
    if name in context.bot_data.registered:
        await _refuse_command(update, context, message)
    if not allowed:
        await _leave(context, chat)
    raise ApplicationHandlerStop


HANDLERS = [TypeHandler(Update, keep_personal_data_private)]

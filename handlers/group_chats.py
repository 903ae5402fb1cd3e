"""Group chats and channels: the bot leaves them unless an admin allowed one for public answers."""

import html
import logging
import re
from datetime import UTC, datetime

from telegram import (
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageOriginChannel,
    MessageOriginChat,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.chat.context import Context, viewer_of
from bot.chat.private_notice import private_notice
from bot.chat.replies import edit_html, send_html
from bot.i18n import Gettext, gettext_for
from models.access import Viewer, audit
from models.chat_allow_list import (
    create_allowed_chat,
    delete_allowed_chat,
    is_chat_allowed,
    is_group_chat_id,
    list_allowed_chats,
)

logger = logging.getLogger(__name__)

MANAGE = re.compile(r"^gc:(allow|rm):(-\d{1,16})$")
GONE = (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)


def _allow_button(_: Gettext, chat_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("Allow this chat"), callback_data=f"gc:allow:{chat_id}")]]
    )


async def _leave(context: Context, chat_id: int) -> None:
    try:
        await context.bot.leave_chat(chat_id)
        logger.info("left chat %s", chat_id)
    except TelegramError as exc:
        logger.info("could not leave chat %s: %s", chat_id, exc)


async def leave_group(update: Update, context: Context) -> None:
    """Leave a group or channel the bot was added to, whatever its status, unless it is allowed."""
    change = update.my_chat_member
    assert change is not None
    chat = change.chat
    if chat.type == ChatType.PRIVATE or change.new_chat_member.status in GONE:
        return
    async with context.bot_data.sessionmaker() as session:
        if await is_chat_allowed(session, chat_id=chat.id):
            return
    viewer = viewer_of(context)  # whoever added the bot
    _ = gettext_for(viewer.language)
    if chat.type != ChatType.CHANNEL:
        try:  # a restricted bot may not write: it leaves all the same
            await context.bot.send_message(
                chat.id,
                _(
                    "I only work in private chats, to keep personal data private. "
                    "Write to me directly."
                ),
            )
        except TelegramError as exc:
            logger.info("could not say goodbye in chat %s: %s", chat.id, exc)
    await _leave(context, chat.id)
    if viewer.is_admin:
        await _offer_to_allow(context, viewer, chat)


async def _offer_to_allow(context: Context, viewer: Viewer, chat: Chat) -> None:
    """Tell the admin who added the bot how to allow the chat for public answers."""
    _ = gettext_for(viewer.language)
    text = _(
        "You added me to “{title}” ({chat_id}). I left it: group chats get public answers "
        "only (timetables, consultation hours), and only when an administrator allows them. "
        "Allow it, then add me again."
    ).format(title=html.escape(chat.title or ""), chat_id=chat.id)
    try:
        await send_html(
            context.bot, viewer.telegram_id, text, reply_markup=_allow_button(_, chat.id)
        )
    except TelegramError as exc:  # the admin never opened the private chat
        logger.info("could not tell admin %s about chat %s: %s", viewer.telegram_id, chat.id, exc)


async def _allow(context: Context, viewer: Viewer, chat_id: int, title: str) -> bool:
    async with context.bot_data.sessionmaker.begin() as session:
        added = await create_allowed_chat(
            session,
            chat_id=chat_id,
            title=title,
            allowed_by=viewer.telegram_id,
            now=datetime.now(UTC),
        )
        if added:
            await audit(
                session,
                viewer=viewer,
                action="groupchats:allow",
                target=f"chat:{chat_id}",
                detail=title,
            )
    return added


async def _remove(context: Context, viewer: Viewer, chat_id: int) -> bool:
    async with context.bot_data.sessionmaker.begin() as session:
        removed = await delete_allowed_chat(session, chat_id=chat_id)
        if removed:
            await audit(
                session, viewer=viewer, action="groupchats:remove", target=f"chat:{chat_id}"
            )
    if removed:
        await _leave(context, chat_id)
    return removed


async def _listing(context: Context, _: Gettext) -> str:
    async with context.bot_data.sessionmaker() as session:
        chats = await list_allowed_chats(session)
    lines = [_("<b>Group chats allowed for public answers</b>")]
    lines += [f"• <code>{c.chat_id}</code> {html.escape(c.title)}" for c in chats]
    if not chats:
        lines.append(_("None: I leave every group and channel I am added to."))
    lines += [
        "",
        _(
            "Allow a chat: <code>/groupchats allow CHAT_ID</code>, or send "
            "<code>/groupchats allow</code> in the group itself."
        ),
        _("Remove one (I leave it): <code>/groupchats remove CHAT_ID</code>"),
    ]
    return "\n".join(lines)


def _chat_id(text: str) -> int | None:
    if not re.fullmatch(r"-\d{1,16}", text):
        return None
    number = int(text)
    return number if is_group_chat_id(number) else None


async def _in_group(context: Context, viewer: Viewer, chat: Chat, action: str) -> None:
    """Allow (or remove) the group the command was sent in."""
    _ = gettext_for(viewer.language)
    if action == "remove":
        await _remove(context, viewer, chat.id)
        return
    if action != "allow":
        text, markup = private_notice(viewer.language, context.bot.username)
        await send_html(context.bot, chat.id, html.escape(text), reply_markup=markup)
        return
    await _allow(context, viewer, chat.id, chat.title or "")
    await send_html(
        context.bot, chat.id, _("This chat is allowed: timetables and consultation hours only.")
    )


async def manage_group_chats(update: Update, context: Context) -> None:
    """/groupchats [allow|remove CHAT_ID]: the admins' allow-list of group chats."""
    chat = update.effective_chat
    assert chat is not None  # guaranteed by CommandHandler
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    args = [a.casefold() for a in (context.args or [])][:2]
    action = args[0] if args else ""
    if not viewer.is_admin:
        async with context.bot_data.sessionmaker.begin() as session:
            await audit(session, viewer=viewer, action="refused", target="groupchats")
        if chat.type != ChatType.PRIVATE:
            text, markup = private_notice(viewer.language, context.bot.username)
            await send_html(context.bot, chat.id, html.escape(text), reply_markup=markup)
            return
        await send_html(
            context.bot, chat.id, _("Only the school's administrators can manage group chats.")
        )
        return
    if chat.type != ChatType.PRIVATE:
        await _in_group(context, viewer, chat, action)
        return
    target = _chat_id(args[1]) if len(args) == 2 else None
    if action not in ("allow", "remove") or target is None:
        await send_html(context.bot, chat.id, await _listing(context, _))
        return
    if action == "allow":
        done = await _allow(context, viewer, target, "")
        text = _("Allowed: {chat_id}.") if done else _("{chat_id} was allowed already.")
    else:
        done = await _remove(context, viewer, target)
        text = _("Removed: {chat_id}.") if done else _("{chat_id} was not on the list.")
    await send_html(context.bot, chat.id, text.format(chat_id=target))


class _ForwardedFromAChat(filters.MessageFilter):
    """A message forwarded from a channel or posted in a group on the group's behalf."""

    def filter(self, message: Message) -> bool:
        return _origin_chat(message) is not None


def _origin_chat(message: Message) -> Chat | None:
    origin = message.forward_origin
    if isinstance(origin, MessageOriginChannel):
        return origin.chat
    if isinstance(origin, MessageOriginChat):
        return origin.sender_chat
    return None


async def offer_forwarded_chat(update: Update, context: Context) -> None:
    """An admin forwarded a message from a chat: offer to allow that chat."""
    message = update.effective_message
    assert message is not None
    chat = _origin_chat(message)
    assert chat is not None  # guaranteed by the handler's filter
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    if not viewer.is_admin:
        await message.reply_text(_("Sorry, I didn't understand that. Use the menu below or /help."))
        return
    text = _("Allow “{title}” ({chat_id}) for public answers?").format(
        title=html.escape(chat.title or ""), chat_id=chat.id
    )
    await send_html(context.bot, message.chat.id, text, reply_markup=_allow_button(_, chat.id))


async def press_manage(update: Update, context: Context) -> None:
    """The admin's "Allow this chat" button, re-checked on every press."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    match = MANAGE.match(query.data)
    assert match is not None  # guaranteed by the handler's pattern
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    chat_id = _chat_id(match.group(2))
    if not viewer.is_admin or chat_id is None:
        await query.answer(_("Only the school's administrators can manage group chats."))
        return
    await query.answer()
    if match.group(1) == "allow":
        await _allow(context, viewer, chat_id, "")
        text = _("Allowed: {chat_id}.")
    else:
        await _remove(context, viewer, chat_id)
        text = _("Removed: {chat_id}.")
    await edit_html(
        context.bot, query.message.chat.id, query.message.message_id, text.format(chat_id=chat_id)
    )


HANDLERS = [
    ChatMemberHandler(leave_group, ChatMemberHandler.MY_CHAT_MEMBER),
    CommandHandler("groupchats", manage_group_chats),
    CallbackQueryHandler(press_manage, pattern=MANAGE),
    MessageHandler(
        filters.ChatType.PRIVATE & filters.FORWARDED & _ForwardedFromAChat(), offer_forwarded_chat
    ),
]

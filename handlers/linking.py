"""Linking an account: `/start <code>` (the deep link) or a message that is just a code."""

import html
import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.chat.commands import menu_keyboard
from bot.chat.context import Context, viewer_of
from bot.chat.replies import send_html
from bot.i18n import Gettext, gettext_for
from handlers.registration import register_sender
from handlers.start import greet
from models.account_queries import get_account
from models.link_code_format import CODE_PATTERN
from models.link_guard import SchoolAlarm, list_admin_chats
from models.linking import LinkOutcome, LinkResult, redeem
from models.outbox import enqueue

logger = logging.getLogger(__name__)


def _refusal(result: LinkResult, _: Gettext, context: Context) -> str:
    if result.outcome is LinkOutcome.LOCKED_OUT:
        assert result.locked_until is not None
        until = result.locked_until.astimezone(context.bot_data.settings.tz)
        return _(
            "Too many wrong codes. For your safety, linking is locked until {time}. "
            "Please check the code on your sheet and try again then."
        ).format(time=until.strftime("%H:%M"))
    if result.outcome is LinkOutcome.SCHOOL_PAUSED:
        assert result.locked_until is not None
        until = _round_up_to_minute(result.locked_until).astimezone(context.bot_data.settings.tz)
        return _(
            "Many wrong codes have been tried at the school in the last minutes, so code checks "
            "are paused for everyone for a while. Your code was not checked: please send it "
            "again after {time}."
        ).format(time=until.strftime("%H:%M"))
    if result.outcome is LinkOutcome.EXPIRED:
        return _("This code has expired. Please ask your group tutor for a new one.")
    if result.outcome is LinkOutcome.USED:
        return _(
            "This code has already been used. If it was not you, tell your group tutor "
            "and ask for a new code."
        )
    if result.outcome is LinkOutcome.NO_BOT_ACCESS:
        return _(
            "Sorry, your group ({group}) does not use this bot. "
            "Your tutor will keep you informed in the usual way."
        ).format(group=html.escape(result.group_code))
    if result.outcome is LinkOutcome.GUARDIAN_CODE_ON_LINKED:
        return _(
            "This is a guardian's code, and this Telegram account is linked to a student or a "
            "staff member. A guardian links their own Telegram account with it."
        )
    if result.outcome is LinkOutcome.ACCOUNT_IS_GUARDIAN:
        return _(
            "This Telegram account is linked as a guardian. A student's or a staff member's "
            "code is for their own Telegram account."
        )
    return _(
        "This code is not right. Please check it: 8 characters like K7QM-4XPA, "
        "no zeros, ones, O, I or L."
    )


def _round_up_to_minute(moment: datetime) -> datetime:
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + timedelta(minutes=1)


async def _tell_admins(session: AsyncSession, context: Context, alarm: SchoolAlarm) -> None:
    """Queue one notice per admin for a new episode of guessing (the key makes it once)."""
    settings = context.bot_data.settings
    for chat_id, language in await list_admin_chats(session, extra_ids=settings.admin_telegram_ids):
        _ = gettext_for(language or settings.default_language)
        text = _(
            "⚠️ Someone may be guessing link codes. Wrong codes in the last {minutes} min: "
            "{failures}, from Telegram accounts: {accounts}. Code checks are paused for everyone "
            "while this goes on. Details are in the audit log (schoolbot audit --action link)."
        ).format(failures=alarm.failures, accounts=alarm.accounts, minutes=alarm.window_minutes)
        await enqueue(
            session, chat_id=chat_id, dedupe_key=f"{alarm.key}:{chat_id}", text=text, urgent=True
        )


def _welcome(result: LinkResult, _: Gettext) -> str:
    name = html.escape(result.name)
    if result.guardianship_id is not None:
        return _(
            "Welcome, {name}! Your account is now linked as a guardian of {student} ({group}). "
            "If you look after several students, /students switches between them."
        ).format(
            name=name,
            student=html.escape(result.student_name),
            group=html.escape(result.group_code),
        )
    if result.student_id is not None:
        return _("Welcome, {name}! Your account is now linked as a student of {group}.").format(
            name=name, group=html.escape(result.group_code)
        )
    return _("Welcome, {name}! Your account is now linked to your staff record.").format(name=name)


async def _tell_old_account(context: Context, telegram_id: int) -> None:
    """Tell the account that lost the link; it may have blocked the bot, which is fine."""
    settings = context.bot_data.settings
    async with context.bot_data.sessionmaker() as session:
        account = await get_account(session, telegram_id=telegram_id)
    language = account.language if account and account.language else settings.default_language
    _ = gettext_for(language)
    try:
        await send_html(
            context.bot,
            telegram_id,
            _(
                "Your school record was linked to another Telegram account with a new code, "
                "so this account is no longer linked. If this was not you, tell your group "
                "tutor or the study department at once."
            ),
            reply_markup=menu_keyboard("visitor", language, context.bot_data.registered),
        )
    except TelegramError as exc:
        logger.info("could not tell telegram:%s about the moved link: %s", telegram_id, exc)


async def link_account(update: Update, context: Context, text: str) -> None:
    """Redeem a code for the sender and answer with a welcome or a precise refusal."""
    chat = update.effective_chat
    assert chat is not None
    viewer = viewer_of(context)
    settings = context.bot_data.settings
    async with context.bot_data.sessionmaker.begin() as session:
        result = await redeem(
            session,
            telegram_id=viewer.telegram_id,
            text=text[:64],
            now=datetime.now(UTC),
            policy=settings.link_policy,
        )
        if result.alarm is not None:
            await _tell_admins(session, context, result.alarm)
    _ = gettext_for(viewer.language)
    if not result.linked:
        await send_html(context.bot, chat.id, _refusal(result, _, context))
        return
    await register_sender(update, context)  # rebuild the Viewer with the new link
    viewer = viewer_of(context)
    await send_html(
        context.bot,
        chat.id,
        "\n".join([_welcome(result, _), _("Use the menu below or /help to see what I can do.")]),
        reply_markup=menu_keyboard(viewer.role, viewer.language, context.bot_data.registered),
        protect=True,
    )
    if result.moved_from is not None:
        await _tell_old_account(context, result.moved_from)


async def link_from_start(update: Update, context: Context) -> None:
    """Handle the deep link t.me/<bot>?start=<code> and a typed `/start <code>`."""
    if not context.args:  # run from the menu or free text: just the greeting
        await greet(update, context)
        return
    await link_account(update, context, "".join(context.args or []))


async def link_from_text(update: Update, context: Context) -> None:
    """Handle a message that is exactly a code."""
    message = update.effective_message
    assert message is not None and message.text is not None
    await link_account(update, context, message.text)


HANDLERS = [
    CommandHandler("start", link_from_start, filters=filters.ChatType.PRIVATE, has_args=True),
    MessageHandler(
        filters.ChatType.PRIVATE
        & filters.TEXT
        & ~filters.UpdateType.EDITED
        & filters.Regex(CODE_PATTERN),
        link_from_text,
    ),
]

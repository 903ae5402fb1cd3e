"""/forget: after a confirming button, unlink the account and delete the user's Telegram data."""

from datetime import UTC, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.chat.callback_data import CallbackPattern, is_word
from bot.chat.context import Context, viewer_of
from bot.chat.replies import send_html
from bot.i18n import gettext_for
from models.access import audit
from models.personal_data import erase_personal_data

FORGET_ANSWER = CallbackPattern(r"^forget:(yes|no)$", is_word)
ANY_FORGET = CallbackPattern(r"^forget:")


async def ask_to_forget(update: Update, context: Context) -> None:
    """Explain what /forget deletes and ask for confirmation with two buttons."""
    chat = update.effective_chat
    assert chat is not None
    _ = gettext_for(viewer_of(context).language)
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("Yes, delete"), callback_data="forget:yes"),
                InlineKeyboardButton(_("No, keep"), callback_data="forget:no"),
            ]
        ]
    )
    await send_html(
        context.bot,
        chat.id,
        _(
            "This unlinks your account and deletes your Telegram data (id, name, username, "
            "language, settings). The school's own records stay as they are. To link again "
            "you will need a new code. Delete now?"
        )
        + "\n\n"
        + _(
            "For safety, wrong link codes tried from this account in the last hours are kept "
            "until they no longer count: deleting does not reset the limit on guessing."
        ),
        reply_markup=buttons,
    )


async def answer_forget(update: Update, context: Context) -> None:
    """Carry out the answer; anything but a well-formed yes or no is treated as stale."""
    query = update.callback_query
    assert query is not None
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    match = FORGET_ANSWER.match(query.data or "")
    if match is None:
        await query.answer(_("This button is out of date. Please ask again."))
        return
    if match.group(1) == "no":
        await query.answer()
        await query.edit_message_text(_("Nothing was deleted."))
        return
    now = datetime.now(UTC)
    async with context.bot_data.sessionmaker.begin() as session:
        erased = await erase_personal_data(
            session,
            telegram_id=viewer.telegram_id,
            keep_attempts_since=now - context.bot_data.settings.link_policy.horizon,
        )
        # The audit row keeps only the Telegram id: no name, no student or staff reference.
        await audit(
            session,
            viewer=viewer,
            action="forget",
            actor=f"telegram:{viewer.telegram_id}",
            detail="deleted" if erased.account_deleted else "nothing stored",
        )
    if context.user_data is not None:
        context.user_data.pop("viewer", None)
    await query.answer()
    await query.edit_message_text(
        _("Done: your account is unlinked and your Telegram data deleted.")
    )
    assert query.message is not None
    await context.bot.send_message(
        query.message.chat.id,
        _("If you write to me again, I will only know your Telegram name. Goodbye!"),
        reply_markup=ReplyKeyboardRemove(),
    )


HANDLERS = [
    CommandHandler("forget", ask_to_forget, filters=filters.ChatType.PRIVATE),
    CallbackQueryHandler(answer_forget, pattern=ANY_FORGET),
]

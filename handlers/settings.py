"""/settings: a person's own notification choices (timetable change notices on or off)."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.chat.callback_data import CallbackPattern, is_word
from bot.chat.context import Context, viewer_of
from bot.i18n import gettext_for
from models.account_queries import get_account

SET_CHANGES = CallbackPattern(r"^settings:changes:(on|off)$", is_word)


def _settings_view(language: str, notify_changes: bool) -> tuple[str, InlineKeyboardMarkup]:
    _ = gettext_for(language)
    state = _("on") if notify_changes else _("off")
    text = "\n".join(
        [
            _("<b>Settings</b>"),
            _("Timetable change notices: <b>{state}</b>").format(state=state),
            _(
                "When a lesson of yours in the next two school days is cancelled, moved or gets "
                "another teacher or room, I write to you."
            ),
        ]
    )
    button = InlineKeyboardButton(
        _("Turn off change notices") if notify_changes else _("Turn on change notices"),
        callback_data=f"settings:changes:{'off' if notify_changes else 'on'}",
    )
    return text, InlineKeyboardMarkup([[button]])


async def show_settings(update: Update, context: Context) -> None:
    """Show the person's notification settings with a button to change them."""
    message = update.effective_message
    assert message is not None
    viewer = viewer_of(context)
    async with context.bot_data.sessionmaker() as session:
        account = await get_account(session, telegram_id=viewer.telegram_id)
    assert account is not None  # the registration handler created it
    text, buttons = _settings_view(viewer.language, account.notify_changes)
    await message.reply_html(text, reply_markup=buttons)


async def change_settings(update: Update, context: Context) -> None:
    """Save the choice from the pressed button and redraw the settings."""
    query = update.callback_query
    assert query is not None and query.data is not None
    match = SET_CHANGES.match(query.data)
    assert match is not None  # guaranteed by the handler's pattern
    viewer = viewer_of(context)
    async with context.bot_data.sessionmaker.begin() as session:
        account = await get_account(session, telegram_id=viewer.telegram_id)
        assert account is not None
        account.notify_changes = match.group(1) == "on"
        notify = account.notify_changes
    _ = gettext_for(viewer.language)
    await query.answer(_("Saved."))
    text, buttons = _settings_view(viewer.language, notify)
    await query.edit_message_text(text, parse_mode="HTML", reply_markup=buttons)


HANDLERS = [
    CommandHandler("settings", show_settings),
    CallbackQueryHandler(change_settings, pattern=SET_CHANGES),
]

"""/language: switch between Latvian, Russian and English with buttons."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.chat.callback_data import CallbackPattern, is_word
from bot.chat.commands import menu_keyboard
from bot.chat.context import Context, viewer_of
from bot.i18n import LANGUAGES, gettext_for
from models.account_queries import get_account

SET_LANGUAGE = CallbackPattern(r"^lang:set:(lv|ru|en)$", is_word)
NATIVE_NAMES = {"lv": "Latviešu", "ru": "Русский", "en": "English"}


async def offer_languages(update: Update, context: Context) -> None:
    """Show one button per language."""
    message = update.effective_message
    assert message is not None
    _ = gettext_for(viewer_of(context).language)
    buttons = [
        InlineKeyboardButton(NATIVE_NAMES[lang], callback_data=f"lang:set:{lang}")
        for lang in LANGUAGES
    ]
    await message.reply_text(
        _("Choose your language:"), reply_markup=InlineKeyboardMarkup([buttons])
    )


async def set_language(update: Update, context: Context) -> None:
    """Save the chosen language and answer in it, with the menu redrawn."""
    query = update.callback_query
    assert query is not None and query.data is not None
    match = SET_LANGUAGE.match(query.data)
    assert match is not None  # guaranteed by the handler's pattern
    language = match.group(1)
    viewer = viewer_of(context)
    async with context.bot_data.sessionmaker.begin() as session:
        account = await get_account(session, telegram_id=viewer.telegram_id)
        assert account is not None  # the registration handler created it
        account.language = language
    _ = gettext_for(language)
    await query.answer()
    await query.edit_message_text(_("Language: {language}").format(language=NATIVE_NAMES[language]))
    assert query.message is not None
    await context.bot.send_message(
        query.message.chat.id,
        _("Done. The menu is now in this language."),
        reply_markup=menu_keyboard(viewer.role, language, context.bot_data.registered),
    )


HANDLERS = [
    CommandHandler("language", offer_languages),
    CallbackQueryHandler(set_language, pattern=SET_LANGUAGE),
]

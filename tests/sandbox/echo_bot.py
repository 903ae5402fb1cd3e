"""A tiny real PTB bot for the sandbox tests: echoes text, answers buttons, files, inline."""

import html
from io import BytesIO
from typing import Any

from PIL import Image
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.sandbox import Sandbox

Context = ContextTypes.DEFAULT_TYPE
EchoApp = Application[Any, Any, Any, Any, Any, Any]
BUTTONS = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("👍 Like", callback_data="like"),
            InlineKeyboardButton("Page 2", callback_data="page:2"),
        ]
    ]
)


async def echo(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    await message.reply_html(f"You said: <b>{html.escape(message.text)}</b>", reply_markup=BUTTONS)


async def start(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None
    payload = " ".join(context.args or []) or "none"
    await message.reply_text(f"Welcome! Payload: {payload}")


async def keyboard(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None
    markup = ReplyKeyboardMarkup(
        [["Yes", "No"], ["Maybe"]], one_time_keyboard=True, resize_keyboard=True
    )
    await message.reply_text("Choose one", reply_markup=markup)


async def menu(update: Update, context: Context) -> None:
    """A menu keyboard like the school bot's: several rows that stay until replaced."""
    message = update.effective_message
    assert message is not None
    rows = [["Today", "Tomorrow"], ["Week", "Absences"], ["Marks", "Practice"], ["Help"]]
    await message.reply_text("Menu", reply_markup=ReplyKeyboardMarkup(rows, resize_keyboard=True))


async def photo(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None
    buffer = BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 200)).save(buffer, format="PNG")
    await message.reply_photo(
        buffer.getvalue(), caption="A <i>blue</i> box", parse_mode=ParseMode.HTML
    )


async def pressed(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer(f"Pressed {query.data}")
    await query.edit_message_text(f"Pressed: <code>{query.data}</code>", parse_mode=ParseMode.HTML)


async def document(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None and message.document is not None
    file = await message.document.get_file()
    data = await file.download_as_bytearray()
    await message.reply_text(f"Got {message.document.file_name}: {len(data)} bytes")
    await message.reply_document(bytes(data[::-1]), filename="reversed.bin", protect_content=True)


async def inline(update: Update, context: Context) -> None:
    query = update.inline_query
    assert query is not None
    result = InlineQueryResultArticle(
        "echo-1",
        f"Echo {query.query}",
        InputTextMessageContent(f"<b>{html.escape(query.query)}</b>", parse_mode="HTML"),
    )
    await query.answer([result], cache_time=0)


def build_echo_application(sandbox: Sandbox) -> EchoApp:
    """Return an Application wired to the sandbox, not yet started."""
    application = (
        Application.builder()
        .token(sandbox.token)
        .base_url(sandbox.api_base_url)
        .base_file_url(sandbox.file_base_url)
        .job_queue(None)
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("keyboard", keyboard))
    application.add_handler(CommandHandler("menu", menu))
    application.add_handler(CommandHandler("photo", photo))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    application.add_handler(MessageHandler(filters.Document.ALL, document))
    application.add_handler(CallbackQueryHandler(pressed))
    application.add_handler(InlineQueryHandler(inline))
    return application

"""Admins import the school's data by sending the file to the bot; /import explains how."""

import asyncio
import io
import logging
import re
import tempfile
import zipfile
from pathlib import Path

from telegram import Document, Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.chat.context import Context, viewer_of
from bot.chat.replies import send_html
from bot.i18n import gettext_for
from handlers import import_run
from models.access import Viewer, audit
from models.importing import KINDS, write_templates

logger = logging.getLogger(__name__)

# A caption asking only to check the file: "check", "dry run", "pārbaude", "проверка".
DRY_RUN = re.compile(r"\b(check|dry[- ]?run|p[aā]rbaud\w*|провер\w*)\b", re.IGNORECASE)


def _kind_in(caption: str) -> str | None:
    words = {word.casefold() for word in re.findall(r"[\w-]+", caption)}
    return next((kind for kind in KINDS if kind in words), None)


def templates_zip() -> bytes:
    """Return every import template (XLSX) in one zip file."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as directory, zipfile.ZipFile(buffer, "w") as archive:
        for path in write_templates(Path(directory)):
            archive.write(path, path.name)
    return buffer.getvalue()


async def _refuse(update: Update, context: Context, viewer: Viewer, what: str) -> None:
    _ = gettext_for(viewer.language)
    chat = update.effective_chat
    assert chat is not None
    async with context.bot_data.sessionmaker.begin() as session:
        await audit(session, viewer=viewer, action="refused", target=what)
    await send_html(context.bot, chat.id, _("Only the school's administrators can import data."))


async def explain_import(update: Update, context: Context) -> None:
    """Tell an admin how to import, with the templates of every kind attached."""
    viewer = viewer_of(context)
    if not viewer.is_admin:
        await _refuse(update, context, viewer, "import:help")
        return
    _ = gettext_for(viewer.language)
    message = update.effective_message
    assert message is not None
    text = "\n".join(
        [
            _("<b>Importing the school's data</b>"),
            _(
                "Send me a CSV or XLSX file. I check every row first: if anything is wrong, "
                "nothing is written and you get the list of problems."
            ),
            _("Write <i>check</i> in the file's caption to only check it."),
            _("If the file name does not say what it holds, write the kind in the caption:"),
            ", ".join(f"<code>{kind}</code>" for kind in KINDS),
            _("The attached templates show the columns, in the order to import them."),
        ]
    )
    await send_html(context.bot, message.chat_id, text)
    templates = await asyncio.to_thread(templates_zip)  # half a second of work: off the loop
    await message.reply_document(templates, filename="schoolbot-templates.zip")


async def import_document(update: Update, context: Context) -> None:
    """Take a file an admin sent and import it in the background; the report follows."""
    viewer = viewer_of(context)
    message = update.effective_message
    assert message is not None and context.user_data is not None
    document: Document | None = message.document
    assert document is not None
    if not viewer.is_admin:
        await _refuse(update, context, viewer, "import:file")
        return
    _ = gettext_for(viewer.language)
    settings = context.bot_data.settings
    name = document.file_name or "file"
    if document.file_size and document.file_size > settings.import_max_bytes:
        limit = settings.import_max_bytes // (1024 * 1024)
        await message.reply_text(_("The file is larger than {limit} MB.").format(limit=limit))
        return
    running = import_run.running(context.user_data)
    if running is not None:  # one at a time: a second file would wait on the first's writes
        await message.reply_text(
            _(
                "I am still importing {running}. Send {name} again when I have reported on it."
            ).format(running=running, name=name)
        )
        return
    try:
        await message.reply_text(
            _("Received {name}. Checking it now: I will send the report when it is done.").format(
                name=name
            )
        )
    except TelegramError as exc:  # the report will tell them anyway
        logger.warning("could not confirm receiving %s: %s", name, exc)
    caption = message.caption or ""
    request = import_run.ImportRequest(
        viewer, message.chat_id, document, _kind_in(caption), bool(DRY_RUN.search(caption))
    )
    await import_run.launch(update, context, request)


HANDLERS = [
    CommandHandler("import", explain_import),
    MessageHandler(filters.ChatType.PRIVATE & filters.Document.ALL, import_document),
]

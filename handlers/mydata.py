"""/mydata: send the user a JSON file of everything the bot stores about them."""

import json
from datetime import UTC, datetime

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.chat.context import Context, viewer_of
from bot.i18n import gettext_for
from models.access import audit
from models.personal_data import collect_personal_data


async def send_my_data(update: Update, context: Context) -> None:
    """Export the user's data as a protected JSON document, and audit the export."""
    chat = update.effective_chat
    assert chat is not None
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    async with context.bot_data.sessionmaker.begin() as session:
        data = await collect_personal_data(
            session, telegram_id=viewer.telegram_id, now=datetime.now(UTC)
        )
        await audit(session, viewer=viewer, action="mydata", target=viewer.actor)
    payload = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    await context.bot.send_document(
        chat.id,
        payload,
        filename="my-data.json",
        caption=_("Everything the bot stores about you. /forget deletes your Telegram data."),
        protect_content=True,
    )


HANDLERS = [CommandHandler("mydata", send_my_data, filters=filters.ChatType.PRIVATE)]

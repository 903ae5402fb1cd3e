"""/digest [group] [YYYY-MM]: a tutor's groups (an admin's choice) for a month, on demand.

A month already sent shows its frozen figures, exactly as they were sent; another month shows
what would be sent now.
"""

import asyncio
import datetime as dt

from telegram import Update
from telegram.ext import CommandHandler

from bot.chat.context import Context, viewer_of
from bot.chat.replies import send_html
from bot.documents.digest_render import render_group
from bot.i18n import gettext_for
from models.access import audit
from models.attendance_queries import Month
from models.digest_runs import digest_bodies
from models.record_scope import Records, scope_for


async def show_digest(update: Update, context: Context) -> None:
    """Send the month's message, table and chart for each group the viewer may see."""
    message = update.effective_message
    assert message is not None
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    settings = context.bot_data.settings
    words = list(context.args or [])[:3]
    month = Month.of(dt.datetime.now(settings.tz).date()).shift(-1)
    if words and Month.parse(words[-1]) is not None:
        month = Month.parse(words.pop()) or month
    async with context.bot_data.sessionmaker() as session:
        scope = await scope_for(session, viewer, " ".join(words), Records.DIGEST)
    if not scope.groups:
        text = _("The digest is for group tutors and the study department.")
        if viewer.is_admin:
            text = _("Which group? For example: /digest AM-21 {month}").format(month=month)
        await send_html(context.bot, message.chat_id, text)
        return
    async with context.bot_data.sessionmaker.begin() as session:
        bodies = await digest_bodies(
            session,
            month=month,
            group_ids=[g.id for g in scope.groups if g.id is not None],
            failing_below=settings.failing_mark_below,
            limit=settings.unexcused_month_limit,
            language=settings.default_language,
        )
        await audit(
            session,
            viewer=viewer,
            action="view:digest",
            target=",".join(g.code for g in scope.groups),
        )
    for code, body in bodies:
        files = await asyncio.to_thread(render_group, body, viewer.language)
        await send_html(context.bot, message.chat_id, files.text, protect=True)
        filename = f"{code}-{month}.xlsx"
        await message.reply_document(files.table, filename=filename, protect_content=True)
        await message.reply_photo(files.chart, protect_content=True)
    if not bodies:
        await send_html(context.bot, message.chat_id, _("No students in that group."))


HANDLERS = [CommandHandler("digest", show_digest)]

"""/calendar: the viewer's next four weeks of lessons as an .ics file for their phone's calendar."""

import datetime as dt

from telegram import Update
from telegram.ext import CommandHandler

from bot.chat.context import Context, timetable_of, viewer_of
from bot.documents.ics import timetable_ics
from bot.i18n import gettext_for
from handlers.timetable_days import own_target
from models.timetable_queries import MAX_DAYS, get_target, list_days

WEEKS = 4


async def send_calendar(update: Update, context: Context) -> None:
    """Send the .ics file, or explain that it needs a linked account."""
    message = update.effective_message
    assert message is not None
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    target = own_target(viewer)
    if target is None:
        await message.reply_text(_("The calendar file is for linked accounts: see /start."))
        return
    if viewer.is_guardian and viewer.student is not None:  # every guardian view is audited
        context.bot_data.view_log.record(viewer, "view:calendar", f"student:{viewer.student.id}")
    settings = context.bot_data.settings
    today = dt.datetime.now(settings.tz).date()
    snapshot = await timetable_of(context)
    loaded = get_target(snapshot, target.kind, target.id)
    if loaded is None:
        await message.reply_text(_("The calendar file is for linked accounts: see /start."))
        return
    days = []
    for offset in range(0, WEEKS * 7, MAX_DAYS):
        first = today + dt.timedelta(days=offset)
        days += list_days(snapshot, loaded, first, first + dt.timedelta(days=MAX_DAYS - 1))
    name = loaded.name
    data = timetable_ics(days, name=name, tz=settings.tz, domain="schoolbot.invalid")
    await message.reply_document(
        data,
        filename=f"timetable-{today:%Y%m%d}.ics",
        caption=_(
            "Your lessons for the next {weeks} weeks. Open the file to add them to your calendar."
        ).format(weeks=WEEKS),
        protect_content=True,
    )


HANDLERS = [CommandHandler("calendar", send_calendar)]

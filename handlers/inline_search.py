"""Inline mode: `@bot AM-21` or `@bot Ozols` in any chat offers public timetables and hours."""

import datetime as dt
import html
import logging

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import ParseMode
from telegram.ext import InlineQueryHandler

from bot.chat.context import Context, timetable_of, viewer_of
from bot.chat.replies import split_message
from bot.i18n import gettext_for
from handlers.consultation_hours import render_owner
from handlers.timetable_days import render_day
from models.consultation_queries import Owner, list_slots
from models.timetable_queries import TargetKind, find_targets, list_days

logger = logging.getLogger(__name__)


async def answer_inline(update: Update, context: Context) -> None:
    """Offer this week's timetable of each match, and a teacher's consultation hours."""
    query = update.inline_query
    assert query is not None
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    text = query.query.strip()[:100]
    if len(text) < 2:
        await query.answer([], cache_time=5)
        return
    settings = context.bot_data.settings
    today = dt.datetime.now(settings.tz).date()
    monday = (
        today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=7 * (today.weekday() > 4))
    )
    results = []
    snapshot = await timetable_of(context)
    async with context.bot_data.sessionmaker() as session:  # for consultation hours
        for target in find_targets(snapshot, text)[:3]:
            days = list_days(snapshot, target, monday, monday + dt.timedelta(days=4))
            show_group = target.kind is not TargetKind.GROUP
            body = "\n\n".join(render_day(d, viewer.language, show_group=show_group) for d in days)
            # One message only: cut between days (our HTML never spans lines), never in a tag.
            message = next(split_message(f"🗓 <b>{html.escape(target.name)}</b>\n\n{body}"))
            results.append(
                InlineQueryResultArticle(
                    id=f"tt-{target.kind.value}-{target.id}",
                    title=_("Timetable: {name}").format(name=target.name),
                    description=_("This week"),
                    input_message_content=InputTextMessageContent(
                        message, parse_mode=ParseMode.HTML
                    ),
                )
            )
            if target.kind is TargetKind.TEACHER:
                owner = Owner(target.id, "", target.name)
                now = dt.datetime.now(settings.tz).replace(tzinfo=None)
                slots = await list_slots(session, [owner], now=now)
                card = next(split_message(render_owner(owner, slots[owner], viewer.language)))
                results.append(
                    InlineQueryResultArticle(
                        id=f"cs-{target.id}",
                        title=_("Consultation hours: {name}").format(name=target.name),
                        input_message_content=InputTextMessageContent(
                            card, parse_mode=ParseMode.HTML
                        ),
                    )
                )
    await query.answer(results, cache_time=60, is_personal=False)


HANDLERS = [InlineQueryHandler(answer_inline)]

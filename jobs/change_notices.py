"""Tell each affected student and teacher, once, about changes in the next two school days."""

import datetime as dt
import html
import logging

from bot.config import Settings
from bot.db import SessionMaker
from bot.i18n import gettext_for
from models.change_notice_queries import ChangeNotice, list_change_notices, school_days_from
from models.outbox import enqueue
from models.outbox_figures import list_queued_keys
from models.timetable import ChangeType

logger = logging.getLogger(__name__)

SCHOOL_DAYS_AHEAD = 2
EARLY_LESSONS = 2  # a change to one of tomorrow's first lessons cannot wait for the morning
WRITE_SLICE = 500  # outbox rows written in one transaction


def render_notice(notice: ChangeNotice, language: str) -> str:
    """Write one change as a short message in the recipient's language."""
    _ = gettext_for(language)
    lesson = _("{date}, lesson {number}").format(
        date=notice.date.strftime("%d.%m.%Y"), number=notice.lesson_no
    )
    head = _("<b>Timetable change for {group}</b>").format(group=html.escape(notice.group_code))
    subject = html.escape(notice.subject)
    if notice.subgroup:
        subject += " " + _("(subgroup {subgroup})").format(subgroup=html.escape(notice.subgroup))
    what: str = {
        ChangeType.CANCELLED: _("cancelled"),
        ChangeType.SUBSTITUTE: _("substitute teacher: {old} → {new}"),
        ChangeType.ROOM: _("room: {old} → {new}"),
        ChangeType.MOVED: _("moved to {date}, lesson {number}"),
        ChangeType.ADDED: _("added lesson, teacher {new}, room {room}"),
    }.get(ChangeType(notice.change_type), _("changed"))
    if notice.change_type == ChangeType.ROOM:
        old, new = notice.old_room, notice.new_room
    else:
        old, new = notice.old_teacher, notice.new_teacher
    detail = what.format(
        old=html.escape(old) or "—",
        new=html.escape(new) or "—",
        room=html.escape(notice.new_room) or "—",
        date=notice.moved_to_date.strftime("%d.%m.%Y") if notice.moved_to_date else "—",
        number=notice.moved_to_lesson if notice.moved_to_lesson is not None else "—",
    )
    lines = [head, f"{lesson}: {subject} — {detail}"]
    if notice.reason:
        lines.append(html.escape(notice.reason))
    return "\n".join(lines)


def is_urgent(notice: ChangeNotice, today: dt.date) -> bool:
    """Changes for today, or for tomorrow's first lessons, go out even in quiet hours."""
    tomorrow = today + dt.timedelta(days=1)
    return notice.date <= today or (notice.date == tomorrow and notice.lesson_no <= EARLY_LESSONS)


async def queue_change_notices(
    sessionmaker: SessionMaker, settings: Settings, now: dt.datetime
) -> int:
    """Put a notice for every new or edited change into the outbox; return how many were new.

    The notices already queued are found with a few reads, so a check that finds nothing new
    writes nothing; the new ones are written a slice at a time, each slice its own short
    transaction, so the bot's other writes never wait long behind a large school's notices.
    The outbox's keys make a slice written twice (after a crash) add nothing.
    """
    today = now.astimezone(settings.tz).date()
    async with sessionmaker() as session:
        days = await school_days_from(session, today=today, count=SCHOOL_DAYS_AHEAD)
        wanted = {
            f"change:{notice.change_id}:{notice.fingerprint}:{recipient.chat_id}": (
                notice,
                recipient,
            )
            for notice in await list_change_notices(session, days=days)
            for recipient in notice.recipients
        }
        queued_before = await list_queued_keys(session, keys=list(wanted))
    new = [(key, *wanted[key]) for key in wanted if key not in queued_before]
    texts: dict[tuple[int, str], str] = {}  # each notice is written once per language
    queued = 0
    for first in range(0, len(new), WRITE_SLICE):
        async with sessionmaker.begin() as session:
            for key, notice, recipient in new[first : first + WRITE_SLICE]:
                language = recipient.language or settings.default_language
                text = texts.get((notice.change_id, language))
                if text is None:
                    text = texts[notice.change_id, language] = render_notice(notice, language)
                queued += await enqueue(
                    session,
                    chat_id=recipient.chat_id,
                    dedupe_key=key,
                    text=text,
                    urgent=is_urgent(notice, today),
                )
    if queued:
        logger.info("queued %d timetable change notices", queued)
    return queued

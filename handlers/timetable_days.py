"""/today, /tomorrow, /week and /timetable: lessons with changes, and buttons to move in time."""

import datetime as dt
import html

from babel.dates import format_date
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.chat.callback_data import CallbackPattern, is_day, is_id, is_word
from bot.chat.context import Context, timetable_of, viewer_of
from bot.chat.data_as_of import as_of_line
from bot.chat.records import not_shared_text
from bot.chat.replies import edit_html, send_html
from bot.i18n import gettext_for
from models.access import Viewer
from models.timetable import ChangeType
from models.timetable_queries import (
    Day,
    Lesson,
    Target,
    TargetKind,
    find_targets,
    get_target,
    list_days,
)
from models.timetable_snapshot import TimetableSnapshot

NAVIGATE = CallbackPattern(
    r"^tt:([gtr]):(\d{1,10}):(\d{8}):([dw])$", is_word, is_id, is_day, is_word
)
FAR = dt.timedelta(days=400)  # buttons never reach further than about a year away


def own_target(viewer: Viewer) -> Target | None:
    """The viewer's own timetable: their group's, a guardian's student's, or a teacher's."""
    if viewer.home_group_id is not None:
        return Target(TargetKind.GROUP, viewer.home_group_id, "")
    if viewer.staff_id is not None:
        return Target(TargetKind.TEACHER, viewer.staff_id, "")
    return None


def render_lesson(lesson: Lesson, language: str, *, building: bool = True) -> str:
    """One line: number, bell times, subject, teacher, room (and building), and the change."""
    _ = gettext_for(language)
    when = f"{lesson.start:%H:%M}–{lesson.end:%H:%M} " if lesson.start and lesson.end else ""
    place = html.escape(lesson.room) + (
        f" ({html.escape(lesson.building)})" if lesson.building and building else ""
    )
    who = html.escape(lesson.teacher)
    subject = html.escape(lesson.subject)
    if lesson.subgroup:
        subject += " " + _("(subgroup {subgroup})").format(subgroup=html.escape(lesson.subgroup))
    line = f"<b>{lesson.lesson_no}.</b> {when}{subject}"
    details = ", ".join(part for part in (who, place) if part)
    if lesson.change == ChangeType.CANCELLED:
        return f"<s>{line}</s> ❌ " + _("cancelled")
    if details:
        line += f" — {details}"
    if lesson.change == ChangeType.SUBSTITUTE:
        line += " 🔁 " + _("substitute (instead of {was})").format(was=html.escape(lesson.was))
    elif lesson.change == ChangeType.ROOM:
        line += " 🚪 " + _("room changed (was {was})").format(was=html.escape(lesson.was))
    elif lesson.change == ChangeType.MOVED and lesson.moved_from:
        line += " ↩️ " + _("moved here from {when}").format(when=lesson.moved_from)
    elif lesson.change == ChangeType.MOVED:
        line = f"<s>{line}</s> ➡️ " + _("moved to {when}").format(when=lesson.moved_to)
    elif lesson.change == ChangeType.ADDED:
        line += " ➕ " + _("extra lesson")
    return line


def render_day(day: Day, language: str, *, show_group: bool) -> str:
    """A date's title and lessons; a day in one building names it once, under the title."""
    _ = gettext_for(language)
    title = format_date(day.date, "EEEE, dd.MM.yyyy", locale=language).capitalize()
    lines = [f"📅 <b>{title}</b>"]
    buildings = {lesson.building for lesson in day.lessons}
    one_building = len(buildings) == 1 and "" not in buildings
    if one_building:
        lines.append(f"📍 {html.escape(buildings.pop())}")
    if day.holiday:
        lines.append(_("No lessons: {name}.").format(name=html.escape(day.holiday)))
    elif day.is_off:
        lines.append(_("Weekend, no lessons."))
    elif not day.lessons:
        lines.append(_("No lessons."))
    for lesson in day.lessons:
        text = render_lesson(lesson, language, building=not one_building)
        lines.append(f"{text} · {html.escape(lesson.group)}" if show_group else text)
    return "\n".join(lines)


def _buttons(target: Target, day: dt.date, span: str, language: str) -> InlineKeyboardMarkup:
    _ = gettext_for(language)
    step = dt.timedelta(days=7 if span == "w" else 1)
    back, forward = day - step, day + step
    key = f"tt:{target.kind.value}:{target.id}"
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("◀️", callback_data=f"{key}:{back:%Y%m%d}:{span}"),
                InlineKeyboardButton(
                    _("Week") if span == "d" else _("Day"),
                    callback_data=f"{key}:{day:%Y%m%d}:{'w' if span == 'd' else 'd'}",
                ),
                InlineKeyboardButton("▶️", callback_data=f"{key}:{forward:%Y%m%d}:{span}"),
            ]
        ]
    )


async def _answer(
    context: Context,
    chat_id: int,
    viewer: Viewer,
    snapshot: TimetableSnapshot,
    target: Target,
    day: dt.date,
    span: str,
    *,
    own: bool,
    message_id: int | None = None,
) -> None:
    settings = context.bot_data.settings
    _ = gettext_for(viewer.language)
    loaded = get_target(snapshot, target.kind, target.id)
    if loaded is None:
        await send_html(context.bot, chat_id, _("This timetable no longer exists."))
        return
    if span == "w":
        first = day - dt.timedelta(days=day.weekday())
        days = list_days(snapshot, loaded, first, first + dt.timedelta(days=4))
    else:
        days = list_days(snapshot, loaded, day, day)
        if days[0].is_off:
            following = snapshot.next_school_day(after=day)
            days += list_days(snapshot, loaded, following, following)
    header = f"🗓 <b>{html.escape(loaded.name)}</b>"
    show_group = loaded.kind is not TargetKind.GROUP
    body = "\n\n".join(render_day(d, viewer.language, show_group=show_group) for d in days)
    text = f"{header}\n\n{body}\n\n{as_of_line(snapshot.as_of, viewer.language, settings.tz)}"
    buttons = _buttons(loaded, day, span, viewer.language)
    if message_id is not None:
        await edit_html(context.bot, chat_id, message_id, text, reply_markup=buttons, protect=own)
        return
    await send_html(context.bot, chat_id, text, reply_markup=buttons, protect=own)


def _today(context: Context) -> dt.date:
    return dt.datetime.now(context.bot_data.settings.tz).date()


async def _own(update: Update, context: Context, span: str, *, tomorrow: bool = False) -> None:
    chat = update.effective_chat
    assert chat is not None
    viewer = viewer_of(context)
    target = own_target(viewer)
    if target is None and viewer.is_guardian:
        await send_html(context.bot, chat.id, not_shared_text(viewer))
        return
    if target is None:
        _ = gettext_for(viewer.language)
        await send_html(
            context.bot,
            chat.id,
            _(
                "I don't know your group yet: link your account with the code from your school "
                "(/start), or ask for any timetable, for example /timetable AM-21."
            ),
        )
        return
    if viewer.is_guardian and viewer.student is not None:  # every guardian view is audited
        context.bot_data.view_log.record(viewer, "view:timetable", f"student:{viewer.student.id}")
    snapshot = await timetable_of(context)
    day = snapshot.next_school_day(after=_today(context)) if tomorrow else _today(context)
    await _answer(context, chat.id, viewer, snapshot, target, day, span, own=True)


async def show_today(update: Update, context: Context) -> None:
    """The viewer's own lessons today (the next school day on a weekend)."""
    await _own(update, context, "d")


async def show_tomorrow(update: Update, context: Context) -> None:
    """The viewer's own lessons on the next school day ("tomorrow" on Saturday is Monday)."""
    await _own(update, context, "d", tomorrow=True)


async def show_week(update: Update, context: Context) -> None:
    """The viewer's own week, Monday to Friday."""
    await _own(update, context, "w")


async def show_timetable(update: Update, context: Context) -> None:
    """Anyone's timetable: /timetable AM-21, /timetable Ozols, /timetable STR16-204."""
    chat = update.effective_chat
    assert chat is not None
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    query = " ".join(context.args or [])[:100]
    if not query:
        if own_target(viewer) is not None:
            await _own(update, context, "w")
            return
        await send_html(context.bot, chat.id, _("Whose timetable? For example: /timetable AM-21"))
        return
    snapshot = await timetable_of(context)
    targets = find_targets(snapshot, query)
    if not targets:
        await send_html(
            context.bot,
            chat.id,
            _("I found no group, teacher or room called “{query}”.").format(
                query=html.escape(query)
            ),
        )
        return
    if len(targets) > 1:
        buttons = [
            [
                InlineKeyboardButton(
                    t.name, callback_data=f"tt:{t.kind.value}:{t.id}:{_today(context):%Y%m%d}:w"
                )
            ]
            for t in targets
        ]
        await send_html(
            context.bot, chat.id, _("Whom do you mean?"), reply_markup=InlineKeyboardMarkup(buttons)
        )
        return
    await _answer(context, chat.id, viewer, snapshot, targets[0], _today(context), "w", own=False)


async def navigate(update: Update, context: Context) -> None:
    """Move a day or a week back and forth; stale or forged buttons get a polite answer."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    match = NAVIGATE.match(query.data)
    assert match is not None  # guaranteed by the handler's pattern
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    try:
        day = dt.datetime.strptime(match.group(3), "%Y%m%d").date()
    except ValueError:
        day = None
    if day is None or abs(day - _today(context)) > FAR:
        await query.answer(_("This button is out of date. Please ask again."))
        return
    target = Target(TargetKind(match.group(1)), int(match.group(2)), "")
    await query.answer()
    own = own_target(viewer)
    await _answer(
        context,
        query.message.chat.id,
        viewer,
        await timetable_of(context),
        target,
        day,
        match.group(4),
        own=own is not None and own.kind == target.kind and own.id == target.id,
        message_id=query.message.message_id,
    )


HANDLERS = [
    CommandHandler("today", show_today),
    CommandHandler("tomorrow", show_tomorrow),
    CommandHandler("week", show_week),
    CommandHandler("timetable", show_timetable),
    CallbackQueryHandler(navigate, pattern=NAVIGATE),
]

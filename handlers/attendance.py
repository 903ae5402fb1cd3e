"""/absences: a student's month and semester against the limits; a tutor's group table."""

import datetime as dt
import html

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.chat.callback_data import CallbackPattern, is_id, is_month
from bot.chat.context import Context, stamps_of, viewer_of
from bot.chat.data_as_of import as_of_line
from bot.chat.records import meter, nothing_text
from bot.chat.replies import edit_html, send_html
from bot.i18n import gettext_for
from models.absence_limits import AbsenceLimits, AbsenceStanding
from models.access import GroupRef, StudentRef, Viewer
from models.attendance_queries import Month, group_absences, student_absences
from models.record_scope import Records, scope_for, student_in_view

MONTH = CallbackPattern(r"^ab:m:(\d{4}-\d{2})$", is_month)
DETAIL = CallbackPattern(r"^ab:s:(\d{1,10}):(\d{4}-\d{2})$", is_id, is_month)
BUTTONS_PER_ROW = 2


def _this_month(context: Context) -> Month:
    return Month.of(dt.datetime.now(context.bot_data.settings.tz).date())


def _limits(context: Context) -> AbsenceLimits:
    settings = context.bot_data.settings
    return AbsenceLimits(settings.unexcused_month_limit, settings.unexcused_semester_limit)


def _month_buttons(month: Month, current: Month) -> list[InlineKeyboardButton]:
    """Step back, and forward only up to the current month."""
    back = month.shift(-1)
    buttons = [InlineKeyboardButton(f"◀️ {back}", callback_data=f"ab:m:{back}")]
    if (forward := month.next_until(current)) is not None:
        buttons.append(InlineKeyboardButton(f"{forward} ▶️", callback_data=f"ab:m:{forward}"))
    return buttons


def _standing_lines(standing: AbsenceStanding, language: str) -> list[str]:
    """The warnings of a standing, worst first; a tick when there are none."""
    _ = gettext_for(language)
    lines = []
    if standing.over_semester:
        lines.append("⚠️ " + _("Over the semester limit of unexcused lessons."))
    if standing.stipend_at_risk:
        lines.append("⚠️ " + _("Over the monthly limit: the stipend may be lost."))
    elif standing.month_left is not None:
        lines.append(
            "⚠️ "
            + _("{left} more unexcused lessons and the monthly limit is passed.").format(
                left=standing.month_left
            )
        )
    if standing.semester_left is not None:
        lines.append(
            "⚠️ "
            + _("{left} more unexcused lessons and the semester limit is passed.").format(
                left=standing.semester_left
            )
        )
    return lines or ["✅ " + _("Within the limits.")]


async def _student_text(
    context: Context, session: AsyncSession, viewer: Viewer, student: StudentRef, month: Month
) -> str:
    _ = gettext_for(viewer.language)
    limits = _limits(context)
    summary = await student_absences(session, student_id=student.id, month=month, limits=limits)
    context.bot_data.view_log.record(viewer, "view:absences", f"student:{student.id}")
    c, s = summary.counts, summary.semester
    lines = [
        _("<b>Absences of {name}, {month}</b>").format(name=html.escape(student.name), month=month),
        _("Excused: {excused} · unexcused: {unexcused} · not yet decided: {pending}").format(
            excused=c.excused, unexcused=c.unexcused, pending=c.pending
        ),
        _("Unexcused this month: {bar}").format(bar=meter(c.unexcused, limits.month)),
        _("Unexcused this semester: {bar}").format(bar=meter(s.unexcused, limits.semester)),
        *_standing_lines(summary.standing, viewer.language),
    ]
    if summary.by_subject:
        lines += ["", _("<b>By subject</b> (excused / unexcused / not decided)")]
        for subject, counts in sorted(summary.by_subject.items(), key=lambda i: -i[1].total):
            lines.append(
                f"• {html.escape(subject)}: "
                f"{counts.excused} / {counts.unexcused} / {counts.pending}"
            )
    if summary.by_week:
        lines += ["", _("<b>By week</b>")]
        for week, counts in sorted(summary.by_week.items()):
            lines.append(
                _("week {week}: {total} lessons, {unexcused} unexcused").format(
                    week=week, total=counts.total, unexcused=counts.unexcused
                )
            )
    tz = context.bot_data.settings.tz
    lines += ["", as_of_line(stamps_of(context).as_of(["absences"]), viewer.language, tz)]
    return "\n".join(lines)


async def _group_text(
    context: Context, session: AsyncSession, viewer: Viewer, group: GroupRef, month: Month
) -> tuple[str, list[list[InlineKeyboardButton]]]:
    """The group's table, and a detail button for every student it lists."""
    _ = gettext_for(viewer.language)
    table = await group_absences(session, group_id=group.id, month=month, limits=_limits(context))
    context.bot_data.view_log.record(viewer, "view:absences", f"group:{group.code}")
    lines = [
        _("<b>Absences in {group}, {month}</b> (unexcused / all)").format(
            group=html.escape(group.code), month=month
        )
    ]
    buttons = []
    for row in table.rows:
        flag = " ⚠️" if row.standing.over else ""
        lines.append(f"{html.escape(row.name)}: {row.counts.unexcused} / {row.counts.total}{flag}")
        data = f"ab:s:{row.student_id}:{month}"
        buttons.append(InlineKeyboardButton(row.name, callback_data=data))
    if table.left_out:
        lines.append(_("… and {count} more with fewer absences.").format(count=table.left_out))
    if not table.rows:
        lines.append(_("No students."))
    tz = context.bot_data.settings.tz
    lines += ["", as_of_line(stamps_of(context).as_of(["absences"]), viewer.language, tz)]
    rows = [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
    return "\n".join(lines), rows


async def show_absences(update: Update, context: Context) -> None:
    """/absences [group]: own absences for a student, the group tables for a tutor or admin."""
    chat = update.effective_chat
    assert chat is not None
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    month = _this_month(context)
    personal: list[tuple[str, InlineKeyboardMarkup]] = []
    async with context.bot_data.sessionmaker() as session:
        scope = await scope_for(session, viewer, " ".join(context.args or []), Records.ABSENCES)
        if scope.student is not None:
            text = await _student_text(context, session, viewer, scope.student, month)
            personal.append((text, InlineKeyboardMarkup([_month_buttons(month, month)])))
        for group in scope.groups:
            text, buttons = await _group_text(context, session, viewer, group, month)
            personal.append((text, InlineKeyboardMarkup(buttons)))
    if scope.unknown:
        text = _("No group “{code}”.").format(code=html.escape(scope.unknown))
        await send_html(context.bot, chat.id, text)
    elif scope.nothing is not None:
        await send_html(context.bot, chat.id, nothing_text(scope.nothing, Records.ABSENCES, viewer))
    for text, markup in personal:
        await send_html(context.bot, chat.id, text, reply_markup=markup, protect=True)


async def step_month(update: Update, context: Context) -> None:
    """A student's month buttons: any month up to the current one."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    match = MONTH.match(query.data)
    assert match is not None
    viewer = viewer_of(context)
    month = Month.parse(match.group(1))
    current = _this_month(context)
    student = viewer.student
    if month is None or current < month or student is None:
        _ = gettext_for(viewer.language)
        await query.answer(_("This button is out of date. Please ask again."))
        return
    async with context.bot_data.sessionmaker() as session:
        text = await _student_text(context, session, viewer, student, month)
    await query.answer()
    markup = InlineKeyboardMarkup([_month_buttons(month, current)])
    await edit_html(
        context.bot,
        query.message.chat.id,
        query.message.message_id,
        text,
        reply_markup=markup,
        protect=True,
    )


async def show_student(update: Update, context: Context) -> None:
    """A tutor opens one student's detail; anyone else is refused (and it is logged)."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    match = DETAIL.match(query.data)
    assert match is not None
    viewer = viewer_of(context)
    month = Month.parse(match.group(2))
    async with context.bot_data.sessionmaker() as session:
        student = await student_in_view(session, viewer, int(match.group(1)))
        text = await _student_text(context, session, viewer, student, month) if month else ""
    if month is None:
        _ = gettext_for(viewer.language)
        await query.answer(_("This button is out of date. Please ask again."))
        return
    await query.answer()
    await send_html(context.bot, query.message.chat.id, text, protect=True)


HANDLERS = [
    CommandHandler("absences", show_absences),
    CallbackQueryHandler(step_month, pattern=MONTH),
    CallbackQueryHandler(show_student, pattern=DETAIL),
]

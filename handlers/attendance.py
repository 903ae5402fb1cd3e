"""/absences: a student's month and semester against the limits; a tutor's group table."""

import datetime as dt
import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.chat.callback_data import CallbackPattern, is_id, is_month
from bot.chat.context import Context, stamps_of, viewer_of
from bot.chat.data_as_of import as_of_line
from bot.chat.replies import edit_html, send_html
from bot.i18n import gettext_for
from models.access import GroupRef, StudentRef, Viewer
from models.attendance_queries import Month, group_absences, student_absences
from models.record_scope import meter, scope_for, student_in_view

MONTH = CallbackPattern(r"^ab:m:(\d{4}-\d{2})$", is_month)
DETAIL = CallbackPattern(r"^ab:s:(\d{1,10}):(\d{4}-\d{2})$", is_id, is_month)
GROUP_ROWS = 40  # the table lists at most this many students; the rest are fine


def _this_month(context: Context) -> Month:
    return Month.of(dt.datetime.now(context.bot_data.settings.tz).date())


def _month_buttons(month: Month, prefix: str) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(f"◀️ {month.shift(-1)}", callback_data=f"{prefix}{month.shift(-1)}"),
        InlineKeyboardButton(f"{month.shift(1)} ▶️", callback_data=f"{prefix}{month.shift(1)}"),
    ]


async def _student_text(context: Context, viewer: Viewer, student: StudentRef, month: Month) -> str:
    _ = gettext_for(viewer.language)
    settings = context.bot_data.settings
    async with context.bot_data.sessionmaker() as session:
        summary = await student_absences(session, student_id=student.id, month=month)
    context.bot_data.view_log.record(viewer, "view:absences", f"student:{student.id}")
    c, s = summary.counts, summary.semester
    month_limit, semester_limit = settings.unexcused_month_limit, settings.unexcused_semester_limit
    lines = [
        _("<b>Absences of {name}, {month}</b>").format(name=html.escape(student.name), month=month),
        _("Excused: {excused} · unexcused: {unexcused} · not yet decided: {pending}").format(
            excused=c.excused, unexcused=c.unexcused, pending=c.pending
        ),
        _("Unexcused this month: {bar}").format(bar=meter(c.unexcused, month_limit)),
        _("Unexcused this semester: {bar}").format(bar=meter(s.unexcused, semester_limit)),
    ]
    if c.unexcused > month_limit:
        lines.append("⚠️ " + _("Over the monthly limit: the stipend may be lost."))
    elif c.unexcused >= month_limit - 2 and month_limit:
        lines.append(
            "⚠️ "
            + _("{left} more unexcused lessons and the monthly limit is passed.").format(
                left=month_limit - c.unexcused + 1
            )
        )
    else:
        lines.append("✅ " + _("Within the limits."))
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
    lines += ["", as_of_line(stamps_of(context).as_of(["absences"]), viewer.language, settings.tz)]
    return "\n".join(lines)


async def _group_text(
    context: Context, viewer: Viewer, group: GroupRef, month: Month
) -> tuple[str, list[list[InlineKeyboardButton]]]:
    _ = gettext_for(viewer.language)
    settings = context.bot_data.settings
    async with context.bot_data.sessionmaker() as session:
        rows = await group_absences(session, group_id=group.id, month=month)
    context.bot_data.view_log.record(viewer, "view:absences", f"group:{group.code}")
    lines = [_("<b>Absences in {group}, {month}</b> (unexcused / all)").format(
        group=html.escape(group.code), month=month)]  # fmt: skip
    buttons = []
    for row in rows[:GROUP_ROWS]:
        flag = " ⚠️" if row.counts.unexcused > settings.unexcused_month_limit else ""
        lines.append(f"{html.escape(row.name)}: {row.counts.unexcused} / {row.counts.total}{flag}")
        if row.counts.total:
            buttons.append(
                [InlineKeyboardButton(row.name, callback_data=f"ab:s:{row.student_id}:{month}")]
            )
    if not rows:
        lines.append(_("No students."))
    lines += ["", as_of_line(stamps_of(context).as_of(["absences"]), viewer.language, settings.tz)]
    return "\n".join(lines), buttons[:12]


async def show_absences(update: Update, context: Context) -> None:
    """/absences [group]: own absences for a student, the group tables for a tutor or admin."""
    chat = update.effective_chat
    assert chat is not None
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    month = _this_month(context)
    async with context.bot_data.sessionmaker() as session:
        scope = await scope_for(session, viewer, " ".join(context.args or []))
    if scope.student is not None:
        text = await _student_text(context, viewer, scope.student, month)
        markup = InlineKeyboardMarkup([_month_buttons(month, "ab:m:")])
        await send_html(context.bot, chat.id, text, reply_markup=markup, protect=True)
        return
    if scope.unknown:
        text = _("No group “{code}”.").format(code=html.escape(scope.unknown))
        await send_html(context.bot, chat.id, text)
        return
    if not scope.groups:
        hint = _(
            "Absences are personal: link your account first "
            "with the code from your school (/start)."
        )
        if viewer.is_admin:
            hint = _("Which group? For example: /absences AM-21")
        await send_html(context.bot, chat.id, hint)
        return
    for group in scope.groups:
        text, buttons = await _group_text(context, viewer, group, month)
        await send_html(
            context.bot, chat.id, text, reply_markup=InlineKeyboardMarkup(buttons), protect=True
        )


async def step_month(update: Update, context: Context) -> None:
    """A student's month buttons."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    match = MONTH.match(query.data)
    assert match is not None
    viewer = viewer_of(context)
    month = Month.parse(match.group(1))
    student = viewer.student
    if month is None or student is None:
        _ = gettext_for(viewer.language)
        await query.answer(_("This button is out of date. Please ask again."))
        return
    await query.answer()
    text = await _student_text(context, viewer, student, month)
    markup = InlineKeyboardMarkup([_month_buttons(month, "ab:m:")])
    await edit_html(
        context.bot, query.message.chat.id, query.message.message_id, text,
        reply_markup=markup, protect=True,
    )  # fmt: skip


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
    if month is None:
        _ = gettext_for(viewer.language)
        await query.answer(_("This button is out of date. Please ask again."))
        return
    await query.answer()
    text = await _student_text(context, viewer, student, month)
    await send_html(context.bot, query.message.chat.id, text, protect=True)


HANDLERS = [
    CommandHandler("absences", show_absences),
    CallbackQueryHandler(step_month, pattern=MONTH),
    CallbackQueryHandler(show_student, pattern=DETAIL),
]

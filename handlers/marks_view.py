"""/marks: a student's marks this month with averages and gaps; a tutor's group overview."""

import datetime as dt
import html

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.chat.callback_data import CallbackPattern, is_month
from bot.chat.context import Context, stamps_of, viewer_of
from bot.chat.data_as_of import as_of_line
from bot.chat.records import nothing_text
from bot.chat.replies import edit_html, send_html
from bot.i18n import gettext_for
from models.access import GroupRef, StudentRef, Viewer
from models.attendance_queries import Month
from models.mark_rounding import half_up
from models.marks_queries import group_marks, student_marks
from models.record_scope import Records, scope_for

MONTH = CallbackPattern(r"^mk:m:(\d{4}-\d{2})$", is_month)


def _mark(value: str, failing_below: int) -> str:
    return f"<u>{value}</u>❗" if value.isdigit() and int(value) < failing_below else value


def _average(value: float | None) -> str:
    """An average as the school writes it: one decimal, rounded half up."""
    return "—" if value is None else str(half_up(value, 1))


def _this_month(context: Context) -> Month:
    return Month.of(dt.datetime.now(context.bot_data.settings.tz).date())


async def _student_text(
    context: Context, session: AsyncSession, viewer: Viewer, student: StudentRef, month: Month
) -> str:
    _ = gettext_for(viewer.language)
    settings = context.bot_data.settings
    snapshot = await context.bot_data.timetable.current(session, stamps_of(context))
    taught = snapshot.graded_subjects(student.group_id, month.first, month.last)
    summary = await student_marks(session, student_id=student.id, month=month, taught=taught)
    context.bot_data.view_log.record(viewer, "view:marks", f"student:{student.id}")
    lines = [
        _("<b>Marks of {name}, {month}</b>").format(name=html.escape(student.name), month=month)
    ]
    if not summary.subjects:
        lines.append(_("No marks this month yet."))
    for subject in summary.subjects:
        values = " ".join(_mark(v, settings.failing_mark_below) for v in subject.values) or "—"
        average = f" · ⌀ {_average(subject.average)}" if subject.average is not None else ""
        attestation = (
            " · " + _("attestation {value}").format(value=subject.attestation)
            if subject.attestation
            else ""
        )
        lines.append(f"• {html.escape(subject.subject)}: {values}{average}{attestation}")
    if any(
        v.isdigit() and int(v) < settings.failing_mark_below
        for s in summary.subjects
        for v in s.values
    ):
        lines.append(
            "❗ " + _("Marks below {limit} are failing.").format(limit=settings.failing_mark_below)
        )
    if summary.without_marks:
        lines += [
            "",
            _("<b>No mark yet this month:</b> {subjects}").format(
                subjects=html.escape(", ".join(summary.without_marks))
            ),
        ]
    lines += ["", as_of_line(stamps_of(context).as_of(["marks"]), viewer.language, settings.tz)]
    return "\n".join(lines)


async def _group_text(
    context: Context, session: AsyncSession, viewer: Viewer, group: GroupRef, month: Month
) -> str:
    _ = gettext_for(viewer.language)
    settings = context.bot_data.settings
    rows = await group_marks(
        session, group_id=group.id, month=month, failing_below=settings.failing_mark_below
    )
    context.bot_data.view_log.record(viewer, "view:marks", f"group:{group.code}")
    lines = [
        _("<b>Marks in {group}, {month}</b> (average · failing)").format(
            group=html.escape(group.code), month=month
        )
    ]
    for row in rows:
        average = _average(row.average)
        flag = " ❗" if row.failing else ""
        lines.append(f"{html.escape(row.name)}: {average} · {row.failing}{flag}")
    lines += ["", as_of_line(stamps_of(context).as_of(["marks"]), viewer.language, settings.tz)]
    return "\n".join(lines)


def _buttons(month: Month, current: Month) -> InlineKeyboardMarkup:
    """Step back, and forward only up to the current month."""
    back = month.shift(-1)
    buttons = [InlineKeyboardButton(f"◀️ {back}", callback_data=f"mk:m:{back}")]
    if (forward := month.next_until(current)) is not None:
        buttons.append(InlineKeyboardButton(f"{forward} ▶️", callback_data=f"mk:m:{forward}"))
    return InlineKeyboardMarkup([buttons])


async def show_marks(update: Update, context: Context) -> None:
    """/marks [group]: own marks for a student, the group overview for a tutor or admin."""
    chat = update.effective_chat
    assert chat is not None
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    month = _this_month(context)
    personal: list[tuple[str, InlineKeyboardMarkup | None]] = []
    async with context.bot_data.sessionmaker() as session:
        scope = await scope_for(session, viewer, " ".join(context.args or []), Records.MARKS)
        if scope.student is not None:
            text = await _student_text(context, session, viewer, scope.student, month)
            personal.append((text, _buttons(month, month)))
        for group in scope.groups:
            personal.append((await _group_text(context, session, viewer, group, month), None))
    if scope.unknown:
        text = _("No group “{code}”.").format(code=html.escape(scope.unknown))
        await send_html(context.bot, chat.id, text)
    elif scope.nothing is not None:
        await send_html(context.bot, chat.id, nothing_text(scope.nothing, Records.MARKS, viewer))
    for text, markup in personal:
        await send_html(context.bot, chat.id, text, reply_markup=markup, protect=True)


async def step_month(update: Update, context: Context) -> None:
    """A student's month buttons (only ever their own marks, never a month still to come)."""
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
    await edit_html(
        context.bot,
        query.message.chat.id,
        query.message.message_id,
        text,
        reply_markup=_buttons(month, current),
        protect=True,
    )


HANDLERS = [
    CommandHandler("marks", show_marks),
    CallbackQueryHandler(step_month, pattern=MONTH),
]

"""/practice: a student's placement card, a tutor's group placements, companies for admins."""

import datetime as dt
import html

from sqlmodel import col, select
from telegram import Update
from telegram.ext import CommandHandler

from bot.chat.context import Context, stamps_of, viewer_of
from bot.chat.data_as_of import as_of_line
from bot.chat.replies import send_html
from bot.i18n import N_, gettext_for
from models.access import Viewer
from models.practice_queries import PlacementCard, companies_for, placements_of
from models.record_scope import scope_for
from models.school import Student, StudentStatus

KIND_NAMES = {
    "training": N_("training practice"),
    "qualification": N_("qualification practice"),
    "dvb": N_("work-based learning"),
    "erasmus": N_("Erasmus+ practice abroad"),
    "module": N_("module practice"),
}
DOCUMENT_NAMES = {"diary": N_("practice diary"), "characterisation": N_("characterisation")}
RESULT_NAMES = {"pending": N_("not yet assessed"), "passed": N_("passed"), "failed": N_("failed")}


def render_card(card: PlacementCard, language: str, today: dt.date, *, with_name: bool) -> str:
    _ = gettext_for(language)
    lines = [f"🏭 <b>{html.escape(card.student)}</b>"] if with_name else []
    lines.append(f"<b>{_(KIND_NAMES.get(card.kind, card.kind))}</b>: {html.escape(card.company)}")
    if card.address:
        lines.append(_("Address: {address}").format(address=html.escape(card.address)))
    span = f"{card.start:%d.%m.%Y}–{card.end:%d.%m.%Y}"
    if today < card.start:
        lines.append(
            _("{span}, starts in {days} days").format(span=span, days=(card.start - today).days)
        )
    elif today <= card.end:
        lines.append(_("{span}, {days} days left").format(span=span, days=(card.end - today).days))
    else:
        lines.append(_("{span}, finished").format(span=span))
    if card.company_supervisor:
        lines.append(
            _("Supervisor at the company: {name}").format(name=html.escape(card.company_supervisor))
        )
    if card.school_supervisor:
        lines.append(
            _("Supervisor at school: {name}").format(name=html.escape(card.school_supervisor))
        )
    agreement = (
        _("signed {date}").format(date=f"{card.agreement_signed:%d.%m.%Y}")
        if card.agreement_signed
        else _("not signed yet")
    )
    lines.append(
        _("Agreement {number}: {state}").format(
            number=html.escape(card.agreement_no), state=agreement
        )
    )
    for name, due, received in card.documents:
        label = _(DOCUMENT_NAMES.get(name, name))
        if received is not None:
            state = "✅ " + _("received {date}").format(date=f"{received:%d.%m.%Y}")
        elif due is None:
            continue
        elif due < today:
            state = "⚠️ " + _("overdue since {date}").format(date=f"{due:%d.%m.%Y}")
        else:
            state = _("due {date}").format(date=f"{due:%d.%m.%Y}")
        lines.append(f"• {label}: {state}")
    lines.append(_("Result: {result}").format(result=_(RESULT_NAMES.get(card.result, card.result))))
    return "\n".join(lines)


async def _send(
    context: Context, chat_id: int, viewer: Viewer, student_ids: list[int], title: str
) -> None:
    _ = gettext_for(viewer.language)
    settings = context.bot_data.settings
    today = dt.datetime.now(settings.tz).date()
    async with context.bot_data.sessionmaker() as session:
        cards = await placements_of(session, student_ids=student_ids)
    context.bot_data.view_log.record(viewer, "view:practice", title)
    many = len(student_ids) > 1
    body = [render_card(card, viewer.language, today, with_name=many) for card in cards]
    if not body:
        body = [_("No practice placement is recorded.")]
    text = (
        "\n\n".join(body)
        + "\n\n"
        + as_of_line(stamps_of(context).as_of(["placements"]), viewer.language, settings.tz)
    )
    await send_html(context.bot, chat_id, text, protect=True)


async def show_practice(update: Update, context: Context) -> None:
    """/practice [group | speciality | company]."""
    chat = update.effective_chat
    assert chat is not None
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    argument = " ".join(context.args or [])[:100]
    if argument and viewer.is_admin:
        async with context.bot_data.sessionmaker() as session:
            companies = await companies_for(session, argument)
        if companies:
            lines = [
                _("<b>Companies for “{query}”</b> (students placed)").format(
                    query=html.escape(argument)
                )
            ]
            lines += [f"• {html.escape(name)}{', ' + html.escape(city) if city else ''}: {count}"
                      for name, city, count in companies]  # fmt: skip
            await send_html(context.bot, chat.id, "\n".join(lines))
            return
    async with context.bot_data.sessionmaker() as session:
        scope = await scope_for(session, viewer, argument)
        if scope.unknown:
            text = _("No group, speciality or company “{query}”.").format(
                query=html.escape(scope.unknown)
            )
            await send_html(context.bot, chat.id, text)
            return
        if scope.student is not None:
            await _send(
                context, chat.id, viewer, [scope.student.id or 0], f"student:{scope.student.id}"
            )
            return
        groups: list[tuple[str, list[int]]] = []
        for group in scope.groups:
            members = await session.scalars(
                select(Student.id).where(
                    col(Student.group_id) == group.id, col(Student.status) == StudentStatus.ACTIVE
                )
            )
            groups.append((group.code, [i for i in members if i is not None]))
    if not groups:
        hint = _(
            "Practice is personal: link your account first with the code from your school (/start)."
        )
        if viewer.is_admin:
            hint = _("Which group, speciality or company? For example: /practice AM-41")
        await send_html(context.bot, chat.id, hint)
        return
    for code, student_ids in groups:
        await _send(context, chat.id, viewer, student_ids, f"group:{code}")


HANDLERS = [CommandHandler("practice", show_practice)]

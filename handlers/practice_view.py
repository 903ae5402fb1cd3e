"""/practice: a student's placement card, a tutor's group placements, companies for admins."""

import datetime as dt
import html

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import CommandHandler

from bot.chat.context import Context, stamps_of, viewer_of
from bot.chat.data_as_of import as_of_line
from bot.chat.records import nothing_text
from bot.chat.replies import send_html
from bot.i18n import N_, gettext_for
from models.access import Viewer
from models.practice_queries import PlacementCard, companies_for, group_members, placements_of
from models.record_scope import Records, Scope, scope_for

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


async def _cards_text(
    context: Context,
    session: AsyncSession,
    viewer: Viewer,
    student_ids: list[int],
    title: str,
    *,
    names: bool = True,
) -> str:
    """The placement cards of these students, or why there are none."""
    _ = gettext_for(viewer.language)
    settings = context.bot_data.settings
    today = dt.datetime.now(settings.tz).date()
    cards = await placements_of(session, student_ids=student_ids)
    context.bot_data.view_log.record(viewer, "view:practice", title)
    body = [render_card(card, viewer.language, today, with_name=names) for card in cards]
    if not body:
        body = [_("No practice placement is recorded.")]
    as_of = as_of_line(stamps_of(context).as_of(["placements"]), viewer.language, settings.tz)
    return "\n\n".join(body) + "\n\n" + as_of


async def _scope_texts(
    context: Context, session: AsyncSession, viewer: Viewer, scope: Scope
) -> list[str]:
    """The cards the scope allows: the student's own, each group's, the supervised students'."""
    if scope.student is not None:
        ident = scope.student.id
        title = f"student:{ident}"
        return [await _cards_text(context, session, viewer, [ident], title, names=False)]
    texts = []
    for group in scope.groups:
        members = await group_members(session, group_id=group.id)
        texts.append(await _cards_text(context, session, viewer, members, f"group:{group.code}"))
    if scope.supervised:
        _ = gettext_for(viewer.language)
        cards = await _cards_text(context, session, viewer, scope.supervised, "supervised")
        texts.append(_("<b>Students whose practice you supervise</b>") + "\n\n" + cards)
    return texts


async def _companies_text(session: AsyncSession, viewer: Viewer, argument: str) -> str | None:
    """An admin's search of companies by speciality or name; None when nothing matches."""
    _ = gettext_for(viewer.language)
    companies = await companies_for(session, argument)
    if not companies:
        return None
    lines = [
        _("<b>Companies for “{query}”</b> (students placed)").format(query=html.escape(argument))
    ]
    lines += [
        f"• {html.escape(name)}{', ' + html.escape(city) if city else ''}: {count}"
        for name, city, count in companies
    ]
    return "\n".join(lines)


async def show_practice(update: Update, context: Context) -> None:
    """/practice [group | speciality | company]."""
    chat = update.effective_chat
    assert chat is not None
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    argument = " ".join(context.args or [])[:100]
    companies = None
    async with context.bot_data.sessionmaker() as session:
        if argument and viewer.is_admin:
            companies = await _companies_text(session, viewer, argument)
        scope = Scope()  # an admin's company search answers the question alone
        if companies is None:
            scope = await scope_for(session, viewer, argument, Records.PRACTICE)
        texts = await _scope_texts(context, session, viewer, scope)
    if companies is not None:
        await send_html(context.bot, chat.id, companies)
    if scope.unknown:
        text = _("No group, speciality or company “{query}”.").format(
            query=html.escape(scope.unknown)
        )
        await send_html(context.bot, chat.id, text)
    elif scope.nothing is not None:
        await send_html(context.bot, chat.id, nothing_text(scope.nothing, Records.PRACTICE, viewer))
    for text in texts:
        await send_html(context.bot, chat.id, text, protect=True)


HANDLERS = [CommandHandler("practice", show_practice)]

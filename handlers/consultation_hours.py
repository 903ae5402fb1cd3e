"""/consult: a teacher's or a service's consultation hours, forgiving how the name is written."""

import datetime as dt
import html

from babel.dates import format_date, get_day_names
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.chat.callback_data import CallbackPattern, is_id
from bot.chat.context import Context, timetable_of, viewer_of
from bot.chat.replies import send_html
from bot.i18n import N_, gettext_for
from models.consultation_queries import (
    Owner,
    Slot,
    find_owners,
    list_slots,
    teachers_of_group,
)
from models.consultations import SlotKind

CHOOSE = CallbackPattern(r"^cs:(t:\d{1,10}|k:[a-z_]{1,24})$", lambda v: v[0] == "k" or is_id(v[2:]))
KIND_NAMES: dict[str, str] = {
    SlotKind.CONSULTATION: N_("consultation"),
    SlotKind.INDIVIDUAL_WORK: N_("individual work"),
    SlotKind.PSYCHOLOGIST: N_("Psychologist"),
    SlotKind.CAREER: N_("Career consultant"),
    SlotKind.PARAMEDIC: N_("Paramedic"),
    SlotKind.RECEPTION: N_("reception hours"),
    SlotKind.LIBRARY: N_("Library"),
    SlotKind.CLUB: N_("club"),
}
MAX_OWNERS = 25  # "my group's teachers" lists at most this many cards


def render_owner(owner: Owner, slots: list[Slot], language: str) -> str:
    _ = gettext_for(language)
    days = get_day_names("wide", locale=language)
    name = owner.name or _(KIND_NAMES.get(owner.kind, owner.kind))
    lines = [f"👤 <b>{html.escape(name)}</b>"]
    if not slots:
        lines.append(_("No consultation hours are listed."))
    for slot in slots:
        place = html.escape(slot.room) + (
            f" ({html.escape(slot.building)})" if slot.building else ""
        )
        kind = _(KIND_NAMES.get(slot.kind, slot.kind))
        line = f"• {days[slot.weekday - 1].capitalize()} {slot.start:%H:%M}–{slot.end:%H:%M}"
        line += f", {place}" if place else ""
        line += f" · {kind}" if slot.kind != SlotKind.CONSULTATION else ""
        if slot.now_on:
            line += " 🟢 " + _("on now")
        elif slot.next_date is not None:
            line += " · " + _("next: {date}").format(
                date=format_date(slot.next_date, "dd.MM. EEE", locale=language)
            )
        lines.append(line)
        for day, reason in slot.cancelled:
            note = f" ({html.escape(reason)})" if reason else ""
            lines.append("   ❌ " + _("cancelled on {date}").format(date=f"{day:%d.%m.}") + note)
    return "\n".join(lines)


async def _send_cards(context: Context, chat_id: int, language: str, owners: list[Owner]) -> None:
    now = dt.datetime.now(context.bot_data.settings.tz).replace(tzinfo=None)
    async with context.bot_data.sessionmaker() as session:
        slots = await list_slots(session, owners[:MAX_OWNERS], now=now)
    cards = [render_owner(owner, slots[owner], language) for owner in owners[:MAX_OWNERS]]
    await send_html(context.bot, chat_id, "\n\n".join(cards))


async def show_consultations(update: Update, context: Context) -> None:
    """Answer /consult <teacher, subject or service>, or the viewer's own teachers' hours."""
    chat = update.effective_chat
    assert chat is not None
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    query = " ".join(context.args or [])[:100]
    snapshot = await timetable_of(context)
    if query:
        owners = find_owners(snapshot, query)
    elif viewer.home_group_id is not None:
        owners = teachers_of_group(snapshot, viewer.home_group_id)
    elif viewer.staff_id in snapshot.staff:
        owners = [Owner(viewer.staff_id, "", snapshot.staff[viewer.staff_id])]
    else:
        owners = []
    if not query and not owners:
        services = ", ".join(
            _(KIND_NAMES[k]) for k in (SlotKind.PSYCHOLOGIST, SlotKind.CAREER, SlotKind.PARAMEDIC)
        )
        text = _("Whose hours? For example: /consult Ozols, /consult matemātika.") + "\n"
        text += _("Services: {services}.").format(services=services)
        await send_html(context.bot, chat.id, text)
        return
    if not owners:
        await send_html(
            context.bot,
            chat.id,
            _("I found no teacher or subject called “{query}”.").format(query=html.escape(query)),
        )
        return
    if query and len(owners) > 1:
        buttons = [
            [InlineKeyboardButton(o.name, callback_data=f"cs:t:{o.staff_id}")] for o in owners
        ]
        await send_html(
            context.bot, chat.id, _("Whom do you mean?"), reply_markup=InlineKeyboardMarkup(buttons)
        )
        return
    await _send_cards(context, chat.id, viewer.language, owners)


async def choose(update: Update, context: Context) -> None:
    """A chosen teacher (or service) from the list of matches."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    match = CHOOSE.match(query.data)
    assert match is not None  # guaranteed by the handler's pattern
    viewer = viewer_of(context)
    kind, _sep, value = match.group(1).partition(":")
    snapshot = await timetable_of(context)
    found = find_owners(snapshot, value) if kind == "k" else []
    staff_id = int(value) if kind == "t" else None
    if staff_id in snapshot.staff_keys:  # active staff only
        found = [Owner(staff_id, "", snapshot.staff[staff_id])]
    await query.answer()
    if not found:
        _ = gettext_for(viewer.language)
        await send_html(
            context.bot, query.message.chat.id, _("This button is out of date. Please ask again.")
        )
        return
    await _send_cards(context, query.message.chat.id, viewer.language, found)


HANDLERS = [
    CommandHandler("consult", show_consultations),
    CallbackQueryHandler(choose, pattern=CHOOSE),
]

"""/students: a guardian of several students picks whose records the bot shows (remembered)."""

import datetime as dt
import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.chat.callback_data import CallbackPattern, is_id
from bot.chat.context import Context, viewer_of
from bot.chat.replies import edit_html, send_html
from bot.i18n import gettext_for
from handlers.registration import register_sender
from models.access import Viewer, audit
from models.guardian_queries import choose_ward

CHOOSE = CallbackPattern(r"^gd:w:(\d{1,10})$", is_id)


def _students_view(viewer: Viewer) -> tuple[str, InlineKeyboardMarkup]:
    """The guardian's students, the chosen one ticked, unshared ones with a lock."""
    _ = gettext_for(viewer.language)
    chosen = viewer.ward
    lines = [_("<b>Your students</b>")]
    buttons = []
    for ward in viewer.wards:
        mark = "✅ " if chosen is not None and ward.student.id == chosen.student.id else ""
        lock = "" if ward.shared else " 🔒"
        label = f"{mark}{ward.student.name} ({ward.group_code}){lock}"
        lines.append("• " + html.escape(label))
        buttons.append([InlineKeyboardButton(label, callback_data=f"gd:w:{ward.student.id}")])
    if any(not ward.shared for ward in viewer.wards):
        lines.append(_("🔒 not shared with you: a student aged 18 or more decides this."))
    lines.append(_("Tap a student to see their timetable, absences, marks and practice."))
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


async def show_students(update: Update, context: Context) -> None:
    """List a guardian's students with a button for each; others learn what it is for."""
    chat = update.effective_chat
    assert chat is not None
    viewer = viewer_of(context)
    if not viewer.is_guardian:
        _ = gettext_for(viewer.language)
        text = _("This is for guardians: they link their account with the code from the school.")
        await send_html(context.bot, chat.id, text)
        return
    text, buttons = _students_view(viewer)
    await send_html(context.bot, chat.id, text, reply_markup=buttons, protect=True)


async def pick_student(update: Update, context: Context) -> None:
    """Remember the pressed student if they are still the guardian's; refuse (and log) if not."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    match = CHOOSE.match(query.data)
    assert match is not None  # guaranteed by the handler's pattern
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    student_id = int(match.group(1))
    today = dt.datetime.now(context.bot_data.settings.tz).date()
    async with context.bot_data.sessionmaker.begin() as session:
        ward = await choose_ward(
            session, telegram_id=viewer.telegram_id, student_id=student_id, today=today
        )
        if ward is None:
            await audit(session, viewer=viewer, action="refused", target=f"student:{student_id}")
    if ward is None:
        await query.answer(_("This button is out of date. Please ask again."), show_alert=True)
        return
    await register_sender(update, context)  # the Viewer now shows the chosen student
    viewer = viewer_of(context)
    await query.answer(_("Now showing: {name}").format(name=ward.student.name))
    text, buttons = _students_view(viewer)
    chat_id, message_id = query.message.chat.id, query.message.message_id
    await edit_html(context.bot, chat_id, message_id, text, reply_markup=buttons, protect=True)


HANDLERS = [
    CommandHandler("students", show_students),
    CallbackQueryHandler(pick_student, pattern=CHOOSE),
]

"""/start without a code: greet the user and explain how to link their account."""

import html

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.chat.commands import menu_keyboard
from bot.chat.context import Context, viewer_of
from bot.chat.replies import send_html
from bot.i18n import gettext_for


async def greet(update: Update, context: Context) -> None:
    """Say hello, tell a visitor how to link, and show the menu for the user's role."""
    chat = update.effective_chat
    assert chat is not None  # guaranteed by CommandHandler
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    settings = context.bot_data.settings
    lines = [
        _("Hello, {name}! I am the assistant of {school}.").format(
            name=html.escape(viewer.first_name or _("there")),
            school=html.escape(settings.school_name),
        )
    ]
    if viewer.is_linked:
        lines.append(_("Your account is linked. Use the menu below or /help."))
    else:
        lines += [
            "",
            _(
                "Anyone can ask me for timetables of groups, teachers and rooms, "
                "and for consultation hours."
            ),
            _(
                "To see your own timetable, absences, marks and practice, link your account: "
                "ask your group tutor or the study department for a link code, then open the "
                "link or QR code you got, or simply send the code here."
            ),
        ]
    await send_html(
        context.bot,
        chat.id,
        "\n".join(lines),
        reply_markup=menu_keyboard(viewer.role, viewer.language, context.bot_data.registered),
    )


HANDLERS = [CommandHandler("start", greet, filters=filters.ChatType.PRIVATE, has_args=False)]

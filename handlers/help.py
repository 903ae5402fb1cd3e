"""/help: the commands this user's role can use, with what each does."""

from telegram import Update
from telegram.ext import CommandHandler

from bot.chat.commands import available, menu_keyboard
from bot.chat.context import Context, viewer_of
from bot.chat.replies import send_html
from bot.i18n import gettext_for


async def show_help(update: Update, context: Context) -> None:
    """List the commands available to the user's role."""
    chat = update.effective_chat
    assert chat is not None
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    registered = context.bot_data.registered
    lines = [_("<b>What I can do for you</b>"), ""]
    lines += [f"/{c.name} — {_(c.description)}" for c in available(viewer.role, registered)]
    if not viewer.is_linked:
        lines += ["", _("Link your account with the code from your school to see your own data.")]
    await send_html(
        context.bot,
        chat.id,
        "\n".join(lines),
        reply_markup=menu_keyboard(viewer.role, viewer.language, registered),
    )


HANDLERS = [CommandHandler("help", show_help)]

"""/privacy: what the bot stores, why, for how long, and who sees it."""

import html

from telegram import Update
from telegram.ext import CommandHandler

from bot.chat.context import Context, viewer_of
from bot.chat.replies import send_html
from bot.i18n import gettext_for


async def show_privacy(update: Update, context: Context) -> None:
    """Explain the bot's handling of personal data in the user's language."""
    chat = update.effective_chat
    assert chat is not None
    _ = gettext_for(viewer_of(context).language)
    school = html.escape(context.bot_data.settings.school_name)
    text = "\n".join(
        [
            _("<b>Privacy</b>"),
            "",
            _(
                "<b>What is stored.</b> Your Telegram id, first name, username and language; "
                "if you link your account, which student or staff record it belongs to. "
                "Timetables, absences, marks and placements come from {school}'s own records "
                "(e-klase); the bot only shows them."
            ).format(school=school),
            _(
                "<b>Why.</b> To answer your questions and to deliver notices from the school. "
                "Nothing is used for anything else or given to anyone outside the school."
            ),
            _(
                "<b>Who sees what.</b> A student sees only their own records; a group tutor "
                "only their groups; the study department and the bot's administrators "
                "everything. Personal answers are sent with forwarding and saving disabled."
            ),
            _(
                "<b>For how long.</b> Your Telegram data is kept while your account is linked "
                "and deleted with /forget; only a note of wrong link codes tried stays for up to "
                "two hours, against guessing. Every view of personal data is written to an audit "
                "log the school keeps for {days} days for its own checks."
            ).format(days=context.bot_data.settings.audit_keep_days),
            _("/mydata sends you everything stored about you. /forget unlinks your account."),
        ]
    )
    await send_html(context.bot, chat.id, text)


HANDLERS = [CommandHandler("privacy", show_privacy)]

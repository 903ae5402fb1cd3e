"""Ask each linked student who is (or turned) 18 and has guardians, once, whether to share."""

import datetime as dt
import logging

from bot.config import Settings
from bot.db import SessionMaker
from bot.i18n import gettext_for, pick_language
from models.consent import adults_to_ask, mark_asked
from models.outbox import enqueue

logger = logging.getLogger(__name__)


async def ask_new_adults(sessionmaker: SessionMaker, settings: Settings, now: dt.datetime) -> int:
    """Queue the one question to every adult not yet asked; return how many were queued.

    Until the student answers, their guardians see nothing: the question only offers sharing.
    """
    today = now.astimezone(settings.tz).date()
    async with sessionmaker.begin() as session:
        found = await adults_to_ask(session, today=today)
        for adult in found:
            language = pick_language(
                adult.language, adult.telegram_language, settings.default_language
            )
            _ = gettext_for(language)
            text = _(
                "You are 18 or older, so you decide whether your guardians see your timetable, "
                "absences, marks and practice. They do not see them unless you allow it. You "
                "can change this at any time in /settings."
            )
            button = (_("Share with my guardians"), "settings:guardians:on")
            await enqueue(
                session,
                chat_id=adult.telegram_id,
                dedupe_key=f"consent-ask:{adult.student_id}",
                text=text,
                button=button,
            )
            await mark_asked(session, student_id=adult.student_id, now=now)
    if found:
        logger.info("asked %d adult students about sharing with their guardians", len(found))
    return len(found)

"""Remind, once, everyone who has not confirmed an announcement after the configured delay."""

import datetime as dt
import logging

from sqlmodel import col, select

from bot.config import Settings
from bot.db import SessionMaker
from bot.i18n import gettext_for
from models.acknowledgements import queue_reminder
from models.announcements import Announcement

logger = logging.getLogger(__name__)


async def remind_due(sessionmaker: SessionMaker, settings: Settings, now: dt.datetime) -> int:
    """Queue the reminders that are due now; return how many messages were queued."""
    if not settings.announce_reminder_hours:
        return 0
    due_before = now - dt.timedelta(hours=settings.announce_reminder_hours)
    queued = 0
    async with sessionmaker.begin() as session:
        batches = await session.scalars(
            select(Announcement).where(
                col(Announcement.requires_ack),
                col(Announcement.status) == "queued",
                col(Announcement.reminded_at).is_(None),
                col(Announcement.created_at) <= due_before,
            )
        )
        for batch in batches.all():
            queued += (
                await queue_reminder(
                    session,
                    batch=batch,
                    default_language=settings.default_language,
                    now=now,
                    translate=gettext_for,
                )
                or 0
            )
    if queued:
        logger.info("queued %d read reminders", queued)
    return queued

"""The monthly digest: each tutor's groups, and the school overview for admins, exactly once.

The run that claims the month computes the figures, freezes them (one compact record per group
and one for the school) and queues outbox rows that refer to them, in one transaction. The
sender renders each message, table and chart when it sends it, in the recipient's language.
"""

import asyncio
import datetime as dt
import gc
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.db import SessionMaker
from models.attendance_queries import Month
from models.digest_figures import GroupDigest
from models.digest_queries import build_digests
from models.digest_recipients import GroupTutorChat, list_admin_chats, list_group_tutors
from models.digest_record import encode_group, encode_school
from models.digest_runs import SCHOOL, claim_month, group_subject, list_figures, save_figures
from models.outbox import LaterPart, enqueue_later_parts

logger = logging.getLogger(__name__)


def due_month(now: dt.datetime, settings: Settings) -> Month | None:
    """The month whose digest is due now: the previous one, from the digest day and time on."""
    local = now.astimezone(settings.tz)
    first_day, last_day = settings.digest_day, settings.digest_day + settings.digest_catch_up_days
    if not first_day <= local.day <= last_day:
        return None
    if local.day == first_day and local.time() < settings.digest_time:
        return None
    return Month.of(local.date()).shift(-1)


async def queue_digests(
    sessionmaker: SessionMaker,
    settings: Settings,
    month: Month,
    *,
    claim: bool = True,
    now: dt.datetime | None = None,
) -> tuple[int, list[str]]:
    """Queue every digest of a month; return (rows queued, tutors not reachable).

    The first run claims the month, freezes its figures and queues them. Once claimed, a run
    with claim adds nothing; without (`schoolbot digest send`) it queues, from the frozen
    figures, the copies not yet queued (for a tutor linked since, say): never one twice.
    """
    async with sessionmaker.begin() as session:
        claimed = await claim_month(session, month=str(month), now=now or dt.datetime.now(dt.UTC))
    if claimed:
        return await _freeze_and_queue(sessionmaker, settings, month)
    if claim:
        return 0, []
    async with sessionmaker.begin() as session:
        figures = {
            f.subject: (f.id or 0, f.group_code)
            for f in await list_figures(session, month=str(month))
        }
        if SCHOOL not in figures:
            return 0, []  # the claiming run has not frozen the month yet
        school_id, _code = figures.pop(SCHOOL)
        groups = {int(subject.split(":")[1]): ident for subject, (ident, _c) in figures.items()}
        codes = {int(subject.split(":")[1]): code for subject, (_i, code) in figures.items()}
        tutors = await list_group_tutors(session)
        copies, unlinked = _copies(codes, tutors)
        queued = await _queue_rows(session, settings, month, groups, school_id, copies)
    return queued, unlinked


async def _freeze_and_queue(
    sessionmaker: SessionMaker, settings: Settings, month: Month
) -> tuple[int, list[str]]:
    """Compute and freeze a claimed month's figures and queue its rows, in one transaction."""
    with _collector_paused():
        async with sessionmaker() as session:
            box = [
                await build_digests(session, month=month, failing_below=settings.failing_mark_below)
            ]
            tutors = await list_group_tutors(session)
        group_ids = [d.group_id for d in box[0]]
        copies, unlinked = _copies({d.group_id: d.code for d in box[0]}, tutors)
        # The worker thread takes the figures out of the box and drops them when done: freeing
        # a large school's million objects takes half a second, not to be spent on the loop.
        records = await asyncio.to_thread(_encode, box, unlinked, month, settings)
    try:
        async with sessionmaker.begin() as session:
            ids = await save_figures(session, month=str(month), records=records)
            school_id = ids.pop(SCHOOL)
            groups = {group: ids[group_subject(group)] for group in group_ids}
            queued = await _queue_rows(session, settings, month, groups, school_id, copies)
    except IntegrityError:  # a run that took over a stale claim froze the month first
        logger.warning("digest %s: frozen by another run meanwhile", month)
        return 0, []
    logger.info("digest %s: %d outbox rows, %d tutors not reachable", month, queued, len(unlinked))
    return queued, unlinked


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector while a school's figures are alive.

    They are about a million small objects, and each full collection meanwhile would walk them
    all, holding up the event loop for 0.3-0.6 s at a time (measured at scale 40). They hold
    no cycles, so reference counting frees them; the collector resumes once they are gone.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _encode(
    box: list[list[GroupDigest]], unlinked: list[str], month: Month, settings: Settings
) -> list[tuple[str, str, bytes]]:
    """Each group's record and the school's, as (subject, group code, body); in a thread."""
    digests = box.pop()
    limit, language = settings.unexcused_month_limit, settings.default_language
    records = [
        (group_subject(d.group_id), d.code, encode_group(d, limit=limit, language=language))
        for d in digests
    ]
    school = encode_school(digests, unlinked, month=month, limit=limit, language=language)
    while digests:  # a group at a time: one release of them all would hold the lock long
        digests.pop()
    return [*records, (SCHOOL, "", school)]


Copy = tuple[int, str, int]  # (group id, group code, tutor's chat)


def _copies(
    codes: dict[int, str], tutors: Sequence[GroupTutorChat]
) -> tuple[list[Copy], list[str]]:
    """Each group's copies to its tutors' chats, and the tutors who cannot be reached."""
    copies: list[Copy] = []
    unlinked: list[str] = []
    for tutor in tutors:
        code = codes.get(tutor.group_id)
        if code is None:
            continue  # a group without active students has no digest
        if tutor.chat_id is None:
            unlinked.append(f"{tutor.name} ({code})")
        else:
            copies.append((tutor.group_id, code, tutor.chat_id))
    return copies, unlinked


async def _queue_rows(
    session: AsyncSession,
    settings: Settings,
    month: Month,
    groups: dict[int, int],
    school_id: int,
    copies: list[Copy],
) -> int:
    """Queue each copy's message, table and chart, and the school's message to each admin."""
    parts = []
    for group_id, code, chat_id in copies:
        key = f"digest:{month}:group:{group_id}:chat:{chat_id}"
        for part, filename in (
            ("text", ""),
            ("xlsx", f"{code}-{month}.xlsx"),
            ("png", f"{code}.png"),
        ):
            parts.append(LaterPart(chat_id, f"{key}:{part}", groups[group_id], filename))
    if settings.school_digest_enabled:
        for chat_id in await list_admin_chats(session, configured=settings.admin_telegram_ids):
            parts.append(LaterPart(chat_id, f"digest:{month}:school:{chat_id}", school_id))
    return await enqueue_later_parts(session, parts)

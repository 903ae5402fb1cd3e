"""The monthly digest: each tutor's groups, and the school overview for admins, exactly once."""

import asyncio
import datetime as dt
import html
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select as sa_select  # six columns: beyond sqlmodel's overloads
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.config import Settings
from bot.db import SessionMaker
from bot.digest_files import digest_chart, digest_xlsx
from bot.digest_text import digest_message
from bot.i18n import gettext_for
from models.accounts import TelegramAccount
from models.attendance_summary import Month
from models.digest_runs import claim_month, get_digest_run
from models.month_digest import GroupDigest, build_digests
from models.outbox import enqueue
from models.school import GroupTutor, Staff, StaffRoleAssignment

if TYPE_CHECKING:
    from bot.app import SchoolApplication
    from bot.context import Context

logger = logging.getLogger(__name__)

CHECK_EVERY = dt.timedelta(hours=1)
ADMIN_ROLES = ("admin", "study_dept")


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
    sessionmaker: SessionMaker, settings: Settings, month: Month, *, claim: bool = True
) -> tuple[int, list[str]]:
    """Put every digest of a month into the outbox; return (rows queued, unlinked tutors).

    With claim, a month is handled by one run only; the outbox's keys make even a second run
    (claim=False, as `schoolbot digest send` does) add nothing already queued. The files are
    made before the write transaction opens, away from the event loop: a large school's take
    many seconds, and meanwhile the bot keeps answering and SQLite stays free for its writes.
    """
    limit = settings.unexcused_month_limit
    async with sessionmaker() as session:
        if claim and await get_digest_run(session, month=str(month)) is not None:
            return 0, []
        digests = await build_digests(
            session, month=month, failing_below=settings.failing_mark_below
        )
        tutors = (
            await session.execute(
                sa_select(col(GroupTutor.group_id), col(Staff.first_name), col(Staff.last_name),
                          col(TelegramAccount.telegram_id), col(TelegramAccount.blocked),
                          col(TelegramAccount.language))
                .join(Staff, col(Staff.id) == col(GroupTutor.staff_id))
                .outerjoin(TelegramAccount, col(TelegramAccount.staff_id) == col(Staff.id))
            )
        ).all()  # fmt: skip
    copies: list[_Copy] = []
    unlinked: list[str] = []
    files: dict[tuple[int, str], _Files] = {}  # (group, language): each made once
    for digest in digests:
        for group_id, first_name, last_name, chat_id, blocked, language in tutors:
            if group_id != digest.group_id:
                continue
            if chat_id is None or blocked:
                unlinked.append(f"{first_name} {last_name} ({digest.code})")
                continue
            language = language or settings.default_language
            if (digest.group_id, language) not in files:
                files[digest.group_id, language] = await asyncio.to_thread(
                    _make_files, digest, language, limit
                )
            copies.append(_Copy(digest, chat_id, files[digest.group_id, language]))
    async with sessionmaker.begin() as session:
        if claim and not await claim_month(session, month=str(month)):
            return 0, []  # another run claimed the month while this one made the files
        queued = 0
        for copy in copies:
            queued += await _queue_copy(session, copy)
        if settings.school_digest_enabled:
            queued += await _queue_school(session, digests, unlinked, month, settings)
    logger.info("digest %s: %d outbox rows, %d tutors not reachable", month, queued, len(unlinked))
    return queued, unlinked


@dataclass(frozen=True)
class _Files:
    """A group's digest in one language: the message, the table and the chart."""

    text: str
    table: bytes
    chart: bytes


@dataclass(frozen=True)
class _Copy:
    """One tutor's copy of a group's digest."""

    digest: GroupDigest
    chat_id: int
    files: _Files


def _make_files(digest: GroupDigest, language: str, limit: int) -> _Files:
    return _Files(
        digest_message(digest, language, limit=limit),
        digest_xlsx(digest, language, limit=limit),
        digest_chart(digest, language, limit=limit),
    )


async def _queue_copy(session: AsyncSession, copy: _Copy) -> int:
    digest, chat_id, files = copy.digest, copy.chat_id, copy.files
    key = f"digest:{digest.month}:group:{digest.group_id}:chat:{chat_id}"
    queued = int(
        await enqueue(session, chat_id=chat_id, dedupe_key=f"{key}:text", text=files.text,
                      protect=True)
    )  # fmt: skip
    queued += await enqueue(
        session, chat_id=chat_id, dedupe_key=f"{key}:xlsx", document=files.table,
        filename=f"{digest.code}-{digest.month}.xlsx", protect=True,
    )  # fmt: skip
    queued += await enqueue(
        session, chat_id=chat_id, dedupe_key=f"{key}:png", photo=files.chart,
        filename=f"{digest.code}.png", protect=True,
    )  # fmt: skip
    return queued


async def _queue_school(
    session: AsyncSession, digests: list[GroupDigest], unlinked: list[str], month: Month,
    settings: Settings,
) -> int:  # fmt: skip
    admins = set(settings.admin_telegram_ids)
    admins |= set(
        await session.scalars(
            select(TelegramAccount.telegram_id)
            .join(
                StaffRoleAssignment,
                col(StaffRoleAssignment.staff_id) == col(TelegramAccount.staff_id),
            )
            .where(
                col(StaffRoleAssignment.role).in_(ADMIN_ROLES),
                col(TelegramAccount.blocked).is_(False),
            )
        )
    )
    languages = dict(
        (await session.execute(
            select(col(TelegramAccount.telegram_id), col(TelegramAccount.language))
            .where(col(TelegramAccount.telegram_id).in_(admins))
        )).all()
    )  # fmt: skip
    queued = 0
    for chat_id in sorted(admins):
        language = languages.get(chat_id) or settings.default_language
        text = school_message(digests, unlinked, month, language, settings.unexcused_month_limit)
        key = f"digest:{month}:school:{chat_id}"
        queued += await enqueue(session, chat_id=chat_id, dedupe_key=key, text=text, protect=True)
    return queued


def school_message(
    digests: list[GroupDigest], unlinked: list[str], month: Month, language: str, limit: int
) -> str:
    """The school's month: per group, the students most at risk, tutors not reachable."""
    _ = gettext_for(language)
    lines = [_("📊 <b>School digest: {month}</b>").format(month=month),
             _("Group: missed / unexcused / students over the limit")]  # fmt: skip
    for digest in sorted(digests, key=lambda d: -d.totals.unexcused):
        over = len(digest.over_limit(limit))
        code = html.escape(digest.code)
        lines.append(f"{code}: {digest.totals.total} / {digest.totals.unexcused} / {over}")
    for title, key in ((_("By building"), "building"), (_("By course year"), "course"),
                       (_("By programme"), "programme")):  # fmt: skip
        rollup: dict[str, list[int]] = {}
        for digest in digests:
            totals = rollup.setdefault(str(getattr(digest, key) or "—"), [0, 0, 0])
            totals[0] += digest.totals.total
            totals[1] += digest.totals.unexcused
            totals[2] += len(digest.over_limit(limit))
        lines += ["", f"<b>{title}</b>"]
        lines += [
            f"{html.escape(name)}: {a} / {b} / {c}" for name, (a, b, c) in sorted(rollup.items())
        ]
    risk = sorted(
        ((line.absences.unexcused, line.name, d.code) for d in digests for line in d.students),
        reverse=True,
    )[:10]
    if risk and risk[0][0]:
        lines += ["", _("Most unexcused lessons:")]
        lines += [
            f"{html.escape(name)} ({html.escape(code)}): {count}"
            for count, name, code in risk
            if count
        ]
    if unlinked:
        lines += ["", _("Tutors not linked (their digests were not delivered): {names}").format(
            names=", ".join(unlinked))]  # fmt: skip
    return "\n".join(lines)[:4096]


def schedule(application: "SchoolApplication") -> None:
    """Check every hour (and soon after start, to catch up) whether a month's digest is due."""
    if application.job_queue is None:
        logger.warning("no JobQueue: monthly digests are not sent")
        return
    application.job_queue.run_repeating(_check, interval=CHECK_EVERY, first=60, name="digests")


async def _check(context: "Context") -> None:
    data = context.application.bot_data
    month = due_month(dt.datetime.now(dt.UTC), data.settings)
    if month is not None:
        await queue_digests(data.sessionmaker, data.settings, month)

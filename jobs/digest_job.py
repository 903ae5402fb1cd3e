"""The monthly digest: each tutor's groups, and the school overview for admins, exactly once."""

import datetime as dt
import html
import logging

from sqlalchemy import select as sa_select  # six columns: beyond sqlmodel's overloads
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.config import Settings
from bot.db import SessionMaker
from bot.documents.digest_batch import DigestFiles, make_digest_files
from bot.i18n import gettext_for
from models.accounts import TelegramAccount
from models.attendance_queries import Month
from models.digest_queries import GroupDigest, build_digests
from models.digest_runs import claim_month, get_digest_run
from models.outbox import enqueue
from models.school import GroupTutor, Staff, StaffRoleAssignment

logger = logging.getLogger(__name__)

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
    made before the write transaction opens, in worker threads: a large school's take many
    seconds, and meanwhile the bot keeps answering and SQLite stays free for its writes.
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
    copies: list[tuple[GroupDigest, int, str]] = []  # (digest, tutor's chat, language)
    unlinked: list[str] = []
    for digest in digests:
        for group_id, first_name, last_name, chat_id, blocked, language in tutors:
            if group_id != digest.group_id:
                continue
            if chat_id is None or blocked:
                unlinked.append(f"{first_name} {last_name} ({digest.code})")
                continue
            copies.append((digest, chat_id, language or settings.default_language))
    # Each group's files once per language, however many of its tutors read that language.
    wanted = {(digest.group_id, language): digest for digest, _chat, language in copies}
    made = await make_digest_files([(d, lang) for (_g, lang), d in wanted.items()], limit=limit)
    files = dict(zip(wanted, made, strict=True))
    async with sessionmaker.begin() as session:
        if claim and not await claim_month(session, month=str(month)):
            return 0, []  # another run claimed the month while this one made the files
        queued = 0
        for digest, chat_id, language in copies:
            queued += await _queue_copy(session, digest, chat_id, files[digest.group_id, language])
        if settings.school_digest_enabled:
            queued += await _queue_school(session, digests, unlinked, month, settings)
    logger.info("digest %s: %d outbox rows, %d tutors not reachable", month, queued, len(unlinked))
    return queued, unlinked


async def _queue_copy(
    session: AsyncSession, digest: GroupDigest, chat_id: int, files: DigestFiles
) -> int:
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

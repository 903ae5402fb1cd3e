"""/stats: admins see recent announcements with their delivery figures; others are refused."""

from sqlmodel import col, select

from bot.app import SchoolApplication
from bot.db import SessionMaker
from models.announcements import create_announcement
from models.audiences import resolve_audience
from models.audit import AuditEntry
from models.outbox import OutboxMessage, Status
from tests.builders import add_group, add_staff, add_student
from tests.fake_telegram import RecordingRequest, make_user, text_update

ADMIN = make_user(7101, first_name="Admin", language_code="en")
STUDENT = make_user(7102, first_name="Student", language_code="en")


async def _school_with_an_announcement(sessionmaker: SessionMaker) -> None:
    async with sessionmaker.begin() as session:
        await add_staff(session, telegram_id=ADMIN.id, is_admin=True)
        group = await add_group(session, code="AM-21")
        for chat in (7102, 7103, 7104):
            await add_student(session, group=group, telegram_id=chat)
        audience = await resolve_audience(session, "group:AM-21")
        batch = await create_announcement(
            session, audience=audience, text="Trip on Friday", actor="cli"
        )
        rows = (
            await session.scalars(
                select(OutboxMessage).where(col(OutboxMessage.batch_id) == batch.id)
            )
        ).all()
        rows[0].status, rows[1].status = Status.SENT, Status.BLOCKED


async def test_an_admin_sees_each_batch_with_its_figures(
    app: SchoolApplication, sessionmaker: SessionMaker, telegram: RecordingRequest
) -> None:
    await _school_with_an_announcement(sessionmaker)
    await app.process_update(text_update(app.bot, "/stats", ADMIN))
    text = telegram.last_text(ADMIN.id)
    assert "Recent announcements" in text
    assert "group:AM-21 (in progress)" in text
    assert "sent 1 of 3, failed 0, blocked 1, waiting 1" in text


async def test_an_admin_is_told_when_nothing_was_sent(
    app: SchoolApplication, sessionmaker: SessionMaker, telegram: RecordingRequest
) -> None:
    async with sessionmaker.begin() as session:
        await add_staff(session, telegram_id=ADMIN.id, is_admin=True)
    await app.process_update(text_update(app.bot, "/stats", ADMIN))
    assert "Nothing has been sent yet." in telegram.last_text(ADMIN.id)


async def test_a_student_is_refused_and_the_refusal_is_audited(
    app: SchoolApplication, sessionmaker: SessionMaker, telegram: RecordingRequest
) -> None:
    await _school_with_an_announcement(sessionmaker)
    await app.process_update(text_update(app.bot, "/stats", STUDENT))
    text = telegram.last_text(STUDENT.id)
    assert "Trip on Friday" not in text and "AM-21" not in text
    async with sessionmaker() as session:
        refusals = (
            await session.scalars(
                select(AuditEntry.target).where(col(AuditEntry.action) == "refused")
            )
        ).all()
    assert "stats" in refusals

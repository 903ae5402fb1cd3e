"""Roles follow the data: people the school marked inactive lose their access at once."""

import datetime as dt

from sqlalchemy import update
from sqlmodel import col, select

from bot.app import SchoolApplication, build_application
from bot.config import Settings
from bot.db import SessionMaker
from bot.i18n import gettext_for
from models.audit import AuditEntry
from models.importing import import_bytes
from models.school import Student, StudentStatus
from tests.fake_telegram import RecordingRequest, callback_update, text_update
from tests.importing.files import csv_bytes
from tests.records_data import ADMIN, STUDENT, TUTOR, Records

INACTIVE = (
    "Your account is no longer active. If this is a mistake, please contact the study department."
)


async def _import_staff(
    sessionmaker: SessionMaker, settings: Settings, rows: list[list[str]]
) -> None:
    header = ["code", "first_name", "last_name", "active", "roles"]
    report = await import_bytes(
        sessionmaker,
        csv_bytes([header, *rows]),
        "darbinieki.csv",
        kind="staff",
        limits=settings.import_limits,
        now=dt.datetime.now(dt.UTC),
    )
    assert report.ok, report.render(gettext_for("en"))


async def _set_status(sessionmaker: SessionMaker, student_id: int, status: str) -> None:
    async with sessionmaker.begin() as session:
        await session.execute(
            update(Student).where(col(Student.id) == student_id).values(status=status)
        )


async def test_an_admin_reimported_as_inactive_loses_every_role(
    app: SchoolApplication,
    telegram: RecordingRequest,
    sessionmaker: SessionMaker,
    settings: Settings,
    records: Records,
) -> None:
    await app.process_update(text_update(app.bot, "/absences AM-21", ADMIN))
    assert "Absences in AM-21" in telegram.last_text(ADMIN.id)
    await _import_staff(sessionmaker, settings, [["A1", "Admin", "Person", "no", "admin"]])
    telegram.clear()
    await app.process_update(text_update(app.bot, "/absences AM-21", ADMIN))
    assert telegram.texts(ADMIN.id) == [INACTIVE]


async def test_an_inactive_tutor_loses_the_group_in_every_process(
    app: SchoolApplication,
    telegram: RecordingRequest,
    sessionmaker: SessionMaker,
    settings: Settings,
    records: Records,
) -> None:
    other_process = build_application(
        settings, sessionmaker=sessionmaker, request=telegram, get_updates_request=telegram
    )
    async with other_process:
        for application in (app, other_process):  # both caches hold the tutor's roles
            await application.process_update(text_update(app.bot, "/absences", TUTOR))
            assert "Absences in AM-21" in telegram.last_text(TUTOR.id)
        await _import_staff(
            sessionmaker, settings, [["T1", "Skolotājs", "Otrais", "nē", "teacher, tutor"]]
        )
        for application in (app, other_process):
            telegram.clear()
            await application.process_update(text_update(app.bot, "/absences", TUTOR))
            assert telegram.texts(TUTOR.id) == [INACTIVE]


async def test_a_graduated_student_sees_no_records_and_it_is_audited(
    app: SchoolApplication,
    telegram: RecordingRequest,
    sessionmaker: SessionMaker,
    records: Records,
) -> None:
    await app.process_update(text_update(app.bot, "/absences", STUDENT))
    assert "unexcused: 3" in telegram.last_text(STUDENT.id)
    await _set_status(sessionmaker, records.student, StudentStatus.GRADUATED)
    telegram.clear()
    await app.process_update(text_update(app.bot, "/absences", STUDENT))
    assert telegram.texts(STUDENT.id) == [INACTIVE]
    async with sessionmaker() as session:
        actions = (
            await session.scalars(
                select(AuditEntry.target).where(col(AuditEntry.action) == "inactive_account")
            )
        ).all()
    assert actions == [f"student:{records.student}"]


async def test_a_student_on_leave_pressing_a_month_button_gets_the_notice_only(
    app: SchoolApplication,
    telegram: RecordingRequest,
    sessionmaker: SessionMaker,
    records: Records,
) -> None:
    await _set_status(sessionmaker, records.student, StudentStatus.ACADEMIC_LEAVE)
    await app.process_update(callback_update(app.bot, f"ab:m:{records.month}", STUDENT))
    (answer,) = [
        c for c in telegram.calls if c.chat_id == STUDENT.id or "callback_query_id" in c.params
    ]
    assert answer.method == "answerCallbackQuery" and answer.params["text"] == INACTIVE


async def test_someone_no_longer_active_may_still_unlink(
    app: SchoolApplication,
    telegram: RecordingRequest,
    sessionmaker: SessionMaker,
    records: Records,
) -> None:
    await _set_status(sessionmaker, records.student, StudentStatus.EXPELLED)
    await app.process_update(text_update(app.bot, "/forget", STUDENT))
    assert telegram.buttons(telegram.last(STUDENT.id)) == ["forget:yes", "forget:no"]

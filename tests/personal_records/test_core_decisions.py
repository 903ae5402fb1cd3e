"""The answers use the core's decisions: both absence limits, months so far, half-up averages."""

import datetime as dt

from sqlmodel import select

from bot.app import SchoolApplication
from bot.db import SessionMaker
from models.absence_limits import AbsenceLimits
from models.attendance import Absence
from models.attendance_queries import Month, group_absences
from models.marks import Mark
from models.school import Student, Subject
from tests.fake_telegram import RecordingRequest, callback_update, text_update
from tests.records_data import CLASSMATE, STUDENT, TUTOR, Records

VIEWED = Month(2026, 11)  # a past month, whose semester (September-December) holds October


async def _absent_all_october(sessionmaker: SessionMaker, student_id: int) -> None:
    """45 unexcused lessons in October: over the semester's 40, while November is quiet."""
    async with sessionmaker.begin() as session:
        subject = (await session.scalars(select(Subject))).first()
        assert subject is not None and subject.id is not None
        session.add_all(
            Absence(
                student_id=student_id,
                date=dt.date(2026, 10, day),
                lesson_no=lesson,
                status="unexcused",
                subject_id=subject.id,
            )
            for day in range(1, 16)
            for lesson in (1, 2, 3)
        )


async def test_a_student_over_the_semester_limit_is_never_told_all_is_well(
    app: SchoolApplication,
    telegram: RecordingRequest,
    records: Records,
    sessionmaker: SessionMaker,
) -> None:
    await _absent_all_october(sessionmaker, records.student)
    await app.process_update(callback_update(app.bot, f"ab:m:{VIEWED}", STUDENT))
    text = telegram.last_text(STUDENT.id)
    assert "Unexcused this semester: ▓▓▓▓▓▓▓▓▓▓ " in text  # 45 or more of 40
    assert "⚠️ Over the semester limit of unexcused lessons." in text
    assert "✅" not in text and "stipend" not in text


async def test_a_tutors_detail_view_shows_the_semester_warning(
    app: SchoolApplication,
    telegram: RecordingRequest,
    records: Records,
    sessionmaker: SessionMaker,
) -> None:
    await _absent_all_october(sessionmaker, records.student)
    await app.process_update(callback_update(app.bot, f"ab:s:{records.student}:{VIEWED}", TUTOR))
    text = telegram.last_text(TUTOR.id)
    assert "⚠️ Over the semester limit of unexcused lessons." in text and "✅" not in text


async def test_the_group_table_weighs_the_semester(
    records: Records, sessionmaker: SessionMaker
) -> None:
    await _absent_all_october(sessionmaker, records.student)
    async with sessionmaker() as session:
        student = await session.get(Student, records.student)
        assert student is not None
        table = await group_absences(
            session, group_id=student.group_id, month=VIEWED, limits=AbsenceLimits(8, 40)
        )
    standing = {row.student_id: row.standing for row in table.rows}
    assert standing[records.student].over_semester and not standing[records.student].over_month
    assert standing[records.classmate].within


async def test_month_buttons_never_offer_a_month_to_come(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    for command in ("/absences", "/marks"):
        await app.process_update(text_update(app.bot, command, STUDENT))
        offered = telegram.buttons(telegram.last(STUDENT.id))
        assert offered and all(data[-7:] <= str(records.month) for data in offered), offered
    back = records.month.shift(-1)
    await app.process_update(callback_update(app.bot, f"ab:m:{back}", STUDENT))
    assert telegram.buttons(telegram.last(STUDENT.id))[-1] == f"ab:m:{records.month}"


async def test_a_button_for_a_month_to_come_is_out_of_date(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    for data in (f"ab:m:{records.month.shift(1)}", f"mk:m:{records.month.shift(1)}"):
        telegram.clear()
        await app.process_update(callback_update(app.bot, data, STUDENT))
        assert [call.method for call in telegram.calls] == ["answerCallbackQuery"]


async def test_averages_round_half_up(
    app: SchoolApplication,
    telegram: RecordingRequest,
    records: Records,
    sessionmaker: SessionMaker,
) -> None:
    async with sessionmaker.begin() as session:
        maths = (await session.scalars(select(Subject).where(Subject.code == "MAT"))).one()
        assert maths.id is not None
        session.add_all(
            Mark(
                student_id=records.classmate,
                subject_id=maths.id,
                date=records.month.first + dt.timedelta(days=n),
                value="4",
                score=4,
            )
            for n in (1, 2, 3)
        )
    # The classmate's marks: 9, 4, 4, 4 — an average of 5.25, written 5.3 (never 5.2).
    await app.process_update(text_update(app.bot, "/marks", CLASSMATE))
    assert "• Matemātika: 9 4 4 4 · ⌀ 5.3" in telegram.last_text(CLASSMATE.id)
    await app.process_update(text_update(app.bot, "/marks", TUTOR))
    assert "Liepa Jānis: 5.3 · 0" in telegram.last_text(TUTOR.id)

"""The demo school's people get the right answers: teachers, a supervisor, a tutor, the marks."""

from collections import defaultdict
from fractions import Fraction

import pytest
from sqlalchemy import select as sa_select  # five columns: beyond sqlmodel's overloads
from sqlmodel import col, select

from bot.app import SchoolApplication
from bot.db import SessionMaker
from models.mark_rounding import mark_of
from models.marks import Mark, MarkKind
from models.practice import Placement
from models.school import GroupTutor, Student, StudentStatus
from tests.fake_telegram import RecordingRequest, text_update
from tests.records_core.conftest import persona


@pytest.mark.parametrize("command", ["/absences", "/marks"])
async def test_a_teacher_is_offered_their_lessons_not_told_to_link(
    demo_app: SchoolApplication, telegram: RecordingRequest, school: SessionMaker, command: str
) -> None:
    teacher = await persona(school, "subject_teacher")
    await demo_app.process_update(text_update(demo_app.bot, command, teacher.user))
    answer = telegram.last_text(teacher.user.id)
    assert "/start" not in answer
    assert "/today" in answer and "/week" in answer and "/consult" in answer


async def test_a_practice_supervisor_sees_the_students_they_supervise(
    demo_app: SchoolApplication, telegram: RecordingRequest, school: SessionMaker
) -> None:
    supervisor = await persona(school, "workshop_teacher")
    async with school() as session:
        supervised = set(
            await session.scalars(
                select(Student.last_name)
                .join(Placement, col(Placement.student_id) == col(Student.id))
                .where(col(Placement.school_supervisor_id) == supervisor.staff_id)
            )
        )
    assert supervised  # the demo links the workshop teacher to placements
    await demo_app.process_update(text_update(demo_app.bot, "/practice", supervisor.user))
    answer = "\n".join(telegram.texts(supervisor.user.id))
    assert "/start" not in answer
    assert all(name in answer for name in supervised)
    assert telegram.last(supervisor.user.id).params["protect_content"] in (True, "true")


async def test_every_student_in_a_tutors_table_can_be_opened(
    demo_app: SchoolApplication, telegram: RecordingRequest, school: SessionMaker
) -> None:
    tutor = await persona(school, "tutor")
    async with school() as session:
        members = set(
            await session.scalars(
                select(Student.id)
                .join(GroupTutor, col(GroupTutor.group_id) == col(Student.group_id))
                .where(
                    col(GroupTutor.staff_id) == tutor.staff_id,
                    col(Student.status) == StudentStatus.ACTIVE,
                )
            )
        )
    assert len(members) > 12
    await demo_app.process_update(text_update(demo_app.bot, "/absences", tutor.user))
    table = telegram.last(tutor.user.id)
    opened = {int(data.split(":")[2]) for data in telegram.buttons(table)}
    assert opened == members
    listed = [line for line in table.params["text"].splitlines()[1:] if " / " in line]
    assert len(listed) == len(members)


async def test_demo_attestations_round_their_average_half_up(school: SessionMaker) -> None:
    async with school() as session:
        rows = (
            await session.execute(
                sa_select(
                    col(Mark.student_id),
                    col(Mark.subject_id),
                    col(Mark.date),
                    col(Mark.kind),
                    col(Mark.score),
                ).where(col(Mark.score).is_not(None))
            )
        ).all()
    scores: dict[tuple[int, int, int, int], list[int]] = defaultdict(list)
    attestations = {}
    for student, subject, day, kind, score in rows:
        assert score is not None  # only marks with a score were read
        key = (student, subject, day.year, day.month)
        if kind == MarkKind.ATTESTATION:
            attestations[key] = score
        else:
            scores[key].append(score)
    halves = 0
    for key, attestation in attestations.items():
        average = Fraction(sum(scores[key]), len(scores[key]))
        halves += average.denominator == 2
        assert attestation == mark_of(average), key
    assert halves  # the demo has averages of x.5, where banker's rounding would differ


async def test_the_demo_guardian_sees_the_slipping_first_year_and_switches(
    demo_app: SchoolApplication, telegram: RecordingRequest, school: SessionMaker
) -> None:
    guardian = await persona(school, "guardian")
    slipping = await persona(school, "slipping_first_year")
    async with school() as session:
        student = await session.get(Student, slipping.student_id)
    assert student is not None

    await demo_app.process_update(text_update(demo_app.bot, "/absences", guardian.user))
    assert f"<b>{student.full_name} kavējumi" in telegram.last_text(guardian.user.id)  # lv saved
    await demo_app.process_update(text_update(demo_app.bot, "/students", guardian.user))

    assert len(telegram.buttons(telegram.last(guardian.user.id))) == 2

"""The generator's checklist (demo_data.md §14), checked against the generated database."""

from collections import Counter

from sqlalchemy import func, text
from sqlmodel import col, select

from bot.db import SessionMaker
from bot.demodata.config import load_config
from models.accounts import TelegramAccount
from models.consultations import ConsultationSlot
from models.demo import DemoPersona
from models.practice import Placement
from models.school import (
    Room,
    Speciality,
    Staff,
    StaffRole,
    StaffRoleAssignment,
    Student,
    StudyGroup,
)
from models.timetable import TimetableChange, TimetableEntry
from tests.demo_school.conftest import TODAY


async def _scalar(school: SessionMaker, query: str) -> int:
    async with school() as session:
        return int((await session.execute(text(query))).scalar_one())


async def test_groups_and_students_match_the_real_school(school: SessionMaker) -> None:
    async with school() as session:
        sizes = dict(
            (
                await session.execute(
                    select(StudyGroup.code, func.count(col(Student.id)))
                    .join(Student, col(Student.group_id) == col(StudyGroup.id))
                    .group_by(col(StudyGroup.code))
                )
            ).all()
        )
    assert len(sizes) == 37
    assert sum(sizes.values()) == 737
    assert sizes["LD-11"] == 21 and sizes["LD-21"] == 28
    assert sum(n for code, n in sizes.items() if code.startswith("FR")) == 58
    assert sizes["ELM-1"] == 18 and sizes["SVP-1"] == 17


async def test_speciality_totals_match_the_report(school: SessionMaker) -> None:
    expected = {row[0]: int(row[6]) for row in load_config().school["specialities"]}
    async with school() as session:
        totals = dict(
            (
                await session.execute(
                    select(Speciality.code, func.count(col(Student.id)))
                    .join(Student, col(Student.speciality_id) == col(Speciality.id))
                    .group_by(col(Speciality.code))
                )
            ).all()
        )
        mixed = Counter(
            await session.scalars(
                select(Speciality.code)
                .join(Student, col(Student.speciality_id) == col(Speciality.id))
                .join(StudyGroup, col(StudyGroup.id) == col(Student.group_id))
                .where(col(StudyGroup.code) == "L-41")
            )
        )
    assert {code: totals.get(code, 0) for code in expected} == expected
    assert mixed == {"L": 13, "TV": 5}


async def test_staff_commissions_and_tutors(school: SessionMaker) -> None:
    pedagogical = await _scalar(school, "SELECT count(*) FROM staff WHERE is_pedagogical")
    teachers = await _scalar(school, "SELECT count(*) FROM staff_role WHERE role = 'teacher'")
    tutors = await _scalar(school, "SELECT count(DISTINCT staff_id) FROM group_tutor")
    assert (pedagogical, teachers, tutors) == (88, 80, 37)
    assert await _scalar(school, "SELECT count(DISTINCT group_id) FROM group_tutor") == 37


async def test_every_teacher_has_a_consultation_slot(school: SessionMaker) -> None:
    async with school() as session:
        without = await session.scalar(
            select(func.count())
            .select_from(StaffRoleAssignment)
            .where(
                col(StaffRoleAssignment.role) == StaffRole.TEACHER,
                col(StaffRoleAssignment.staff_id).not_in(
                    select(ConsultationSlot.staff_id).where(
                        col(ConsultationSlot.staff_id).is_not(None)
                    )
                ),
            )
        )
        services = set(
            await session.scalars(
                select(ConsultationSlot.kind).where(col(ConsultationSlot.service_name) != "")
            )
        )
    assert without == 0
    assert {"psychologist", "career", "paramedic"} <= services


async def test_rooms_by_kind(school: SessionMaker) -> None:
    async with school() as session:
        kinds = Counter(await session.scalars(select(Room.kind)))
    assert kinds["classroom"] == 55 and kinds["computer_class"] == 10
    assert kinds["workshop"] + kinds["lab"] == 17
    assert kinds["sports_hall"] == 2 and kinds["assembly_hall"] == 2


async def test_no_teacher_room_or_group_clashes(school: SessionMaker) -> None:
    async with school() as session:
        entries = list(await session.scalars(select(TimetableEntry)))
    teachers = Counter((e.teacher_id, e.weekday, e.lesson_no) for e in entries if e.teacher_id)
    rooms = Counter((e.room_id, e.weekday, e.lesson_no) for e in entries if e.room_id)
    assert max(teachers.values()) == 1
    assert max(rooms.values()) == 1
    whole = {(e.group_id, e.weekday, e.lesson_no) for e in entries if not e.subgroup}
    halves = Counter(
        (e.group_id, e.weekday, e.lesson_no, e.subgroup) for e in entries if e.subgroup
    )
    assert max(halves.values()) == 1
    assert not whole & {(g, d, n) for g, d, n, _s in halves}


async def test_final_year_groups_stop_at_the_last_bell_then_go_on_practice(
    school: SessionMaker,
) -> None:
    final = set(load_config().assumed["groups"]["final"])
    async with school() as session:
        rows = (
            await session.execute(
                select(StudyGroup.code, func.max(col(TimetableEntry.valid_to)))
                .join(TimetableEntry, col(TimetableEntry.group_id) == col(StudyGroup.id))
                .group_by(col(StudyGroup.code))
            )
        ).all()
        last_lesson = dict(rows)
        practice_starts = set(
            await session.scalars(
                select(col(Placement.start_date)).where(col(Placement.kind) == "qualification")
            )
        )
    assert len({last_lesson[code] for code in final}) == 1
    last_bell = last_lesson["KS-41"]
    assert last_bell < last_lesson["KS-21"]
    assert practice_starts and min(practice_starts) > last_bell


async def test_dorm_residents_and_prison_learners(school: SessionMaker) -> None:
    residents = await _scalar(
        school, "SELECT count(*) FROM student WHERE dorm_building_id IS NOT NULL"
    )
    in_wrong_groups = await _scalar(
        school,
        "SELECT count(*) FROM student s JOIN study_group g ON g.id = s.group_id "
        "WHERE s.dorm_building_id IS NOT NULL AND (g.is_prison OR g.study_form = 'part_time')",
    )
    linked_prisoners = await _scalar(
        school,
        "SELECT count(*) FROM telegram_account a JOIN student s ON s.id = a.student_id "
        "JOIN study_group g ON g.id = s.group_id WHERE g.is_prison",
    )
    prison_with_access = await _scalar(
        school, "SELECT count(*) FROM study_group WHERE is_prison AND bot_access"
    )
    assert residents == 170
    assert (in_wrong_groups, linked_prisoners, prison_with_access) == (0, 0, 0)


async def test_no_real_contacts(school: SessionMaker) -> None:
    async with school() as session:
        emails = list(await session.scalars(select(Staff.email)))
    assert emails and all(email.endswith(".invalid") for email in emails)


async def test_absences_and_marks_run_up_to_today(school: SessionMaker) -> None:
    last_absence = await _scalar(
        school, "SELECT count(*) FROM absence WHERE date > :today".replace(":today", f"'{TODAY}'")
    )
    assert last_absence == 0
    statuses = Counter(status for (status,) in (await _rows(school, "SELECT status FROM absence")))
    assert statuses["excused"] and statuses["unexcused"] and statuses["pending"]
    attestations = await _scalar(school, "SELECT count(*) FROM mark WHERE kind = 'attestation'")
    failing = await _scalar(school, "SELECT count(*) FROM mark WHERE score < 4")
    assert attestations > 0 and failing > 0


async def test_this_week_has_timetable_changes_of_every_kind(school: SessionMaker) -> None:
    async with school() as session:
        kinds = set(await session.scalars(select(TimetableChange.change_type)))
    assert kinds == {"cancelled", "substitute", "room", "moved", "added"}


async def test_personas_exist_and_all_but_the_new_student_are_linked(school: SessionMaker) -> None:
    async with school() as session:
        personas = list(
            await session.scalars(select(DemoPersona).order_by(col(DemoPersona.position)))
        )
        linked = set(await session.scalars(select(TelegramAccount.telegram_id)))
    roles = Counter(p.role for p in personas)
    assert roles == {"student": 10, "tutor": 1, "teacher": 3, "admin": 2}
    unlinked = [p.key for p in personas if p.telegram_id not in linked]
    assert unlinked == ["new_student"]


async def _rows(school: SessionMaker, query: str) -> list[tuple[str]]:
    async with school() as session:
        return [tuple(row) for row in (await session.execute(text(query))).all()]

"""The school's structure and people as rows: buildings to students, staff, tutors and accounts."""

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from bot.demo.calendar import SchoolYear
from bot.demo.config import DemoConfig, int_range
from bot.demo.names import NameMaker
from bot.demo.rows import Rows
from bot.demo.school import SchoolPlan, copy_code, copy_group_code
from bot.demo.staff import Staffing
from models.school import (
    Building,
    GroupTutor,
    Programme,
    Room,
    Speciality,
    Staff,
    StaffRole,
    StaffRoleAssignment,
    Student,
    StudentStatus,
    StudyGroup,
    Subject,
)
from models.text import fold, group_key
from models.timetable import BellTime


@dataclass
class Ids:
    """Database ids of everything later steps refer to, per copy of the school."""

    buildings: dict[str, int] = field(default_factory=dict)
    rooms: dict[tuple[int, int], int] = field(default_factory=dict)  # (copy, room index)
    subjects: dict[int, int] = field(default_factory=dict)  # subject index
    specialities: dict[str, int] = field(default_factory=dict)
    groups: dict[tuple[int, int], int] = field(default_factory=dict)  # (copy, group index)
    staff: dict[tuple[int, int], int] = field(default_factory=dict)  # (copy, staff index)
    admins: dict[str, int] = field(default_factory=dict)  # admin key (first of each) -> id
    students: dict[tuple[int, int], list[int]] = field(default_factory=dict)  # per group
    student_gender: dict[int, str] = field(default_factory=dict)
    student_origin: dict[int, str] = field(default_factory=dict)
    staff_origin: dict[int, str] = field(default_factory=dict)
    dorm: set[int] = field(default_factory=set)
    expelled: dict[int, dt.date] = field(default_factory=dict)


def add_structure(
    rows: Rows, ids: Ids, config: DemoConfig, school: SchoolPlan, copies: int
) -> None:
    """Buildings, programmes, specialities, subjects, bell times, and rooms of every copy."""
    for code, name, address, kind in config.school["buildings"]:
        ids.buildings[code] = rows.add(Building, code=code, name=name, address=address, kind=kind)
    programmes = {}
    for code, name_lv, name_en, kind, years in config.school["programmes"]:
        programmes[code] = rows.add(
            Programme,
            code=code,
            name_lv=name_lv,
            name_en=name_en,
            kind=kind,
            duration_years=float(years),
        )
    for code, programme, name_lv, name_en, aliases, _commission, _total in config.school[
        "specialities"
    ]:
        ids.specialities[code] = rows.add(
            Speciality,
            code=code,
            programme_id=programmes[programme],
            name_lv=name_lv,
            name_en=name_en,
            aliases=aliases,
        )
    for subject in school.subjects:
        ids.subjects[subject.index] = rows.add(
            Subject,
            code=subject.code,
            name_lv=subject.name_lv,
            name_en=subject.name_en,
            name_key=fold(subject.name_lv),
            block=subject.block,
            grading="pass" if subject.block == "class" else "10",
        )
    for number, start, end in config.assumed["bells"]["lessons"]:
        rows.add(BellTime, lesson_no=int(number), building_code="", start=start, end=end)
    for copy in range(1, copies + 1):
        for room in school.rooms:
            ids.rooms[copy, room.index] = rows.add(
                Room,
                code=copy_code(room.code, copy),
                building_id=ids.buildings[room.building],
                kind=room.kind,
                capacity=room.capacity,
            )


def add_groups(rows: Rows, ids: Ids, config: DemoConfig, school: SchoolPlan, copies: int) -> None:
    programme_of = {row[0]: row[1] for row in config.school["specialities"]}
    programme_ids = {row["code"]: row["id"] for row in rows.of(Programme)}
    for copy in range(1, copies + 1):
        for group in school.groups:
            code = copy_group_code(group.code, copy)
            ids.groups[copy, group.index] = rows.add(
                StudyGroup,
                code=code,
                code_key=group_key(code),
                programme_id=programme_ids.get(programme_of.get(group.speciality, "")),
                speciality_id=ids.specialities.get(group.speciality),
                course=group.course,
                home_building_id=ids.buildings[group.building],
                study_form="full_time" if group.kind != "adult" else "part_time",
                is_prison=group.prison,
                bot_access=not group.prison,
                status="active",
            )


def add_staff(
    rows: Rows,
    ids: Ids,
    config: DemoConfig,
    school: SchoolPlan,
    staffing: Staffing,
    copies: int,
    rng: random.Random,
) -> None:
    """Teachers and other pedagogical staff in every copy; administration in the first only."""
    names = NameMaker(config, rng, kind="staff")
    taken: set[str] = set()
    for copy in range(1, copies + 1):
        members = list(staffing.staff) + (list(staffing.admins) if copy == 1 else [])
        for member in members:
            name = names.make(
                member.gender, origin=member.origin, taken=taken if copy == 1 else None
            )
            is_admin_account = member in staffing.admins
            prefix = "A" if is_admin_account else "T"
            code = f"{prefix}{member.index + 1:03d}" + (f"-{copy}" if copy > 1 else "")
            building = ids.buildings.get(member.building or "")
            ident = rows.add(
                Staff,
                code=code,
                first_name=name.first,
                last_name=name.last,
                name_key=name.key,
                email=name.email,
                main_building_id=building,
                is_pedagogical=member.pedagogical,
                active=True,
            )
            ids.staff_origin[ident] = name.origin
            if is_admin_account:
                ids.admins.setdefault(member.admin_key or "", ident)
            else:
                ids.staff[copy, member.index] = ident
            roles = list(
                dict.fromkeys(member.roles + ([StaffRole.TEACHER] if member.teacher else []))
            )
            for role in roles:
                rows.add(StaffRoleAssignment, staff_id=ident, role=role)
            if member.tutor_of is not None:
                rows.add(GroupTutor, group_id=ids.groups[copy, member.tutor_of], staff_id=ident)
                if StaffRole.TUTOR not in roles:
                    rows.add(StaffRoleAssignment, staff_id=ident, role=StaffRole.TUTOR)


def _birth_date(
    config: DemoConfig, year: SchoolYear, kind: str, course: int, rng: random.Random
) -> dt.date:
    section = config.assumed["students"]
    if kind == "adult":
        age = rng.randint(*int_range(section["adult_age"]))
    elif kind == "prison":
        age = rng.randint(*int_range(section["prison_age"]))
    else:
        age = int(section["age_course1"]) + course - 1
        age += 1 if rng.random() < float(section["repeater_share"]) else 0
    september = dt.date(year.start_year, 9, 1)
    return dt.date(september.year - age, 1, 1) + dt.timedelta(days=rng.randint(0, 364))


def _place_dorm_residents(
    rows: Rows, ids: Ids, config: DemoConfig, candidates: list[tuple[float, int]], copies: int
) -> None:
    """Give the most likely candidates a dormitory room, spread over the dormitories."""
    section = config.assumed["students"]
    dorm_buildings = [code for code, *_rest, kind in config.school["buildings"] if kind == "dorm"]
    residents = sorted(candidates, reverse=True)[: int(section["dorm_residents"]) * copies]
    by_id = {row["id"]: row for row in rows.of(Student)}
    for position, (_weight, ident) in enumerate(sorted(residents, key=lambda pair: pair[1])):
        building = dorm_buildings[position % len(dorm_buildings)]
        by_id[ident]["dorm_building_id"] = ids.buildings[building]
        by_id[ident]["dorm_room"] = f"{2 + position // 60}{(position // 2) % 30 + 1:02d}"
        ids.dorm.add(ident)


def _choose_expelled(
    ids: Ids,
    school: SchoolPlan,
    section: dict[str, Any],
    year: SchoolYear,
    copies: int,
    rng: random.Random,
) -> None:
    """Pick the few students of ordinary groups who leave during the year, and when."""
    ordinary = [
        i
        for (c, g), members in ids.students.items()
        for i in members
        if not school.groups[g].prison and not school.groups[g].final
    ]
    months = [int(m) for m in section["expulsion_months"]]
    for ident in rng.sample(ordinary, min(len(ordinary), int(section["expelled"]) * copies)):
        month = rng.choice(months)
        ids.expelled[ident] = dt.date(year.start_year + (month < 9), month, 15)


def add_students(
    rows: Rows,
    ids: Ids,
    config: DemoConfig,
    school: SchoolPlan,
    year: SchoolYear,
    copies: int,
    rng: random.Random,
) -> None:
    """Every group's students: names, speciality, birth date, dormitory; a few expelled."""
    section = config.assumed["students"]
    male_share = section["male_share"]
    names = NameMaker(config, rng, kind="students")
    taken: set[str] = set()
    number = 0
    candidates: list[tuple[float, int]] = []
    for copy in range(1, copies + 1):
        for group in school.groups:
            members = []
            for speciality, count in group.specialities:
                for _ in range(count):
                    number += 1
                    letters = group.code.split("-")[0].rstrip("V")
                    gender = "M" if rng.random() < float(male_share.get(letters, 0.5)) else "F"
                    name = names.make(gender, taken=taken if copy == 1 else None)
                    ident = rows.add(
                        Student,
                        student_number=f"{year.start_year % 100:02d}{number:05d}",
                        first_name=name.first,
                        last_name=name.last,
                        name_key=name.key,
                        group_id=ids.groups[copy, group.index],
                        speciality_id=ids.specialities.get(speciality),
                        birth_date=_birth_date(config, year, group.kind, group.course, rng),
                        gender=gender,
                        status=StudentStatus.ACTIVE,
                        dorm_building_id=None,
                        dorm_room="",
                    )
                    ids.student_gender[ident] = gender
                    ids.student_origin[ident] = name.origin
                    members.append(ident)
                    if group.kind in ("four_year", "three_year"):
                        weight = float(section["dorm_weight"].get(letters, 1.0))
                        weight *= float(section["dorm_weight_course12"]) if group.course <= 2 else 1
                        candidates.append((rng.random() ** (1 / weight), ident))
            ids.students[copy, group.index] = members
    _place_dorm_residents(rows, ids, config, candidates, copies)
    _choose_expelled(ids, school, section, year, copies, rng)

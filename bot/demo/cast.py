"""The demo personas of demo_data.md §12, and the Telegram accounts of linked people."""

import datetime as dt
import random
from dataclasses import dataclass

from bot.demo.config import DemoConfig, weights
from bot.demo.people import Ids
from bot.demo.records import Student
from bot.demo.rows import Rows
from bot.demo.school import SchoolPlan
from bot.demo.staff import Staffing
from models.accounts import TelegramAccount
from models.demo import DemoPersona
from models.school import Staff
from models.school import Student as StudentRow

PERSONA_BASE = 900_000_000
LINKED_BASE = 800_000_000


@dataclass(frozen=True)
class StudentPersona:
    key: str
    label: str
    story: str
    group: str
    gender: str
    origins: tuple[str, ...]


STUDENT_PERSONAS = (
    StudentPersona(
        "top_student",
        "Top student (DT-31)",
        "No unexcused absences, high marks",
        "DT-31",
        "M",
        ("ru",),
    ),
    StudentPersona(
        "slipping_first_year",
        "Slipping first-year (AM-11)",
        "Many unexcused absences last month, failing marks",
        "AM-11",
        "M",
        ("lv",),
    ),
    StudentPersona(
        "long_illness",
        "Long illness (KS-21)",
        "A long excused illness this month",
        "KS-21",
        "F",
        ("pl",),
    ),
    StudentPersona(
        "chronic_absentee",
        "Chronic absentee (EM-31)",
        "Misses a third of the lessons",
        "EM-31",
        "M",
        ("byua",),
    ),
    StudentPersona(
        "final_year_on_practice",
        "Final-year on practice (KS-41)",
        "Qualification practice after the last bell",
        "KS-41",
        "F",
        ("ru",),
    ),
    StudentPersona(
        "dvb_hairdresser",
        "Work-based learner (FR-21)",
        "Two days a week at a salon",
        "FR-21",
        "F",
        ("lv",),
    ),
    StudentPersona(
        "dorm_resident", "Dormitory resident (L-21)", "Lives in the dormitory", "L-21", "M", ("ru",)
    ),
    StudentPersona(
        "mixed_speciality",
        "Mixed-speciality student (L-41)",
        "A wagon technician in a locomotive group",
        "L-41",
        "M",
        (),
    ),
    StudentPersona(
        "adult_learner", "Adult 1.5-year learner (PRV)", "Adult evening programme", "PRV", "M", ()
    ),
    StudentPersona(
        "new_student", "A student who has not linked yet", "Links with a code", "DT-11", "F", ()
    ),
)
STAFF_PERSONAS = (
    ("tutor", "Tutor of KS-21", "Gets the monthly digest of KS-21", "tutor"),
    (
        "workshop_teacher",
        "Workshop teacher and practice supervisor",
        "Teaches the AM groups",
        "teacher",
    ),
    ("subject_teacher", "Mathematics teacher", "Teaches many groups", "teacher"),
    (
        "prison_teacher",
        "Prison teacher (ELM-1)",
        "Teaches at the prison; learners not linked",
        "teacher",
    ),
)
ADMIN_PERSONAS = (
    ("study_head", "Head of the study department", "School-wide digest, imports, codes"),
    ("it_head", "IT administrator", "Announcements and timetable changes"),
)


def _pick_student(
    persona: StudentPersona, ids: Ids, school: SchoolPlan, taken: set[int], rows: Rows
) -> int:
    group = next(g for g in school.groups if g.code == persona.group)
    members = ids.students[1, group.index]
    if persona.key == "mixed_speciality":
        wagon = ids.specialities.get("TV")
        by_id = {row["id"]: row for row in rows.of(StudentRow)}
        members = [m for m in members if by_id[m]["speciality_id"] == wagon] or members
    if persona.key == "dorm_resident":
        members = [m for m in members if m in ids.dorm] or members
    ranked = sorted(
        (m for m in members if m not in taken),
        key=lambda m: (
            ids.student_gender[m] != persona.gender,
            bool(persona.origins) and ids.student_origin[m] not in persona.origins,
            m,
        ),
    )
    return ranked[0]


def _shape_story(key: str, profile: Student, today: dt.date) -> None:
    """Give a student persona the record their story tells."""
    profile.expelled = None
    if key == "top_student":
        profile.rate, profile.unexcused, profile.ability = 0.01, 0.0, 2.4
    elif key == "slipping_first_year":
        profile.rate, profile.unexcused, profile.ability = 0.15, 0.9, -2.2
    elif key == "long_illness":
        first = today.replace(day=1)
        for offset in range(min(14, (today - first).days + 1)):
            profile.forced[first + dt.timedelta(days=offset)] = "illness"
    elif key == "chronic_absentee":
        profile.rate, profile.unexcused = 0.35, 0.8


def add_personas(
    rows: Rows,
    ids: Ids,
    school: SchoolPlan,
    staffing: Staffing,
    profiles: dict[int, list[Student]],
    today: dt.date,
) -> dict[str, int]:
    """Choose the personas, shape their records to their stories; return key -> student id."""
    chosen: dict[str, int] = {}
    profile_of = {s.id: s for students in profiles.values() for s in students}
    people: list[tuple[str, str, str, str, int | None, int | None]] = []
    for persona in STUDENT_PERSONAS:
        student = _pick_student(persona, ids, school, set(chosen.values()), rows)
        chosen[persona.key] = student
        if persona.key == "dorm_resident":
            ids.dorm.add(student)
        _shape_story(persona.key, profile_of[student], today)
        people.append((persona.key, persona.label, persona.story, "student", student, None))
    for key, label, story, role in STAFF_PERSONAS:
        people.append((key, label, story, role, None, ids.staff[1, staffing.persona_staff[key]]))
    for key, label, story in ADMIN_PERSONAS:
        people.append((key, label, story, "admin", None, ids.admins[key]))
    for position, (key, label, story, role, student_id, staff_id) in enumerate(people, 1):
        rows.add(
            DemoPersona,
            key=key,
            label=label,
            story=story,
            role=role,
            position=position,
            student_id=student_id,
            staff_id=staff_id,
            telegram_id=PERSONA_BASE + position,
        )
    return chosen


def add_accounts(
    rows: Rows,
    ids: Ids,
    config: DemoConfig,
    school: SchoolPlan,
    rng: random.Random,
    now: dt.datetime,
) -> None:
    """Link the personas (all but the new student) and a realistic share of everyone else."""
    section = config.assumed["telegram"]
    languages, language_weights = weights(section["languages"])
    personas = {row["student_id"]: row for row in rows.of(DemoPersona) if row["student_id"]}
    prison_groups = {ids.groups[key] for key in ids.groups if school.groups[key[1]].prison}
    counter = 0
    for student in rows.of(StudentRow):
        persona = personas.get(student["id"])
        if persona is not None:
            if persona["key"] != "new_student":
                language = "ru" if ids.student_origin[student["id"]] in ("ru", "byua") else "lv"
                _account(rows, persona["telegram_id"], student=student, language=language, now=now)
            continue
        if student["group_id"] in prison_groups or student["status"] != "active":
            continue
        if rng.random() < float(section["student_share"]):
            counter += 1
            language = rng.choices(languages, language_weights)[0]
            _account(rows, LINKED_BASE + counter, student=student, language=language, now=now)
    staff_personas = {row["staff_id"]: row for row in rows.of(DemoPersona) if row["staff_id"]}
    for staff in rows.of(Staff):
        persona = staff_personas.get(staff["id"])
        if persona is not None:
            language = "ru" if ids.staff_origin.get(staff["id"]) in ("ru", "byua") else "lv"
            _account(rows, persona["telegram_id"], staff=staff, language=language, now=now)
        elif rng.random() < float(section["staff_share"]):
            counter += 1
            language = rng.choices(languages, language_weights)[0]
            _account(rows, LINKED_BASE + counter, staff=staff, language=language, now=now)


def _account(
    rows: Rows,
    telegram_id: int,
    *,
    language: str,
    now: dt.datetime,
    student: dict[str, object] | None = None,
    staff: dict[str, object] | None = None,
) -> None:
    person = student or staff
    assert person is not None
    rows.add(
        TelegramAccount,
        telegram_id=telegram_id,
        student_id=student["id"] if student else None,
        staff_id=staff["id"] if staff else None,
        language=language,
        first_name=person["first_name"],
        username="",
        is_admin=False,
        blocked=False,
        notify_changes=True,
        linked_at=now,
        created_at=now,
    )

"""Staff posts, roles and tutors, and which teacher teaches which group which subject."""

import random

from bot.demo.assignments import assign_teachers, demand, plan_part_time
from bot.demo.config import DemoConfig, int_range
from bot.demo.curriculum import Unit
from bot.demo.school import SchoolPlan
from bot.demo.staff import (
    STAFF_PERSONAS,
    Staffing,
    StaffPlan,
)
from models.school import StaffRole


def _age(rng: random.Random, config: DemoConfig) -> int:
    section = config.assumed["staff"]
    low, high = int_range(section["age"])
    return max(low, min(high, round(rng.triangular(low, high, int(section["age_median"])))))


def _teachers(config: DemoConfig, school: SchoolPlan, rng: random.Random) -> list[StaffPlan]:
    practical = school.subject(config.assumed["subjects"]["practical"]).index
    teachers: list[StaffPlan] = []
    for commission, count, subjects, female_share in config.assumed["staff"]["posts"]:
        if subjects == ["@vocational"]:
            indices = {
                school.subject(module).index
                for speciality, modules in school.modules.items()
                if school.commission_of[speciality] == commission
                for module in modules
            } | {practical}
        else:
            indices = {school.subject(name).index for name in subjects}
        for _ in range(int(count)):
            teachers.append(
                StaffPlan(
                    index=len(teachers),
                    pedagogical=True,
                    teacher=True,
                    roles=[StaffRole.TEACHER],
                    gender="F" if rng.random() < float(female_share) else "M",
                    building=None,
                    commission=commission,
                    subjects=indices,
                    age=_age(rng, config),
                )
            )
    return teachers


def _others(config: DemoConfig, first_index: int, rng: random.Random) -> list[StaffPlan]:
    return [
        StaffPlan(
            index=first_index + number,
            pedagogical=True,
            teacher=False,
            roles=list(roles),
            gender="F" if rng.random() < 0.8 else "M",
            building=building,
            age=_age(rng, config),
        )
        for number, (roles, building) in enumerate(config.assumed["staff"]["other_pedagogical"])
    ]


def _admins(config: DemoConfig, rng: random.Random) -> list[StaffPlan]:
    return [
        StaffPlan(
            index=number,
            pedagogical=False,
            teacher=False,
            roles=list(roles),
            gender="F" if rng.random() < 0.7 else "M",
            building=building,
            admin_key=key,
            age=_age(rng, config),
        )
        for number, (key, roles, building) in enumerate(config.assumed["staff"]["admin_accounts"])
    ]


def _place_personas(staffing: Staffing, school: SchoolPlan) -> None:
    for key, (commission, subject, gender, origin) in STAFF_PERSONAS.items():
        taken = set(staffing.persona_staff.values())
        candidates = [
            teacher
            for teacher in staffing.teachers
            if teacher.commission == commission
            and teacher.index not in taken
            and (subject is None or school.subject(subject).index in teacher.subjects)
        ]
        chosen = candidates[0]
        chosen.gender, chosen.origin, chosen.persona = gender, origin, key
        staffing.persona_staff[key] = chosen.index
    for key in ("study_head", "it_head"):
        staffing.admin(key).persona = "study_head" if key == "study_head" else "it_admin"


def _extra_roles(
    config: DemoConfig, school: SchoolPlan, staffing: Staffing, rng: random.Random
) -> None:
    section = config.assumed["staff"]
    workshop = staffing.staff[staffing.persona_staff["workshop_teacher"]]
    for commission, count in section["practice_supervisors"].items():
        pool = [
            t for t in staffing.teachers if t.commission == commission and t.prison_group is None
        ]
        pool.sort(key=lambda t: (t is not workshop, rng.random()))
        for teacher in pool[: int(count)]:
            teacher.roles.append(StaffRole.PRACTICE_SUPERVISOR)
    economics = school.subject("Ekonomika").index
    career = next(
        t
        for t in staffing.teachers
        if t.commission == section["career_consultant_commission"] and economics in t.subjects
    )
    career.roles.append(StaffRole.CAREER_CONSULTANT)


def build_staffing(
    config: DemoConfig, school: SchoolPlan, units: list[Unit], rng: random.Random
) -> Staffing:
    """Create the staff posts and assign every unit its teachers."""
    teachers = _teachers(config, school, rng)
    staffing = Staffing(teachers + _others(config, len(teachers), rng), _admins(config, rng))
    _place_personas(staffing, school)
    plan_part_time(config, staffing, demand(config, school, units), rng)
    assign_teachers(staffing, school, units, rng)
    part = int_range(config.assumed["staff"]["part_time_pairs"])[1]
    for teacher in staffing.teachers:  # an overloaded part-timer works full time after all
        teacher.part_time = teacher.load <= part
    _extra_roles(config, school, staffing, rng)
    return staffing

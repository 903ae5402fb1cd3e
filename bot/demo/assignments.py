"""Which teacher teaches which unit: demand per subject, part-time posts, a balanced assignment."""

import random
from collections import defaultdict

from bot.demo.config import DemoConfig, int_range
from bot.demo.curriculum import Unit
from bot.demo.school import CLASS_HOUR, PRACTICAL, SchoolPlan
from bot.demo.staff import (
    TUTOR_PERSONA_GROUP,
    WORKSHOP_PERSONA_GROUPS,
    Staffing,
    StaffPlan,
)
from models.school import StaffRole


def demand(config: DemoConfig, school: SchoolPlan, units: list[Unit]) -> dict[str, int]:
    """Lesson pairs a week each commission must teach."""
    general: dict[int, str] = {}
    for commission, _count, subjects, _female in config.assumed["staff"]["posts"]:
        for name in subjects:
            if name != "@vocational":
                general.setdefault(school.subject(name).index, commission)
    demand: dict[str, int] = defaultdict(int)
    for unit in units:
        if unit.subject in general:
            commission = general[unit.subject]
        else:
            commission = school.commission_of[school.groups[unit.group].speciality]
        demand[commission] += unit.pairs * (2 if unit.split else 1)
    return demand


def plan_part_time(
    config: DemoConfig, staffing: Staffing, demand: dict[str, int], rng: random.Random
) -> None:
    section = config.assumed["staff"]
    full = int_range(section["full_time_pairs"])[1]
    part = int_range(section["part_time_pairs"])[1]
    wanted = round(len(staffing.teachers) * float(section["part_time_share"]))
    slack: dict[str, int] = defaultdict(int)
    for teacher in staffing.teachers:  # keep room for two free pairs per teacher
        slack[teacher.commission or ""] += full - 2
    for commission, pairs in demand.items():
        slack[commission] -= pairs
    candidates = [t for t in staffing.teachers if t.persona is None]
    rng.shuffle(candidates)
    chosen = 0
    for teacher in candidates:
        commission = teacher.commission or ""
        if chosen < wanted and slack[commission] >= full - part + 3:
            teacher.part_time = True
            slack[commission] -= full - part
            chosen += 1
    for teacher in staffing.teachers:
        teacher.capacity = part if teacher.part_time else full


class _Assigner:
    """Give each (group, subject) one teacher, and a second one for subgroup B."""

    def __init__(self, staffing: Staffing, school: SchoolPlan, units: list[Unit]) -> None:
        self.staffing, self.school = staffing, school
        self.tasks: dict[tuple[int, int], list[Unit]] = defaultdict(list)
        self.class_hours: dict[int, list[Unit]] = defaultdict(list)
        for unit in units:
            if unit.class_hour:
                self.class_hours[unit.group].append(unit)
            else:
                self.tasks[unit.group, unit.subject].append(unit)

    def eligible(self, group: int, subject: int) -> list[StaffPlan]:
        block = self.school.subjects[subject].block
        commission = self.school.commission_of[self.school.groups[group].speciality]
        return [
            teacher
            for teacher in self.staffing.teachers
            if subject in teacher.subjects
            and (block not in ("vocational", PRACTICAL) or teacher.commission == commission)
        ]

    @staticmethod
    def pick(candidates: list[StaffPlan], pairs: int, avoid: int | None = None) -> StaffPlan:
        pool = [t for t in candidates if t.index != avoid and t.prison_group is None]
        pool = pool or [t for t in candidates if t.index != avoid]
        return min(pool, key=lambda t: (t.load + pairs > t.capacity, t.load / t.capacity, t.index))

    def give(self, key: tuple[int, int], main: StaffPlan) -> None:
        partner: StaffPlan | None = None
        for unit in self.tasks.pop(key):
            unit.teachers = [main.index]
            main.load += unit.pairs
            if unit.split:
                if partner is None:
                    split_pairs = sum(u.pairs for u in self.tasks.get(key, []) if u.split)
                    partner = self.pick(self.eligible(*key), unit.pairs + split_pairs, main.index)
                unit.teachers.append(partner.index)
                partner.load += unit.pairs

    def tutor(self, group: int, tutor: StaffPlan) -> None:
        """Make `tutor` the group's tutor: the class hour plus one subject they teach it."""
        tutor.tutor_of = group
        tutor.roles.append(StaffRole.TUTOR)
        own = [
            key
            for key in self.tasks
            if key[0] == group
            and key[1] in tutor.subjects
            and self.school.subjects[key[1]].block not in (PRACTICAL, CLASS_HOUR)
        ]
        subject: int | None = None
        if own:
            key = min(own, key=lambda k: (self.school.subjects[k[1]].block != "vocational", k[1]))
            self.give(key, tutor)
            subject = key[1]
        for unit in self.class_hours.get(group, []):
            unit.teachers = [tutor.index]
            unit.second_subject = subject
            tutor.load += unit.pairs


def assign_teachers(
    staffing: Staffing, school: SchoolPlan, units: list[Unit], rng: random.Random
) -> None:
    assigner = _Assigner(staffing, school, units)
    practical = school.subject("Praktiskās mācības").index
    personas = staffing.persona_staff
    by_code = {group.code: group for group in school.groups}
    prison_groups = [group for group in school.groups if group.prison]
    for group in prison_groups:
        commission = school.commission_of[group.speciality]
        if commission == staffing.staff[personas["prison_teacher"]].commission:
            teacher = staffing.staff[personas["prison_teacher"]]
        else:
            teacher = next(
                t for t in staffing.teachers if t.commission == commission and t.persona is None
            )
        teacher.prison_group = group.index
        assigner.give((group.index, practical), teacher)
        assigner.tutor(group.index, teacher)
    workshop = staffing.staff[personas["workshop_teacher"]]
    for code in WORKSHOP_PERSONA_GROUPS:
        assigner.give((by_code[code].index, practical), workshop)
    assigner.tutor(by_code[TUTOR_PERSONA_GROUP].index, staffing.staff[personas["tutor"]])
    others = [g for g in school.groups if not g.prison and g.code != TUTOR_PERSONA_GROUP]
    rng.shuffle(others)
    for group in others:
        commission = school.commission_of[group.speciality]
        free = [
            t
            for t in staffing.teachers
            if t.tutor_of is None and t.prison_group is None and t.persona != "subject_teacher"
        ]
        pool = [t for t in free if t.commission == commission] or free
        assigner.tutor(group.index, min(pool, key=lambda t: (t.part_time, t.load, t.index)))
    keys = sorted(assigner.tasks, key=lambda key: (-sum(u.pairs for u in assigner.tasks[key]), key))
    for key in keys:
        pairs = sum(unit.pairs for unit in assigner.tasks[key])
        assigner.give(key, assigner.pick(assigner.eligible(*key), pairs))

"""Staff posts, roles and tutors, and which teacher teaches which group which subject."""

import random
from collections import defaultdict
from dataclasses import dataclass, field

from bot.demo.config import DemoConfig, int_range
from bot.demo.curriculum import Unit
from bot.demo.school import CLASS_HOUR, PRACTICAL, SchoolPlan
from models.school import StaffRole

# Staff personas (demo_data.md §12 plus the brief): key -> (commission, subject, gender, origin).
STAFF_PERSONAS = {
    "tutor": ("LNG", "Angļu valoda", "F", "ru"),
    "workshop_teacher": ("MET", None, "M", "lv"),
    "prison_teacher": ("ENE", None, "M", "lv"),
    "subject_teacher": ("EXA", "Matemātika", "F", "lv"),
}
TUTOR_PERSONA_GROUP = "KS-21"
WORKSHOP_PERSONA_GROUPS = ("AM-41", "AM-31")


@dataclass
class StaffPlan:
    index: int  # position in one copy of the school; admins exist in the first copy only
    pedagogical: bool
    teacher: bool
    roles: list[str]
    gender: str
    building: str | None
    commission: str | None = None
    subjects: set[int] = field(default_factory=set)
    part_time: bool = False
    capacity: int = 0  # lesson pairs a week
    load: int = 0
    origin: str | None = None  # fixed for personas
    persona: str | None = None
    admin_key: str | None = None
    tutor_of: int | None = None  # group index
    prison_group: int | None = None
    age: int = 50


@dataclass
class Staffing:
    staff: list[StaffPlan]  # the 80 teachers, then the 8 other pedagogical staff
    admins: list[StaffPlan]  # the 18 non-pedagogical accounts
    persona_staff: dict[str, int] = field(default_factory=dict)  # persona key -> staff index

    @property
    def teachers(self) -> list[StaffPlan]:
        return [member for member in self.staff if member.teacher]

    def with_role(self, role: str) -> list[StaffPlan]:
        return [member for member in self.staff if role in member.roles]

    def admin(self, key: str) -> StaffPlan:
        return next(member for member in self.admins if member.admin_key == key)

    def alternatives(self, school: SchoolPlan, unit: Unit) -> list[int]:
        """Other teachers who could take this unit, least loaded first."""
        block = school.subjects[unit.subject].block
        commission = school.commission_of[school.groups[unit.group].speciality]
        pool = [
            t
            for t in self.teachers
            if unit.subject in t.subjects
            and t.index not in unit.teachers
            and t.prison_group is None
            and t.load + unit.pairs <= t.capacity
            and (block not in ("vocational", PRACTICAL) or t.commission == commission)
        ]
        return [t.index for t in sorted(pool, key=lambda t: (t.load / t.capacity, t.index))]

    def reassign(self, unit: Unit, position: int, teacher: int) -> None:
        """Hand one subgroup of a unit to another teacher."""
        self.staff[unit.teachers[position]].load -= unit.pairs
        self.staff[teacher].load += unit.pairs
        unit.teachers[position] = teacher


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


def _demand(config: DemoConfig, school: SchoolPlan, units: list[Unit]) -> dict[str, int]:
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


def _part_time(
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


def _assign(staffing: Staffing, school: SchoolPlan, units: list[Unit], rng: random.Random) -> None:
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
    _part_time(config, staffing, _demand(config, school, units), rng)
    _assign(staffing, school, units, rng)
    part = int_range(config.assumed["staff"]["part_time_pairs"])[1]
    for teacher in staffing.teachers:  # an overloaded part-timer works full time after all
        teacher.part_time = teacher.load <= part
    _extra_roles(config, school, staffing, rng)
    return staffing

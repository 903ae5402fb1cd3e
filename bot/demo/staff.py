"""The demo school's staff posts as plans: who they are, what they teach, how loaded they are."""

from dataclasses import dataclass, field

from bot.demo.curriculum import Unit
from bot.demo.school import PRACTICAL, SchoolPlan

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

"""Fill an empty database with the demo school (demo_data.md), dated around today."""

import datetime as dt
import random
from dataclasses import dataclass

from sqlmodel import SQLModel

from bot.db import SessionMaker
from bot.demo.calendar import build_school_year, school_year_of
from bot.demo.cast import add_accounts, add_personas
from bot.demo.config import load_config
from bot.demo.curriculum import build_units
from bot.demo.guardians import add_guardians
from bot.demo.lessons import add_changes, add_consultations, add_holidays, add_timetable
from bot.demo.people import Ids, add_groups, add_staff, add_structure, add_students
from bot.demo.placements import add_companies, add_placements
from bot.demo.records import add_absences_and_marks, student_profiles
from bot.demo.rows import Rows, ensure_empty, write
from bot.demo.school import build_school
from bot.demo.staffing import build_staffing
from bot.demo.week import schedule_week
from models.accounts import TelegramAccount
from models.attendance import Absence
from models.consultations import ConsultationCancellation, ConsultationSlot
from models.demo import DemoPersona
from models.guardians import GuardianConsent, Guardianship
from models.import_stamps import ImportStamp
from models.marks import Mark
from models.practice import Company, Placement
from models.school import (
    Building,
    GroupTutor,
    Programme,
    Room,
    Speciality,
    Staff,
    StaffRoleAssignment,
    Student,
    StudentStatus,
    StudyGroup,
    Subject,
)
from models.timetable import BellTime, Holiday, TimetableChange, TimetableEntry
from models.types import utcnow

# Insertion order: every table after the tables it refers to.
TABLES: tuple[type[SQLModel], ...] = (
    Building,
    Programme,
    Speciality,
    Subject,
    BellTime,
    Room,
    StudyGroup,
    Staff,
    StaffRoleAssignment,
    GroupTutor,
    Student,
    TelegramAccount,
    DemoPersona,
    Guardianship,
    GuardianConsent,
    TimetableEntry,
    TimetableChange,
    Holiday,
    ConsultationSlot,
    ConsultationCancellation,
    Company,
    Placement,
    Absence,
    Mark,
    ImportStamp,
)
STAMPED: dict[str, type[SQLModel]] = {
    "buildings": Building,
    "rooms": Room,
    "programmes": Programme,
    "specialities": Speciality,
    "subjects": Subject,
    "staff": Staff,
    "groups": StudyGroup,
    "students": Student,
    "bell_times": BellTime,
    "timetable": TimetableEntry,
    "timetable_changes": TimetableChange,
    "holidays": Holiday,
    "consultations": ConsultationSlot,
    "consultation_cancellations": ConsultationCancellation,
    "companies": Company,
    "placements": Placement,
    "absences": Absence,
    "marks": Mark,
}


@dataclass(frozen=True)
class DemoSummary:
    """How much of each thing the demo school holds."""

    school: str
    today: dt.date
    scale: int
    counts: dict[str, int]
    personas: list[tuple[str, str]]  # role, label

    def render(self) -> str:
        """A short plain-text summary for the console."""
        c = self.counts
        lines = [
            f"{self.school}: demo school for {self.today:%d.%m.%Y} (scale {self.scale})",
            f"  {c['groups']} groups, {c['students']} students, {c['staff']} staff, "
            f"{c['rooms']} rooms in {c['buildings']} buildings",
            f"  {c['timetable']} weekly lessons, {c['timetable_changes']} changes this week "
            f"and next, {c['consultations']} consultation slots",
            f"  {c['absences']} absences and {c['marks']} marks so far, "
            f"{c['placements']} practice placements",
            f"  {c['accounts']} linked Telegram accounts, {c['guardians']} guardians",
            "  Personas:",
            *(f"    {role:8} {label}" for role, label in self.personas),
        ]
        return "\n".join(lines)


async def generate(
    sessionmaker: SessionMaker,
    *,
    today: dt.date,
    seed: int = 2020,
    scale: int = 1,
    now: dt.datetime | None = None,
) -> DemoSummary:
    """Fill an empty, migrated database with the demo school; the same seed, the same school.

    The data counts as imported at 07:00 UTC on `today`, or at `now` (default: the clock) if
    that is earlier: an import stamp is never later than the moment of the import.
    Longer than most functions on purpose: it is the list of steps, in the one order the
    random draws depend on, so that a seed always gives the same school.
    """
    if scale < 1:
        raise ValueError("scale is a whole number of schools, at least 1")
    config = load_config()
    rng = random.Random(seed)
    year = build_school_year(config, school_year_of(today))
    school = build_school(config, rng)
    units = build_units(config, school)
    staffing = build_staffing(config, school, units, rng)
    placements = schedule_week(config, school, units, rng)

    rows, ids = Rows(), Ids()
    now = min(dt.datetime.combine(today, dt.time(7, 0), tzinfo=dt.UTC), now or utcnow())
    add_structure(rows, ids, config, school, scale)
    add_groups(rows, ids, config, school, scale)
    add_staff(rows, ids, config, school, staffing, scale, rng)
    add_students(rows, ids, config, school, year, scale, rng)
    profiles = student_profiles(ids, config, school, rng, scale)
    add_personas(rows, ids, school, staffing, profiles, today)
    for student in rows.of(Student):
        expelled = ids.expelled.get(student["id"])
        if expelled is not None and expelled <= today and student["id"] not in _personas(rows):
            student["status"] = StudentStatus.EXPELLED
    add_accounts(rows, ids, config, school, rng, now)
    lessons = add_timetable(rows, ids, school, units, placements, year, scale)
    add_changes(rows, config, lessons, year, today, rng)
    add_holidays(rows, year)
    add_consultations(rows, ids, config, staffing, year, today, scale, rng)
    companies = add_companies(rows, config)
    add_placements(rows, ids, config, school, year, companies, today, scale, rng)
    add_absences_and_marks(rows, config, year, lessons, profiles, today, rng)
    add_guardians(rows, ids, config, today=today, seed=seed, now=now)
    for kind, model in STAMPED.items():
        count = rows.count(model)
        rows.add(
            ImportStamp,
            kind=kind,
            file_name="demo",
            imported_at=now,
            rows=count,
            inserted=count,
            updated=0,
        )

    async with sessionmaker.begin() as session:
        await ensure_empty(session)
        await write(session, rows, TABLES)
    counts = {kind: rows.count(model) for kind, model in STAMPED.items()}
    counts["accounts"] = rows.count(TelegramAccount)
    counts["guardians"] = rows.count(Guardianship)
    personas = [(row["role"], row["label"]) for row in rows.of(DemoPersona)]
    return DemoSummary(config.school["institution"]["name"], today, scale, counts, personas)


def _personas(rows: Rows) -> set[int]:
    return {row["student_id"] for row in rows.of(DemoPersona) if row["student_id"]}

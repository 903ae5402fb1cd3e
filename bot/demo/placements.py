"""Companies that take trainees, and the students' practice placements with their documents."""

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from bot.demo.calendar import SchoolYear
from bot.demo.config import DemoConfig
from bot.demo.names import NameMaker
from bot.demo.people import Ids
from bot.demo.rows import Rows
from bot.demo.school import SchoolPlan
from models.practice import Company, Placement, PlacementKind, PlacementResult
from models.school import Staff, StaffRoleAssignment
from models.text import fold


def add_companies(rows: Rows, config: DemoConfig) -> dict[str, int]:
    section = config.assumed["practice"]
    capacity = section["capacity"]
    overrides = section["capacity_overrides"]
    ids = {}
    for code, name, form, sector, specialities, city, country in config.school["companies"]:
        ids[code] = rows.add(
            Company,
            name=name,
            name_key=fold(name),
            legal_form=form,
            sector=sector,
            city=city,
            country=country,
            address=f"{city}" if city else "",
            specialities=specialities,
            capacity=int(overrides.get(code, capacity.get(sector, 2))),
        )
    for code, name, sector, specialities, city, country in config.school["erasmus_hosts"]:
        ids[code] = rows.add(
            Company,
            name=name,
            name_key=fold(name),
            legal_form="",
            sector=sector,
            city=city,
            country=country,
            address=city,
            specialities=specialities,
            capacity=int(section["erasmus_capacity"]),
        )
    return ids


@dataclass
class _Placer:
    """Places students with companies, numbering the agreements; nothing is dated after today."""

    rows: Rows
    section: dict[str, Any]
    agreement_prefix: str
    today: dt.date
    rng: random.Random
    companies: list[dict[str, Any]]
    supervisors: list[int]
    company_supervisors: list[str]
    number: int = 0

    def place(self, student: int, speciality: str, kind: str, start: dt.date, end: dt.date) -> None:
        """Add one placement, its documents' state following where it is in time."""
        rng, today, section = self.rng, self.today, self.section
        self.number += 1
        fitting = [
            c for c in self.companies if speciality in c["specialities"].split(",")
        ] or self.companies
        company = rng.choice(fitting)
        started = start <= today
        diary_due = (
            min(end, today + dt.timedelta(days=int(section["diary_days"]))) if started else None
        )
        overdue = started and rng.random() < float(section["overdue_share"])
        finished = end < today
        draft = rng.random() < float(section["draft_share"])
        failed = rng.random() < float(section["failed_share"])
        result = PlacementResult.PENDING
        if finished:
            result = PlacementResult.FAILED if failed else PlacementResult.PASSED
        signed = None if draft and not started else min(start - dt.timedelta(days=14), today)
        self.rows.add(
            Placement,
            student_id=student,
            company_id=company["id"],
            kind=kind,
            address=company["address"],
            start_date=start,
            end_date=end,
            company_supervisor=rng.choice(self.company_supervisors),
            school_supervisor_id=rng.choice(self.supervisors),
            agreement_no=f"{self.agreement_prefix}-{self.number:04d}",
            agreement_signed=signed,
            diary_due=(today - dt.timedelta(days=3)) if overdue else diary_due,
            diary_received=None,
            characterisation_due=end + dt.timedelta(days=int(section["characterisation_days"])),
            characterisation_received=min(end + dt.timedelta(days=5), today) if finished else None,
            result=result,
            funding="ESF" if rng.random() < 0.4 else "",
        )


def add_placements(
    rows: Rows,
    ids: Ids,
    config: DemoConfig,
    school: SchoolPlan,
    year: SchoolYear,
    companies: dict[str, int],
    today: dt.date,
    copies: int,
    rng: random.Random,
) -> None:
    """Qualification practice of the final-year groups, block practice and DVB placements."""
    section = config.assumed["practice"]
    reference = int(config.assumed["calendar"]["reference_year"])
    supervisors = [
        row["staff_id"]
        for row in rows.of(StaffRoleAssignment)
        if row["role"] == "practice_supervisor"
    ]
    names = NameMaker(config, rng, kind="staff")
    placer = _Placer(
        rows,
        section,
        f"{section['agreement_prefix']}-{year.start_year}",
        today,
        rng,
        companies=[r for r in rows.of(Company) if r["country"] == "LV"],
        supervisors=supervisors or [row["id"] for row in rows.of(Staff)[:5]],
        company_supervisors=[names.make(rng.choice("MF")).full for _ in range(40)],
    )

    def period(name: str) -> tuple[dt.date, dt.date]:
        return year.map(section[name]["from"], reference), year.map(section[name]["to"], reference)

    (q_start, q_end), (b_start, b_end), (d_start, d_end) = map(
        period, ("qualification", "block", "dvb")
    )
    for copy in range(1, copies + 1):
        for group in school.groups:
            members = ids.students[copy, group.index]
            if group.code in section["qualification_groups"]:
                for student in members:
                    placer.place(
                        student, group.speciality, PlacementKind.QUALIFICATION, q_start, q_end
                    )
            if group.code == section["block"]["group"]:
                for student in members:
                    placer.place(student, group.speciality, PlacementKind.TRAINING, b_start, b_end)
            for student in members[: int(section["dvb_split"].get(group.code, 0))]:
                placer.place(student, group.speciality, PlacementKind.DVB, d_start, d_end)

"""Practice placements as cards: company, dates, supervisors, documents and their status."""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models.name_search import match_names
from models.practice import Company, Placement
from models.school import Speciality, Staff, Student, StudentStatus


@dataclass
class PlacementCard:
    student: str
    kind: str
    company: str
    address: str
    start: dt.date
    end: dt.date
    company_supervisor: str
    school_supervisor: str
    agreement_no: str
    agreement_signed: dt.date | None
    documents: list[tuple[str, dt.date | None, dt.date | None]]  # name, due, received
    result: str


async def placements_of(session: AsyncSession, *, student_ids: list[int]) -> list[PlacementCard]:
    """The placements of these students, newest first."""
    rows = await session.execute(
        select(Placement, Company, Student, Staff)
        .join(Company, col(Company.id) == col(Placement.company_id))
        .join(Student, col(Student.id) == col(Placement.student_id))
        .outerjoin(Staff, col(Staff.id) == col(Placement.school_supervisor_id))
        .where(col(Placement.student_id).in_(student_ids))
        .order_by(col(Student.last_name), col(Placement.start_date).desc())
    )
    return [
        PlacementCard(
            student=student.full_name,
            kind=placement.kind,
            company=company.name,
            address=placement.address or company.address,
            start=placement.start_date,
            end=placement.end_date,
            company_supervisor=placement.company_supervisor,
            school_supervisor=staff.full_name if staff else "",
            agreement_no=placement.agreement_no,
            agreement_signed=placement.agreement_signed,
            documents=_documents(placement),
            result=placement.result,
        )
        for placement, company, student, staff in rows.all()
    ]


async def group_members(session: AsyncSession, *, group_id: int) -> list[int]:
    """The ids of a group's active students, whose placements its table shows."""
    members = await session.scalars(
        select(Student.id).where(
            col(Student.group_id) == group_id, col(Student.status) == StudentStatus.ACTIVE
        )
    )
    return [ident for ident in members if ident is not None]


async def companies_for(session: AsyncSession, text: str) -> list[tuple[str, str, int]]:
    """Companies by speciality code or name, with how many students each has: name, city, n."""
    text = text.strip()[:100]
    speciality = await session.scalar(
        select(Speciality.code).where(func.upper(Speciality.code) == text.upper())
    )
    companies = list(await session.scalars(select(Company)))
    if speciality:
        chosen = [c for c in companies if speciality in c.specialities.split(",")]
    else:
        names = {c.id or 0: c.name_key for c in companies}
        wanted = set(match_names(text, names, limit=10))
        chosen = [c for c in companies if (c.id or 0) in wanted]
    counts = dict(
        (
            await session.execute(
                select(col(Placement.company_id), func.count(func.distinct(Placement.student_id)))
                .where(col(Placement.company_id).in_([c.id for c in chosen]))
                .group_by(col(Placement.company_id))
            )
        ).all()
    )
    rows = [(c.name, c.city, int(counts.get(c.id or 0, 0))) for c in chosen]
    return sorted(rows, key=lambda row: (-row[2], row[0]))[:30]


def _documents(placement: Placement) -> list[tuple[str, dt.date | None, dt.date | None]]:
    return [
        ("diary", placement.diary_due, placement.diary_received),
        ("characterisation", placement.characterisation_due, placement.characterisation_received),
    ]

"""More of the checklist (demo_data.md §14): consultations, practice, records, changes."""

import datetime as dt
import sqlite3
from collections import Counter
from pathlib import Path

from sqlalchemy import func, text
from sqlmodel import col, select

from bot.db import SessionMaker
from bot.demo.config import load_config
from models.consultations import ConsultationSlot
from models.practice import Placement
from models.school import (
    StaffRole,
    StaffRoleAssignment,
    StudyGroup,
)
from models.timetable import TimetableChange, TimetableEntry
from tests.demo_schools import TODAY, build_school_file


async def _scalar(school: SessionMaker, query: str) -> int:
    async with school() as session:
        return int((await session.execute(text(query))).scalar_one())


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


async def _rows(school: SessionMaker, query: str) -> list[tuple[str]]:
    async with school() as session:
        return [tuple(row) for row in (await session.execute(text(query))).all()]


async def test_nothing_that_happened_is_dated_after_today(school: SessionMaker) -> None:
    after_today = {
        "absences": "SELECT count(*) FROM absence WHERE date > :today",
        "marks": "SELECT count(*) FROM mark WHERE date > :today",
        "signed agreements": "SELECT count(*) FROM placement WHERE agreement_signed > :today",
        "received diaries": "SELECT count(*) FROM placement WHERE diary_received > :today",
        "received characterisations": (
            "SELECT count(*) FROM placement WHERE characterisation_received > :today"
        ),
    }
    found = {
        what: await _scalar(school, sql.replace(":today", f"'{TODAY}'"))
        for what, sql in after_today.items()
    }
    assert found == dict.fromkeys(after_today, 0)


def test_import_stamps_are_never_later_than_the_import(tmp_path: Path) -> None:
    early = dt.datetime.combine(TODAY, dt.time(5, 21), tzinfo=dt.UTC)  # 07:21 in Riga
    url, _summary = build_school_file(tmp_path / "early.db", now=early)
    stamps = sqlite3.connect(url.removeprefix("sqlite+aiosqlite:///")).execute(
        "SELECT max(imported_at) FROM import_stamp"
    )
    assert dt.datetime.fromisoformat(stamps.fetchone()[0]).replace(tzinfo=dt.UTC) <= early

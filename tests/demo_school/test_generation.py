"""The generator itself: the same seed gives the same school, scale, refusals, the CLI."""

import asyncio
import datetime as dt
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import col, select
from typer.testing import CliRunner

from bot.cli.main import app
from bot.db import SessionMaker, create_engine
from bot.demo.build import generate
from bot.demo.rows import SchoolNotEmpty
from models.school import Student, StudyGroup
from tests.demo_schools import TODAY, build_school_file

TABLES = ("study_group", "student", "staff", "timetable_entry", "absence", "mark", "placement")


def _digest(url: str) -> str:
    async def _read() -> str:
        engine = create_engine(url)
        digest = hashlib.sha256()
        async with engine.connect() as connection:
            for table in TABLES:
                rows = (await connection.execute(text(f"SELECT * FROM {table} ORDER BY id"))).all()
                digest.update(repr(rows).encode())
        await engine.dispose()
        return digest.hexdigest()

    return asyncio.run(_read())


def test_the_same_seed_gives_the_same_school(tmp_path: Path, school_url: str) -> None:
    again, _ = build_school_file(tmp_path / "again.db")
    other, _ = build_school_file(tmp_path / "other.db", seed=7)
    assert _digest(again) == _digest(school_url)
    assert _digest(other) != _digest(school_url)


def test_dates_follow_today_so_there_is_always_a_current_week(tmp_path: Path) -> None:
    url, summary = build_school_file(tmp_path / "later.db", today=dt.date(2027, 3, 3))
    assert summary.today == dt.date(2027, 3, 3)

    async def _latest() -> tuple[str, str]:
        engine = create_engine(url)
        async with engine.connect() as connection:
            absence = (await connection.execute(text("SELECT max(date) FROM absence"))).scalar()
            change = (
                await connection.execute(text("SELECT min(date) FROM timetable_change"))
            ).scalar()
        await engine.dispose()
        return str(absence), str(change)

    absence, change = asyncio.run(_latest())
    assert "2027-02-24" <= absence <= "2027-03-03"
    assert change == "2027-03-01"  # Monday of the week that holds today


def test_scale_makes_copies_of_the_school_without_clashes(tmp_path: Path) -> None:
    url, summary = build_school_file(tmp_path / "double.db", scale=2)
    assert summary.counts["groups"] == 74 and summary.counts["students"] == 1474

    async def _clashes() -> int:
        engine = create_engine(url)
        async with engine.connect() as connection:
            clashes = (
                await connection.execute(
                    text(
                        "SELECT count(*) FROM (SELECT teacher_id, weekday, lesson_no FROM "
                        "timetable_entry WHERE teacher_id IS NOT NULL "
                        "GROUP BY teacher_id, weekday, lesson_no HAVING count(*) > 1) AS c"
                    )
                )
            ).scalar_one()
        await engine.dispose()
        return int(clashes)

    assert asyncio.run(_clashes()) == 0


async def test_a_filled_database_is_refused_and_left_alone(sessionmaker: SessionMaker) -> None:
    async with sessionmaker.begin() as session:
        session.add(StudyGroup(code="AM-21", code_key="AM21"))
    with pytest.raises(SchoolNotEmpty):
        await generate(sessionmaker, today=TODAY)
    async with sessionmaker() as session:
        assert len((await session.scalars(select(StudyGroup))).all()) == 1


async def test_the_school_is_usable_afterwards_on_every_database(
    sessionmaker: SessionMaker,
) -> None:
    """On PostgreSQL the id sequences must follow the inserted ids, or the next insert fails."""
    summary = await generate(sessionmaker, today=TODAY)
    async with sessionmaker.begin() as session:
        group = await session.scalar(select(StudyGroup).where(col(StudyGroup.code) == "AM-21"))
        assert group is not None and group.id is not None
        session.add(
            Student(
                student_number="NEW-1",
                first_name="A",
                last_name="New",
                name_key="a new",
                group_id=group.id,
            )
        )
    async with sessionmaker() as session:
        students = len((await session.scalars(select(Student.id))).all())
    assert students == summary.counts["students"] + 1


def test_cli_fills_an_empty_database_and_refuses_a_filled_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    runner = CliRunner()
    first = runner.invoke(app, ["demo-data", "--today", "2026-11-24", "--seed", "3"])
    assert first.exit_code == 0, first.output
    assert "737 students" in first.output and "Top student" in first.output
    second = runner.invoke(app, ["demo-data"])
    assert second.exit_code == 1 and "already holds a school" in second.output
    bad = runner.invoke(app, ["demo-data", "--today", "24.11.2026"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output

"""Read generated demo schools back: rows, counts, a digest of every row, timetable clashes."""

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

from bot.demo.build import DemoSummary
from tests.demo_schools import build_school_file


def make_school(path: Path, *, seed: int = 2020, scale: int = 1) -> DemoSummary:
    """Migrate a fresh SQLite file and generate the demo school into it."""
    return build_school_file(path, seed=seed, scale=scale)[1]


def rows(path: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as connection:
        return list(connection.execute(sql, params).fetchall())


def scalar(path: Path, sql: str, *params: object) -> Any:
    return rows(path, sql, *params)[0][0]


TABLES = (
    "building",
    "room",
    "programme",
    "speciality",
    "subject",
    "study_group",
    "staff",
    "staff_role",
    "group_tutor",
    "student",
    "bell_time",
    "holiday",
    "timetable_entry",
    "telegram_account",
    "demo_persona",
)


def digest(path: Path) -> str:
    """A hash of every generated row, sorted, so two databases compare by content."""
    hasher = hashlib.sha256()
    for table in TABLES:
        for row in sorted(rows(path, f"SELECT * FROM {table}"), key=repr):
            hasher.update(repr(row).encode())
    return hasher.hexdigest()


def clashes(path: Path) -> dict[str, int]:
    """Count teacher, room and group double bookings in the weekly timetable."""
    teacher = scalar(
        path,
        "SELECT count(*) FROM (SELECT 1 FROM timetable_entry WHERE teacher_id IS NOT NULL"
        " GROUP BY teacher_id, weekday, lesson_no HAVING count(*) > 1)",
    )
    room = scalar(
        path,
        "SELECT count(*) FROM (SELECT 1 FROM timetable_entry WHERE room_id IS NOT NULL"
        " GROUP BY room_id, weekday, lesson_no HAVING count(*) > 1)",
    )
    group = scalar(
        path,
        "SELECT count(*) FROM timetable_entry a JOIN timetable_entry b"
        " ON a.group_id = b.group_id AND a.weekday = b.weekday AND a.lesson_no = b.lesson_no"
        " AND a.id < b.id AND (a.subgroup = '' OR b.subgroup = '' OR a.subgroup = b.subgroup)",
    )
    return {"teacher": int(str(teacher)), "room": int(str(room)), "group": int(str(group))}

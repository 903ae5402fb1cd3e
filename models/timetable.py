"""The timetable: bell times, weekly entries, dated changes and days without lessons."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class ChangeType(StrEnum):
    CANCELLED = "cancelled"
    SUBSTITUTE = "substitute"
    ROOM = "room"
    MOVED = "moved"
    ADDED = "added"


class BellTime(SQLModel, table=True):
    __tablename__ = "bell_time"
    __table_args__ = (UniqueConstraint("lesson_no", "building_code"),)

    id: int | None = Field(default=None, primary_key=True)
    lesson_no: int = Field(ge=0, le=20)
    building_code: str = Field(default="", max_length=32)  # "" = every building
    start: dt.time
    end: dt.time


class TimetableEntry(SQLModel, table=True):
    __tablename__ = "timetable_entry"
    __table_args__ = (
        UniqueConstraint(
            "group_id", "weekday", "lesson_no", "subgroup", "week_parity", "valid_from"
        ),
        Index("ix_timetable_entry_teacher_day", "teacher_id", "weekday"),
        Index("ix_timetable_entry_room_day", "room_id", "weekday"),
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="study_group.id", index=True)
    weekday: int = Field(ge=1, le=7)  # ISO: Monday = 1
    lesson_no: int = Field(ge=0, le=20)
    subgroup: str = Field(default="", max_length=8)
    week_parity: str = Field(default="", max_length=4)  # "", "odd", "even"
    subject_id: int = Field(foreign_key="subject.id")
    teacher_id: int | None = Field(default=None, foreign_key="staff.id")
    room_id: int | None = Field(default=None, foreign_key="room.id")
    valid_from: dt.date
    valid_to: dt.date


class TimetableChange(SQLModel, table=True):
    __tablename__ = "timetable_change"
    __table_args__ = (
        UniqueConstraint("date", "group_id", "lesson_no", "subgroup"),
        Index("ix_timetable_change_group_date", "group_id", "date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    date: dt.date = Field(index=True)
    group_id: int = Field(foreign_key="study_group.id")
    lesson_no: int = Field(ge=0, le=20)
    subgroup: str = Field(default="", max_length=8)
    change_type: str = Field(max_length=16)
    subject_id: int | None = Field(default=None, foreign_key="subject.id")
    new_teacher_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    new_room_id: int | None = Field(default=None, foreign_key="room.id")
    moved_to_date: dt.date | None = None
    moved_to_lesson: int | None = None
    reason: str = Field(default="", max_length=300)
    published_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class Holiday(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("date_from", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    date_from: dt.date = Field(index=True)
    date_to: dt.date
    name: str = Field(max_length=200)
    kind: str = Field(default="holiday", max_length=16)  # holiday / break / no_lessons

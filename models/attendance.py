"""Absences from lessons, one row per student, day and lesson."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class AbsenceStatus(StrEnum):
    EXCUSED = "excused"
    UNEXCUSED = "unexcused"
    PENDING = "pending"


class Absence(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("student_id", "date", "lesson_no"),
        Index("ix_absence_date", "date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id")
    date: dt.date
    lesson_no: int = Field(ge=0, le=20)
    subject_id: int | None = Field(default=None, foreign_key="subject.id")
    status: str = Field(max_length=16)
    reason: str = Field(default="", max_length=200)

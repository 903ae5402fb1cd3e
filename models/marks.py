"""Marks: 10-point and pass/fail, daily through monthly attestation."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class MarkKind(StrEnum):
    DAILY = "daily"
    TEST = "test"
    DIAGNOSTIC = "diagnostic"
    MODULE = "module"
    ATTESTATION = "attestation"
    SEMESTER = "semester"
    EXAM = "exam"


class Mark(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("student_id", "subject_id", "date", "kind"),
        Index("ix_mark_date", "date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id")
    subject_id: int = Field(foreign_key="subject.id")
    date: dt.date
    kind: str = Field(default=MarkKind.DAILY, max_length=16)
    value: str = Field(max_length=16)  # "1".."10", "passed", "failed", "nv"
    score: int | None = Field(default=None, ge=1, le=10)  # the number when value is 1-10

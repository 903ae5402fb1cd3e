"""Companies that take trainees and the students' practice placements."""

from datetime import date
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class PlacementKind(StrEnum):
    TRAINING = "training"
    QUALIFICATION = "qualification"
    DVB = "dvb"
    ERASMUS = "erasmus"
    MODULE = "module"


class PlacementResult(StrEnum):
    PENDING = "pending"
    PASSED = "passed"
    FAILED = "failed"


class Company(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=200)
    name_key: str = Field(index=True, max_length=200)
    legal_form: str = Field(default="", max_length=16)
    sector: str = Field(default="", max_length=64)
    city: str = Field(default="", max_length=100)
    country: str = Field(default="LV", max_length=2)
    address: str = Field(default="", max_length=200)
    specialities: str = Field(default="", max_length=200)  # speciality codes, comma-separated
    capacity: int | None = None


class Placement(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("student_id", "kind", "start_date"),)

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    kind: str = Field(max_length=16)
    address: str = Field(default="", max_length=200)
    start_date: date
    end_date: date
    company_supervisor: str = Field(default="", max_length=200)
    school_supervisor_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    agreement_no: str = Field(default="", max_length=32)
    agreement_signed: date | None = None
    diary_due: date | None = None
    diary_received: date | None = None
    characterisation_due: date | None = None
    characterisation_received: date | None = None
    result: str = Field(default=PlacementResult.PENDING, max_length=16)
    funding: str = Field(default="", max_length=32)

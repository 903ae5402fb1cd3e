"""Guardians: who looks after which student, their linked Telegram account, adults' consent."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import TelegramId, UTCDateTime, utcnow


class Relation(StrEnum):
    MOTHER = "mother"
    FATHER = "father"
    GUARDIAN = "guardian"
    OTHER = "other"


class GuardianshipStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"  # the school ended it: the guardian sees nothing any more


class Guardianship(SQLModel, table=True):
    """One guardian of one student; a guardian of two students has two rows and two codes.

    The rows a guardian redeemed codes for with one Telegram account are that guardian's
    students: the student switcher lists them.
    """

    __tablename__ = "guardianship"
    __table_args__ = (UniqueConstraint("student_id", "name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    name_key: str = Field(max_length=200)
    relation: str = Field(default=Relation.GUARDIAN, max_length=16)
    phone: str = Field(default="", max_length=32)
    email: str = Field(default="", max_length=200)
    status: str = Field(default=GuardianshipStatus.ACTIVE, max_length=16)
    telegram_id: int | None = Field(default=None, sa_type=TelegramId, index=True)
    linked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    added_by: str = Field(default="import", max_length=32)  # "import" or "staff:<id>"
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class GuardianConsent(SQLModel, table=True):
    """An adult student's choice: may their guardians see their records (and were they asked)."""

    __tablename__ = "guardian_consent"

    student_id: int = Field(primary_key=True, foreign_key="student.id", ondelete="CASCADE")
    allowed: bool = False
    asked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

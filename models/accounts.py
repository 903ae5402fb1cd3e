"""Telegram accounts, the one-time codes that link them, and guessing attempts."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.types import TelegramId, UTCDateTime, utcnow


class TelegramAccount(SQLModel, table=True):
    __tablename__ = "telegram_account"

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_type=TelegramId, unique=True)
    student_id: int | None = Field(default=None, foreign_key="student.id", unique=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id", unique=True)
    language: str | None = Field(default=None, max_length=2)
    telegram_language: str | None = Field(default=None, max_length=8)  # last seen from Telegram
    first_name: str = Field(default="", max_length=100)
    username: str = Field(default="", max_length=64)
    is_admin: bool = False
    blocked: bool = False
    notify_changes: bool = True
    ward_id: int | None = Field(default=None, foreign_key="student.id")  # a guardian's choice
    linked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LinkCode(SQLModel, table=True):
    __tablename__ = "link_code"

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(unique=True, max_length=64)
    student_id: int | None = Field(default=None, foreign_key="student.id", index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    guardianship_id: int | None = Field(
        default=None, foreign_key="guardianship.id", index=True, ondelete="CASCADE"
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    used_by: int | None = Field(default=None, sa_type=TelegramId)


class LinkAttempt(SQLModel, table=True):
    __tablename__ = "link_attempt"

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_type=TelegramId, index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    success: bool = False

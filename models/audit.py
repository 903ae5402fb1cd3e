"""The audit log: who viewed personal data or took an admin action, and when."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.types import TelegramId, UTCDateTime, utcnow


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    telegram_id: int | None = Field(default=None, sa_type=TelegramId, index=True)
    actor: str = Field(default="", max_length=100)  # "cli", "student:12", "staff:3"
    action: str = Field(max_length=64)
    target: str = Field(default="", max_length=200)
    detail: str = Field(default="", max_length=1000)

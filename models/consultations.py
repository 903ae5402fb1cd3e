"""Weekly consultation and service hours, and their one-off cancellations."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class SlotKind(StrEnum):
    CONSULTATION = "consultation"
    INDIVIDUAL_WORK = "individual_work"
    PSYCHOLOGIST = "psychologist"
    CAREER = "career"
    PARAMEDIC = "paramedic"
    RECEPTION = "reception"
    LIBRARY = "library"
    CLUB = "club"


class ConsultationSlot(SQLModel, table=True):
    __tablename__ = "consultation_slot"
    __table_args__ = (UniqueConstraint("staff_id", "kind", "weekday", "start", "valid_from"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    service_name: str = Field(default="", max_length=200)  # for slots without a person
    kind: str = Field(default=SlotKind.CONSULTATION, max_length=24, index=True)
    weekday: int = Field(ge=1, le=7)
    start: dt.time
    end: dt.time
    room_id: int | None = Field(default=None, foreign_key="room.id")
    valid_from: dt.date
    valid_to: dt.date
    note: str = Field(default="", max_length=300)
    anonymous_allowed: bool = False
    booking_required: bool = False


class ConsultationCancellation(SQLModel, table=True):
    __tablename__ = "consultation_cancellation"
    __table_args__ = (UniqueConstraint("slot_id", "date"),)

    id: int | None = Field(default=None, primary_key=True)
    slot_id: int = Field(foreign_key="consultation_slot.id", ondelete="CASCADE")
    date: dt.date
    reason: str = Field(default="", max_length=300)

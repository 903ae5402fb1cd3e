"""Demo personas: the generated people the sandbox lets a visitor act as."""

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import TelegramId


class DemoPersona(SQLModel, table=True):
    __tablename__ = "demo_persona"
    __table_args__ = (UniqueConstraint("key"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=32)  # stable: "top_student", "tutor", "it_admin", ...
    label: str = Field(max_length=100)  # English msgid, translated by the demodata catalog
    story: str = Field(default="", max_length=300)  # English msgid as well
    role: str = Field(max_length=16)  # student / tutor / teacher / admin
    position: int = 0  # display order
    student_id: int | None = Field(default=None, foreign_key="student.id")
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    telegram_id: int = Field(sa_type=TelegramId, unique=True)  # the account it writes from

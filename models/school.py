"""The school's structure: buildings, rooms, programmes, specialities, groups, people, subjects."""

from datetime import date
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class BuildingKind(StrEnum):
    STUDY = "study"
    WORKSHOP = "workshop"
    DORM = "dorm"
    PRISON = "prison"
    LAB = "lab"


class StudentStatus(StrEnum):
    ACTIVE = "active"
    ACADEMIC_LEAVE = "academic_leave"
    EXPELLED = "expelled"
    GRADUATED = "graduated"


class StaffRole(StrEnum):
    TEACHER = "teacher"
    TUTOR = "tutor"
    ADMIN = "admin"
    STUDY_DEPT = "study_dept"
    HEAD_OF_BUILDING = "head_of_building"
    DEPUTY_DIRECTOR = "deputy_director"
    DIRECTOR = "director"
    METHODOLOGIST = "methodologist"
    PSYCHOLOGIST = "psychologist"
    CAREER_CONSULTANT = "career_consultant"
    DORM_TUTOR = "dorm_tutor"
    PARAMEDIC = "paramedic"
    INTEREST_ED_TEACHER = "interest_ed_teacher"
    PRACTICE_SUPERVISOR = "practice_supervisor"
    IT_ADMIN = "it_admin"
    LIBRARIAN = "librarian"
    OTHER = "other"


class Building(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    name: str = Field(max_length=200)
    address: str = Field(default="", max_length=200)
    kind: str = Field(default=BuildingKind.STUDY, max_length=16)


class Room(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    building_id: int = Field(foreign_key="building.id", index=True)
    kind: str = Field(default="classroom", max_length=32)
    capacity: int | None = None


class Programme(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    name_lv: str = Field(max_length=200)
    name_en: str = Field(default="", max_length=200)
    kind: str = Field(default="voc_secondary", max_length=32)
    duration_years: float | None = None


class Speciality(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    name_lv: str = Field(max_length=200)
    name_en: str = Field(default="", max_length=200)
    aliases: str = Field(default="", max_length=500)


class StudyGroup(SQLModel, table=True):
    __tablename__ = "study_group"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    code_key: str = Field(unique=True, max_length=32)
    programme_id: int | None = Field(default=None, foreign_key="programme.id", index=True)
    speciality_id: int | None = Field(default=None, foreign_key="speciality.id")
    course: int = Field(default=1, ge=1, le=6)
    home_building_id: int | None = Field(default=None, foreign_key="building.id", index=True)
    study_form: str = Field(default="full_time", max_length=16)
    is_prison: bool = False
    bot_access: bool = True
    status: str = Field(default="active", max_length=16)


class Staff(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    name_key: str = Field(index=True, max_length=200)
    email: str = Field(default="", max_length=200)
    main_building_id: int | None = Field(default=None, foreign_key="building.id")
    room_id: int | None = Field(default=None, foreign_key="room.id")
    is_pedagogical: bool = True
    active: bool = True

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class StaffRoleAssignment(SQLModel, table=True):
    __tablename__ = "staff_role"
    __table_args__ = (UniqueConstraint("staff_id", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=32, index=True)


class GroupTutor(SQLModel, table=True):
    __tablename__ = "group_tutor"
    __table_args__ = (UniqueConstraint("group_id", "staff_id"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="study_group.id", index=True, ondelete="CASCADE")
    staff_id: int = Field(foreign_key="staff.id", index=True, ondelete="CASCADE")


class Student(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    student_number: str = Field(unique=True, max_length=32)
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    name_key: str = Field(index=True, max_length=200)
    group_id: int = Field(foreign_key="study_group.id", index=True)
    speciality_id: int | None = Field(default=None, foreign_key="speciality.id")
    birth_date: date | None = None
    gender: str = Field(default="", max_length=1)
    status: str = Field(default=StudentStatus.ACTIVE, max_length=16, index=True)
    dorm_building_id: int | None = Field(default=None, foreign_key="building.id")
    dorm_room: str = Field(default="", max_length=16)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def is_minor(self, today: date) -> bool:
        """Tell whether the student is under 18 on the given day (unknown birth date: no)."""
        if self.birth_date is None:
            return False
        born = self.birth_date
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        return age < 18


class Subject(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=64)
    name_lv: str = Field(max_length=200)
    name_en: str = Field(default="", max_length=200)
    name_key: str = Field(index=True, max_length=200)
    block: str = Field(default="general", max_length=16)
    grading: str = Field(default="10", max_length=8)

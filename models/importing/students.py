"""Import kind for students: names, group, speciality, birth date, status, dormitory."""

import datetime as dt
from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from models.i18n import N_
from models.importing.cells import Choice, Text
from models.importing.dates import Date
from models.importing.keys import code_key, name_key
from models.importing.refs import BUILDINGS, GROUPS, SPECIALITIES
from models.importing.spec import Column, Key, Kind, Row
from models.school import Building, BuildingKind, Student, StudentStatus

NOT_DORM = N_("The building {value} is not a dormitory.")
ROOM_WITHOUT_DORM = N_("A dormitory room needs a dormitory building.")
BORN_IN_FUTURE = N_("The birth date {value} is in the future.")

GENDERS = Choice(
    ("M", "F"),
    {
        "M": ("male", "v", "vīrietis", "vīr", "м", "муж", "мужской"),
        "F": ("female", "s", "sieviete", "siev", "ж", "жен", "женский"),
    },
)
STUDENT_STATUSES = Choice(
    tuple(status.value for status in StudentStatus),
    {
        "active": ("aktīvs", "mācās", "учится", "активный"),
        "academic_leave": ("akadēmiskais atvaļinājums", "академический отпуск"),
        "expelled": ("atskaitīts", "отчислен"),
        "graduated": ("absolvējis", "beidzis", "выпускник", "окончил"),
    },
)


class Students(Kind):
    name = "students"
    title = N_("students")
    file_names = ("audzekni", "studenti", "skoleni", "учащиеся", "студенты")
    model = Student
    columns = (
        Column("student_number", Text(32), "student_number", required=True),
        Column("first_name", Text(100), "first_name", required=True),
        Column("last_name", Text(100), "last_name", required=True),
        Column("group", Text(32), "group_id", required=True, ref=GROUPS),
        Column("speciality", Text(32), "speciality_id", ref=SPECIALITIES),
        Column("birth_date", Date(), "birth_date"),
        Column("gender", GENDERS, "gender", default=""),
        Column("status", STUDENT_STATUSES, "status", default=StudentStatus.ACTIVE.value),
        Column("dorm_building", Text(32), "dorm_building_id", ref=BUILDINGS),
        Column("dorm_room", Text(16), "dorm_room", default=""),
    )
    fields = (
        "student_number",
        "first_name",
        "last_name",
        "name_key",
        "group_id",
        "speciality_id",
        "birth_date",
        "gender",
        "status",
        "dorm_building_id",
        "dorm_room",
    )
    key_columns = ("student_number",)
    examples = (
        {
            "student_number": "20230412",
            "first_name": "Artjoms",
            "last_name": "Petrovs",
            "group": "DT-31",
            "speciality": "DT",
            "birth_date": dt.date(2006, 3, 14),
            "gender": "M",
            "status": "active",
            "dorm_building": "",
            "dorm_room": "",
        },
        {
            "student_number": "20230415",
            "first_name": "Elīna",
            "last_name": "Zariņa",
            "group": "DT-31",
            "speciality": "DT",
            "birth_date": dt.date(2007, 11, 2),
            "gender": "F",
            "status": "active",
            "dorm_building": "",
            "dorm_room": "",
        },
        {
            "student_number": "20240107",
            "first_name": "Kristaps",
            "last_name": "Liepiņš",
            "group": "AM-21",
            "speciality": "AM",
            "birth_date": dt.date(2008, 5, 27),
            "gender": "M",
            "status": "active",
            "dorm_building": "BAU25",
            "dorm_room": "214",
        },
    )

    async def prepare(self, session: AsyncSession) -> None:
        await super().prepare(session)
        query = select(Building.id).where(Building.kind == BuildingKind.DORM.value)
        self.dorms: set[int] = set((await session.execute(query)).scalars().all())

    def complete(self, row: Row, values: dict[str, object]) -> frozenset[object] | None:
        values["name_key"] = name_key(f"{row.text('first_name')} {row.text('last_name')}")
        born = row.date("birth_date")
        if born is not None and born > self.now.date():
            row.problem("birth_date", BORN_IN_FUTURE, value=born.strftime("%d.%m.%Y"))
        dorm = row.ids.get("dorm_building")
        if dorm is not None and dorm not in self.dorms:
            row.problem("dorm_building", NOT_DORM, value=row.text("dorm_building"))
        if row.text("dorm_room") and row.missing("dorm_building"):
            row.problem("dorm_room", ROOM_WITHOUT_DORM)
        return None

    def key(self, values: Mapping[str, object]) -> Key:
        return (code_key(str(values["student_number"])),)

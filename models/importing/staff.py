"""Import kind for staff, with their roles kept equal to the list in the file."""

from collections.abc import Mapping

from models.i18n import N_
from models.importing.cells import Choice, Email, Flag, Items, Text
from models.importing.keys import code_key, name_key
from models.importing.refs import BUILDINGS, ROOMS
from models.importing.spec import Children, Column, Key, Kind, Row
from models.school import Staff, StaffRole, StaffRoleAssignment

ROLES = Choice(
    tuple(role.value for role in StaffRole),
    {
        "teacher": ("skolotājs", "pedagogs", "преподаватель", "учитель"),
        "tutor": ("audzinātājs", "grupas audzinātājs", "куратор", "классный руководитель"),
    },
)


class StaffKind(Kind):
    name = "staff"
    title = N_("staff")
    file_names = ("darbinieki", "personals", "skolotaji", "pedagogi", "сотрудники", "персонал")
    model = Staff
    columns = (
        Column("code", Text(32), "code", required=True),
        Column("first_name", Text(100), "first_name", required=True),
        Column("last_name", Text(100), "last_name", required=True),
        Column("email", Email(), "email", default=""),
        Column("main_building", Text(32), "main_building_id", ref=BUILDINGS),
        Column("room", Text(32), "room_id", ref=ROOMS),
        Column("is_pedagogical", Flag(), "is_pedagogical", default=True),
        Column("active", Flag(), "active", default=True),
        Column("roles", Items("list of roles", ROLES)),
    )
    fields = (
        "code",
        "first_name",
        "last_name",
        "name_key",
        "email",
        "main_building_id",
        "room_id",
        "is_pedagogical",
        "active",
    )
    key_columns = ("code",)
    children = Children(StaffRoleAssignment, "staff_id", "role")
    examples = (
        {
            "code": "T001",
            "first_name": "Ilze",
            "last_name": "Kalniņa",
            "email": "ilze.kalnina@example.lv",
            "main_building": "STR16",
            "room": "STR16-204",
            "is_pedagogical": True,
            "active": True,
            "roles": "teacher, tutor",
        },
        {
            "code": "T002",
            "first_name": "Dmitrijs",
            "last_name": "Sokolovs",
            "email": "",
            "main_building": "VAR23",
            "room": "VAR23-DW3",
            "is_pedagogical": True,
            "active": True,
            "roles": "teacher, tutor, practice_supervisor",
        },
        {
            "code": "P001",
            "first_name": "Laura",
            "last_name": "Vītola",
            "email": "laura.vitola@example.lv",
            "main_building": "STR16",
            "room": "STR16-310",
            "is_pedagogical": True,
            "active": True,
            "roles": "psychologist",
        },
    )

    def complete(self, row: Row, values: dict[str, object]) -> frozenset[object] | None:
        values["name_key"] = name_key(f"{row.text('first_name')} {row.text('last_name')}")
        return frozenset(row.items("roles")) if row.has("roles") else None

    def key(self, values: Mapping[str, object]) -> Key:
        return (code_key(str(values["code"])),)

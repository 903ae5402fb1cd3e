"""Import kind for guardians: who looks after which student, and how the school reaches them."""

from collections.abc import Mapping

from models.guardians import Guardianship, GuardianshipStatus, Relation
from models.i18n import N_
from models.importing.cells import Choice, Email, Text
from models.importing.keys import name_key
from models.importing.refs import STUDENTS
from models.importing.spec import Column, Key, Kind, Row

RELATIONS = Choice(
    tuple(relation.value for relation in Relation),
    {
        "mother": ("māte", "mamma", "mate", "мать", "мама"),
        "father": ("tēvs", "tētis", "tevs", "отец", "папа"),
        "guardian": ("aizbildnis", "aizbildne", "опекун", "опекунша"),
        "other": ("cits", "cita", "другое", "другой"),
    },
)
STATUSES = Choice(
    tuple(status.value for status in GuardianshipStatus),
    {
        "active": ("aktīvs", "spēkā", "действует"),
        "ended": ("beidzies", "izbeigts", "noņemts", "прекращено", "удалён"),
    },
)


class Guardians(Kind):
    name = "guardians"
    title = N_("guardians")
    file_names = ("aizbildni", "vecaki", "родители", "опекуны")
    model = Guardianship
    columns = (
        Column("student_number", Text(32), "student_id", required=True, ref=STUDENTS),
        Column("guardian_name", Text(200), "name", required=True),
        Column("relation", RELATIONS, "relation", default=Relation.GUARDIAN.value),
        Column("phone", Text(32), "phone", default=""),
        Column("email", Email(), "email", default=""),
        Column("status", STATUSES, "status", default=GuardianshipStatus.ACTIVE.value),
    )
    fields = ("student_id", "name", "name_key", "relation", "phone", "email", "status")
    key_columns = ("student_number", "guardian_name")
    examples = (
        {
            "student_number": "20230412",
            "guardian_name": "Olga Petrova",
            "relation": "mother",
            "phone": "+371 26123456",
            "email": "",
            "status": "active",
        },
        {
            "student_number": "20240107",
            "guardian_name": "Jānis Liepiņš",
            "relation": "father",
            "phone": "",
            "email": "janis.liepins@example.lv",
            "status": "active",
        },
        {
            "student_number": "20230415",
            "guardian_name": "Inese Zariņa",
            "relation": "guardian",
            "phone": "",
            "email": "",
            "status": "ended",
        },
    )

    def complete(self, row: Row, values: dict[str, object]) -> frozenset[object] | None:
        values["name_key"] = name_key(row.text("guardian_name"))
        return None

    def key(self, values: Mapping[str, object]) -> Key:
        return (values["student_id"], values["name_key"])

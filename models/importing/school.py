"""Import kinds for the school's structure: buildings, rooms, programmes, specialities, subjects."""

from collections.abc import Mapping

from models.i18n import N_
from models.importing.cells import Choice, Decimal, Text, Whole
from models.importing.keys import code_key, name_key
from models.importing.refs import BUILDINGS, PROGRAMMES
from models.importing.spec import Column, Key, Kind, Row
from models.school import Building, BuildingKind, Programme, Room, Speciality, Subject

BUILDING_KINDS = Choice(
    tuple(kind.value for kind in BuildingKind),
    {
        "study": ("mācību korpuss", "mācību", "учебный корпус", "учебный"),
        "workshop": ("darbnīca", "мастерская"),
        "dorm": ("dienesta viesnīca", "kopmītne", "общежитие", "dormitory"),
        "prison": ("cietums", "тюрьма"),
        "lab": ("laboratorija", "лаборатория", "laboratory"),
    },
)
SUBJECT_BLOCKS = Choice(
    ("general", "vocational", "practical", "module"),
    {
        "general": ("vispārizglītojošais", "vispārējais", "общеобразовательный"),
        "vocational": ("profesionālais", "профессиональный"),
        "practical": ("praktiskās mācības", "prakse", "практика", "practical training"),
        "module": ("modulis", "модуль"),
    },
)
GRADINGS = Choice(
    ("10", "pass"),
    {
        "10": ("10 ballu", "10 баллов", "10-point"),
        "pass": ("ieskaitīts", "ieskaite", "зачёт", "pass/fail", "pass_fail"),
    },
)


def _code(values: Mapping[str, object]) -> Key:
    return (code_key(str(values["code"])),)


class Buildings(Kind):
    name = "buildings"
    title = N_("buildings")
    file_names = ("ekas", "korpusi", "здания", "корпуса")
    model = Building
    columns = (
        Column("code", Text(32), "code", required=True),
        Column("name", Text(200), "name", required=True),
        Column("address", Text(200), "address", default=""),
        Column("kind", BUILDING_KINDS, "kind", default=BuildingKind.STUDY.value),
    )
    fields = ("code", "name", "address", "kind")
    key_columns = ("code",)
    examples = (
        {
            "code": "STR16",
            "name": "Strādnieku ielas korpuss",
            "address": "Strādnieku iela 16",
            "kind": "study",
        },
        {
            "code": "VAR23",
            "name": "Varšavas ielas korpuss",
            "address": "Varšavas iela 23",
            "kind": "study",
        },
        {
            "code": "BAU25",
            "name": "Dienesta viesnīca 2",
            "address": "Bauskas iela 25",
            "kind": "dorm",
        },
    )

    def key(self, values: Mapping[str, object]) -> Key:
        return _code(values)


class Rooms(Kind):
    name = "rooms"
    title = N_("rooms")
    file_names = ("telpas", "kabineti", "кабинеты", "аудитории")
    model = Room
    columns = (
        Column("code", Text(32), "code", required=True),
        Column("building", Text(32), "building_id", required=True, ref=BUILDINGS),
        Column("kind", Text(32), "kind", default="classroom"),
        Column("capacity", Whole(0, 1000), "capacity"),
    )
    fields = ("code", "building_id", "kind", "capacity")
    key_columns = ("code",)
    examples = (
        {"code": "STR16-204", "building": "STR16", "kind": "classroom", "capacity": 28},
        {"code": "STR16-310", "building": "STR16", "kind": "computer_class", "capacity": 16},
        {"code": "VAR23-DW3", "building": "VAR23", "kind": "workshop", "capacity": 12},
    )

    def key(self, values: Mapping[str, object]) -> Key:
        return _code(values)


class Programmes(Kind):
    name = "programmes"
    title = N_("programmes")
    file_names = ("programs", "programmas", "программы")
    model = Programme
    columns = (
        Column("code", Text(32), "code", required=True),
        Column("name_lv", Text(200), "name_lv", required=True),
        Column("name_en", Text(200), "name_en", default=""),
        Column("kind", Text(32), "kind", default="voc_secondary"),
        Column("duration_years", Decimal(0.1, 10), "duration_years"),
    )
    fields = ("code", "name_lv", "name_en", "kind", "duration_years")
    key_columns = ("code",)
    examples = (
        {
            "code": "33 481 01 1",
            "name_lv": "Datorsistēmas, datubāzes un datortīkli",
            "name_en": "Computer systems, databases and networks",
            "kind": "voc_secondary",
            "duration_years": 4,
        },
        {
            "code": "33 525 01 1",
            "name_lv": "Autotransports",
            "name_en": "Road transport",
            "kind": "voc_secondary",
            "duration_years": 4,
        },
    )

    def key(self, values: Mapping[str, object]) -> Key:
        return _code(values)


class Specialities(Kind):
    name = "specialities"
    title = N_("specialities")
    file_names = ("specialties", "specialitates", "kvalifikacijas", "специальности")
    model = Speciality
    columns = (
        Column("code", Text(32), "code", required=True),
        Column("programme", Text(32), "programme_id", required=True, ref=PROGRAMMES),
        Column("name_lv", Text(200), "name_lv", required=True),
        Column("name_en", Text(200), "name_en", default=""),
        Column("aliases", Text(500), "aliases", default=""),
    )
    fields = ("code", "programme_id", "name_lv", "name_en", "aliases")
    key_columns = ("code",)
    examples = (
        {
            "code": "DT",
            "programme": "33 481 01 1",
            "name_lv": "Datorsistēmu tehniķis",
            "name_en": "Computer systems technician",
            "aliases": "",
        },
        {
            "code": "AM",
            "programme": "33 525 01 1",
            "name_lv": "Automehāniķis",
            "name_en": "Car mechanic",
            "aliases": "Auto mehāniķis",
        },
    )

    def key(self, values: Mapping[str, object]) -> Key:
        return _code(values)


class Subjects(Kind):
    name = "subjects"
    title = N_("subjects")
    file_names = ("prieksmeti", "macibu_prieksmeti", "moduli", "предметы")
    model = Subject
    columns = (
        Column("code", Text(64), "code", required=True),
        Column("name_lv", Text(200), "name_lv", required=True),
        Column("name_en", Text(200), "name_en", default=""),
        Column("block", SUBJECT_BLOCKS, "block", default="general"),
        Column("grading", GRADINGS, "grading", default="10"),
    )
    fields = ("code", "name_lv", "name_en", "name_key", "block", "grading")
    key_columns = ("code",)
    examples = (
        {
            "code": "MAT",
            "name_lv": "Matemātika",
            "name_en": "Mathematics",
            "block": "general",
            "grading": "10",
        },
        {
            "code": "DTT",
            "name_lv": "Datortīkli",
            "name_en": "Computer networks",
            "block": "vocational",
            "grading": "10",
        },
        {
            "code": "KP",
            "name_lv": "Kvalifikācijas prakse",
            "name_en": "Qualification practice",
            "block": "practical",
            "grading": "pass",
        },
    )

    def complete(self, row: Row, values: dict[str, object]) -> frozenset[object] | None:
        values["name_key"] = name_key(row.text("name_lv"))
        return None

    def key(self, values: Mapping[str, object]) -> Key:
        return _code(values)

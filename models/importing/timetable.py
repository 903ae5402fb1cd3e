"""Import kinds for the timetable: bell times, weekly entries and dated changes."""

import datetime as dt
from collections.abc import Mapping
from typing import ClassVar

from models.i18n import N_
from models.importing.cells import Choice, Text, Whole
from models.importing.dates import Date, Time, Weekday
from models.importing.ranges import check_dates, check_times
from models.importing.refs import BUILDINGS, GROUPS, ROOMS, STAFF, SUBJECTS
from models.importing.spec import Column, Key, Kind, Row
from models.timetable import BellTime, ChangeType, TimetableChange, TimetableEntry

NEEDS_NEW_TEACHER = N_("A substitution needs the substitute teacher.")
NEEDS_NEW_ROOM = N_("A room change needs the new room.")
NEEDS_NEW_DATE = N_("A moved lesson needs the date it moves to.")
NEEDS_SUBJECT = N_("An added lesson needs its subject.")

WEEK_PARITIES = Choice(
    ("", "odd", "even"),
    {
        "": ("every", "all", "katra", "visas", "каждая", "все"),
        "odd": ("nepāra", "nepara", "нечётная", "нечетная", "I"),
        "even": ("pāra", "чётная", "четная", "II"),
    },
)
CHANGE_TYPES = Choice(
    tuple(change.value for change in ChangeType),
    {
        "cancelled": ("canceled", "atcelts", "atcelta", "nenotiek", "отменено", "отмена"),
        "substitute": ("substitution", "aizvietošana", "aizvietotājs", "замена"),
        "room": ("room change", "telpas maiņa", "cita telpa", "смена кабинета", "кабинет"),
        "moved": ("pārcelts", "pārcelta", "перенесено", "перенос"),
        "added": ("pievienots", "papildu stunda", "добавлено", "дополнительный"),
    },
)


class BellTimes(Kind):
    name = "bell_times"
    title = N_("bell times")
    file_names = ("bells", "zvani", "zvanu_saraksts", "stundu_laiki", "звонки")
    model = BellTime
    columns = (
        Column("lesson_no", Whole(0, 20), "lesson_no", required=True),
        Column("start", Time(), "start", required=True),
        Column("end", Time(), "end", required=True),
        Column("building", Text(32), ref=BUILDINGS),
    )
    fields = ("lesson_no", "building_code", "start", "end")
    key_columns = ("lesson_no", "building")
    examples = (
        {"lesson_no": 1, "start": dt.time(8, 30), "end": dt.time(9, 10), "building": ""},
        {"lesson_no": 2, "start": dt.time(9, 10), "end": dt.time(9, 50), "building": ""},
        {"lesson_no": 3, "start": dt.time(10, 0), "end": dt.time(10, 40), "building": ""},
    )

    def complete(self, row: Row, values: dict[str, object]) -> frozenset[object] | None:
        building = row.ids.get("building")
        values["building_code"] = (
            "" if building is None else self.maps["buildings"].labels[building]
        )
        check_times(row)
        return None

    def key(self, values: Mapping[str, object]) -> Key:
        return (values["lesson_no"], values["building_code"])


class Timetable(Kind):
    name = "timetable"
    title = N_("timetable")
    file_names = ("stundu_saraksts", "saraksts", "nodarbibu_saraksts", "расписание")
    model = TimetableEntry
    columns = (
        Column("group", Text(32), "group_id", required=True, ref=GROUPS),
        Column("weekday", Weekday(), "weekday", required=True),
        Column("lesson_no", Whole(0, 20), "lesson_no", required=True),
        Column("subject", Text(200), "subject_id", required=True, ref=SUBJECTS),
        Column("teacher", Text(200), "teacher_id", ref=STAFF),
        Column("room", Text(32), "room_id", ref=ROOMS),
        Column("subgroup", Text(8, upper=True), "subgroup", default=""),
        Column("week_parity", WEEK_PARITIES, "week_parity", default=""),
        Column("valid_from", Date(), "valid_from", required=True),
        Column("valid_to", Date(), "valid_to", required=True),
    )
    fields = (
        "group_id",
        "weekday",
        "lesson_no",
        "subgroup",
        "week_parity",
        "subject_id",
        "teacher_id",
        "room_id",
        "valid_from",
        "valid_to",
    )
    key_columns = ("group", "weekday", "lesson_no", "subgroup", "week_parity", "valid_from")
    examples = (
        {
            "group": "DT-31",
            "weekday": "Mon",
            "lesson_no": 1,
            "subject": "DTT",
            "teacher": "T001",
            "room": "STR16-310",
            "subgroup": "A",
            "week_parity": "",
            "valid_from": dt.date(2025, 9, 1),
            "valid_to": dt.date(2025, 12, 23),
        },
        {
            "group": "DT-31",
            "weekday": "Mon",
            "lesson_no": 2,
            "subject": "MAT",
            "teacher": "T001",
            "room": "STR16-204",
            "subgroup": "",
            "week_parity": "",
            "valid_from": dt.date(2025, 9, 1),
            "valid_to": dt.date(2025, 12, 23),
        },
        {
            "group": "AM-21",
            "weekday": "Tue",
            "lesson_no": 3,
            "subject": "MAT",
            "teacher": "T002",
            "room": "VAR23-DW3",
            "subgroup": "",
            "week_parity": "odd",
            "valid_from": dt.date(2025, 9, 1),
            "valid_to": dt.date(2025, 12, 23),
        },
    )

    def complete(self, row: Row, values: dict[str, object]) -> frozenset[object] | None:
        values.setdefault("subgroup", "")
        values.setdefault("week_parity", "")
        check_dates(row, "valid_from", "valid_to")
        return None

    def key(self, values: Mapping[str, object]) -> Key:
        return tuple(
            values[name]
            for name in (
                "group_id",
                "weekday",
                "lesson_no",
                "subgroup",
                "week_parity",
                "valid_from",
            )
        )


class TimetableChanges(Kind):
    name = "timetable_changes"
    title = N_("timetable changes")
    file_names = (
        "changes",
        "izmainas",
        "saraksta_izmainas",
        "stundu_izmainas",
        "изменения",
        "замены",
    )
    model = TimetableChange
    columns = (
        Column("date", Date(), "date", required=True),
        Column("group", Text(32), "group_id", required=True, ref=GROUPS),
        Column("lesson_no", Whole(0, 20), "lesson_no", required=True),
        Column("subgroup", Text(8, upper=True), "subgroup", default=""),
        Column("change_type", CHANGE_TYPES, "change_type", required=True),
        Column("subject", Text(200), "subject_id", ref=SUBJECTS),
        Column("new_teacher", Text(200), "new_teacher_id", ref=STAFF),
        Column("new_room", Text(32), "new_room_id", ref=ROOMS),
        Column("moved_to_date", Date(), "moved_to_date"),
        Column("moved_to_lesson", Whole(0, 20), "moved_to_lesson"),
        Column("reason", Text(300), "reason", default=""),
    )
    fields = (
        "date",
        "group_id",
        "lesson_no",
        "subgroup",
        "change_type",
        "subject_id",
        "new_teacher_id",
        "new_room_id",
        "moved_to_date",
        "moved_to_lesson",
        "reason",
    )
    key_columns = ("date", "group", "lesson_no", "subgroup")
    examples = (
        {
            "date": dt.date(2025, 9, 15),
            "group": "DT-31",
            "lesson_no": 2,
            "subgroup": "",
            "change_type": "substitute",
            "subject": "MAT",
            "new_teacher": "T002",
            "new_room": "",
            "moved_to_date": None,
            "moved_to_lesson": None,
            "reason": "Skolotāja slimo",
        },
        {
            "date": dt.date(2025, 9, 16),
            "group": "AM-21",
            "lesson_no": 3,
            "subgroup": "",
            "change_type": "room",
            "subject": "",
            "new_teacher": "",
            "new_room": "STR16-204",
            "moved_to_date": None,
            "moved_to_lesson": None,
            "reason": "",
        },
    )

    # What each kind of change cannot do without: change type -> (column, reason).
    NEEDS: ClassVar[dict[str, tuple[str, str]]] = {
        ChangeType.SUBSTITUTE.value: ("new_teacher", NEEDS_NEW_TEACHER),
        ChangeType.ROOM.value: ("new_room", NEEDS_NEW_ROOM),
        ChangeType.MOVED.value: ("moved_to_date", NEEDS_NEW_DATE),
        ChangeType.ADDED.value: ("subject", NEEDS_SUBJECT),
    }

    def complete(self, row: Row, values: dict[str, object]) -> frozenset[object] | None:
        values.setdefault("subgroup", "")
        need = self.NEEDS.get(row.text("change_type"))
        if need is not None and row.missing(need[0]):
            row.problem(need[0], need[1])
        return None

    def key(self, values: Mapping[str, object]) -> Key:
        return (values["date"], values["group_id"], values["lesson_no"], values["subgroup"])

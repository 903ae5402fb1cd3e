"""Import kind for days without lessons: public holidays, school breaks."""

import datetime as dt
from collections.abc import Mapping

from models.i18n import N_
from models.importing.cells import Choice, Text
from models.importing.dates import Date
from models.importing.keys import name_key
from models.importing.ranges import check_dates
from models.importing.spec import Column, Key, Kind, Row
from models.timetable import Holiday

HOLIDAY_KINDS = Choice(
    ("holiday", "break", "no_lessons"),
    {
        "holiday": ("svētki", "svētku diena", "brīvdiena", "праздник"),
        "break": ("brīvlaiks", "каникулы", "vacation"),
        "no_lessons": ("nav stundu", "bez stundām", "нет уроков"),
    },
)


class Holidays(Kind):
    name = "holidays"
    title = N_("holidays")
    file_names = ("brivdienas", "brivlaiki", "svetki", "праздники", "каникулы")
    model = Holiday
    columns = (
        Column("date_from", Date(), "date_from", required=True),
        Column("date_to", Date(), "date_to"),
        Column("name", Text(200), "name", required=True),
        Column("kind", HOLIDAY_KINDS, "kind", default="holiday"),
    )
    fields = ("date_from", "date_to", "name", "kind")
    key_columns = ("date_from", "name")
    examples = (
        {
            "date_from": dt.date(2025, 10, 27),
            "date_to": dt.date(2025, 10, 31),
            "name": "Rudens brīvlaiks",
            "kind": "break",
        },
        {
            "date_from": dt.date(2025, 11, 18),
            "date_to": dt.date(2025, 11, 18),
            "name": "Latvijas Republikas proklamēšanas diena",
            "kind": "holiday",
        },
    )

    def complete(self, row: Row, values: dict[str, object]) -> frozenset[object] | None:
        if values.get("date_to") is None:
            values["date_to"] = values["date_from"]  # a one-day holiday
        check_dates(row, "date_from", "date_to")
        return None

    def key(self, values: Mapping[str, object]) -> Key:
        return (values["date_from"], name_key(str(values["name"])))

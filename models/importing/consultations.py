"""Import kinds for consultation and service hours and their one-off cancellations."""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from models.consultations import ConsultationCancellation, ConsultationSlot, SlotKind
from models.i18n import N_
from models.importing.cells import Choice, Flag, Text
from models.importing.dates import Date, Time, Weekday
from models.importing.keys import name_key
from models.importing.ranges import check_dates, check_times
from models.importing.refs import ROOMS, STAFF
from models.importing.spec import Column, Key, Kind, Row

NEEDS_WHO = N_("Give a teacher's staff code or a service name.")
NO_SUCH_SLOT = N_("No consultation of {who} starts at {start} on {date}.")
SEVERAL_SLOTS = N_("Several consultations of {who} start at {start} on {date}; give the kind.")

SLOT_KINDS = Choice(
    tuple(kind.value for kind in SlotKind),
    {
        "consultation": ("konsultācija", "konsultācijas", "консультация"),
        "individual_work": ("individuālais darbs", "индивидуальная работа"),
        "psychologist": ("psihologs", "psihologa pieņemšana", "психолог"),
        "career": ("karjeras konsultants", "karjera", "карьера", "карьерный консультант"),
        "paramedic": ("feldšeris", "medmāsa", "фельдшер", "медпункт"),
        "reception": ("pieņemšana", "apmeklētāju pieņemšana", "приём", "прием"),
        "library": ("bibliotēka", "библиотека"),
        "club": ("pulciņš", "interešu izglītība", "кружок"),
    },
)


def _who(row: Row) -> str:
    return row.text("teacher") or row.text("service")


class Consultations(Kind):
    name = "consultations"
    title = N_("consultations")
    file_names = ("consultation_slots", "konsultacijas", "pienemsanas_laiki", "консультации")
    model = ConsultationSlot
    columns = (
        Column("teacher", Text(200), "staff_id", ref=STAFF),
        Column("service", Text(200), "service_name", default=""),
        Column("kind", SLOT_KINDS, "kind", default=SlotKind.CONSULTATION.value),
        Column("weekday", Weekday(), "weekday", required=True),
        Column("start", Time(), "start", required=True),
        Column("end", Time(), "end", required=True),
        Column("room", Text(32), "room_id", ref=ROOMS),
        Column("valid_from", Date(), "valid_from", required=True),
        Column("valid_to", Date(), "valid_to", required=True),
        Column("note", Text(300), "note", default=""),
        Column("anonymous_allowed", Flag(), "anonymous_allowed", default=False),
        Column("booking_required", Flag(), "booking_required", default=False),
    )
    fields = (
        "staff_id",
        "service_name",
        "kind",
        "weekday",
        "start",
        "end",
        "room_id",
        "valid_from",
        "valid_to",
        "note",
        "anonymous_allowed",
        "booking_required",
    )
    key_columns = ("teacher", "service", "kind", "weekday", "start", "valid_from")
    examples = (
        {
            "teacher": "T001",
            "service": "",
            "kind": "consultation",
            "weekday": 3,
            "start": dt.time(15, 0),
            "end": dt.time(16, 0),
            "room": "STR16-204",
            "valid_from": dt.date(2025, 9, 1),
            "valid_to": dt.date(2025, 12, 23),
            "note": "Matemātika",
            "anonymous_allowed": False,
            "booking_required": False,
        },
        {
            "teacher": "P001",
            "service": "",
            "kind": "psychologist",
            "weekday": 1,
            "start": dt.time(12, 0),
            "end": dt.time(15, 0),
            "room": "STR16-310",
            "valid_from": dt.date(2025, 9, 1),
            "valid_to": dt.date(2025, 12, 23),
            "note": "",
            "anonymous_allowed": True,
            "booking_required": False,
        },
        {
            "teacher": "",
            "service": "Bibliotēka",
            "kind": "library",
            "weekday": 5,
            "start": dt.time(8, 30),
            "end": dt.time(15, 0),
            "room": "",
            "valid_from": dt.date(2025, 9, 1),
            "valid_to": dt.date(2025, 12, 23),
            "note": "",
            "anonymous_allowed": False,
            "booking_required": False,
        },
    )

    def complete(self, row: Row, values: dict[str, object]) -> frozenset[object] | None:
        values.setdefault("staff_id", None)
        values.setdefault("service_name", "")
        values.setdefault("kind", SlotKind.CONSULTATION.value)
        if row.missing("teacher") and row.missing("service"):
            row.problem("teacher" if row.has("teacher") else "service", NEEDS_WHO)
        check_times(row)
        check_dates(row, "valid_from", "valid_to")
        return None

    def key(self, values: Mapping[str, object]) -> Key:
        staff = values["staff_id"]
        service = "" if staff is not None else name_key(str(values["service_name"]))
        return (
            staff,
            service,
            values["kind"],
            values["weekday"],
            values["start"],
            values["valid_from"],
        )


class ConsultationCancellations(Kind):
    name = "consultation_cancellations"
    title = N_("consultation cancellations")
    file_names = ("cancellations", "atceltas_konsultacijas", "отмены_консультаций")
    model = ConsultationCancellation
    columns = (
        Column("teacher", Text(200), ref=STAFF),
        Column("service", Text(200)),
        Column("kind", SLOT_KINDS),
        Column("date", Date(), "date", required=True),
        Column("start", Time(), required=True),
        Column("reason", Text(300), "reason", default=""),
    )
    fields = ("slot_id", "date", "reason")
    key_columns = ("teacher", "service", "kind", "date", "start")
    examples = (
        {
            "teacher": "T001",
            "service": "",
            "kind": "",
            "date": dt.date(2025, 9, 17),
            "start": dt.time(15, 0),
            "reason": "Skolotāju sapulce",
        },
        {
            "teacher": "",
            "service": "Bibliotēka",
            "kind": "library",
            "date": dt.date(2025, 11, 21),
            "start": dt.time(8, 30),
            "reason": "Inventarizācija",
        },
    )

    async def prepare(self, session: AsyncSession) -> None:
        await super().prepare(session)
        self.slots: dict[tuple[int, dt.time], list[ConsultationSlot]] = defaultdict(list)
        for slot in (await session.execute(select(ConsultationSlot))).scalars():
            self.slots[(slot.weekday, slot.start)].append(slot)

    def complete(self, row: Row, values: dict[str, object]) -> frozenset[object] | None:
        day, start = row.date("date"), row.time("start")
        if row.missing("teacher") and row.missing("service"):
            row.problem("teacher" if row.has("teacher") else "service", NEEDS_WHO)
        if day is None or start is None or row.problems:
            return None
        staff, service = row.ids.get("teacher"), name_key(row.text("service"))
        kind = row.text("kind")
        found = [
            slot.id
            for slot in self.slots.get((day.isoweekday(), start), [])
            if (
                slot.staff_id == staff
                if staff is not None
                else name_key(slot.service_name) == service
            )
            and (not kind or slot.kind == kind)
            and slot.valid_from <= day <= slot.valid_to
        ]
        params = {"who": _who(row), "start": f"{start:%H:%M}", "date": f"{day:%d.%m.%Y}"}
        if not found:
            row.problem("start", NO_SUCH_SLOT, **params)
        elif len(found) > 1:
            row.problem("kind" if row.has("kind") else "start", SEVERAL_SLOTS, **params)
        else:
            values["slot_id"] = found[0]
        return None

    def key(self, values: Mapping[str, object]) -> Key:
        return (values["slot_id"], values["date"])

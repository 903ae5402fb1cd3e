"""Import kinds for practice: companies that take trainees and students' placements."""

import datetime as dt
from collections.abc import Mapping

from models.i18n import N_
from models.importing.cells import TOO_LONG, Choice, Country, Items, Text, Whole
from models.importing.dates import Date
from models.importing.keys import name_key
from models.importing.ranges import check_dates
from models.importing.refs import COMPANIES, SPECIALITIES, STAFF, STUDENTS, Ref
from models.importing.spec import Column, Key, Kind, Row
from models.practice import Company, Placement, PlacementKind, PlacementResult

PLACEMENT_KINDS = Choice(
    tuple(kind.value for kind in PlacementKind),
    {
        "training": ("mācību prakse", "учебная практика"),
        "qualification": ("kvalifikācijas prakse", "квалификационная практика"),
        "dvb": ("darba vidē balstītas mācības", "dvb mācības", "wbl", "work-based learning"),
        "erasmus": ("erasmus+", "эразмус"),
        "module": ("moduļa prakse", "модульная практика"),
    },
)
PLACEMENT_RESULTS = Choice(
    tuple(result.value for result in PlacementResult),
    {
        "pending": ("gaida", "nav vērtēts", "ожидается"),
        "passed": ("ieskaitīts", "i", "зачтено", "зачёт"),
        "failed": ("neieskaitīts", "ni", "не зачтено", "незачёт"),
    },
)


class Companies(Kind):
    name = "companies"
    title = N_("companies")
    file_names = ("uznemumi", "prakses_vietas", "компании", "предприятия")
    model = Company
    columns = (
        Column("name", Text(200), "name", required=True),
        Column("legal_form", Text(16), "legal_form", default=""),
        Column("sector", Text(64), "sector", default=""),
        Column("city", Text(100), "city", default=""),
        Column("country", Country(), "country", default="LV"),
        Column("address", Text(200), "address", default=""),
        Column("specialities", Items("list of speciality codes")),
        Column("capacity", Whole(0, 10000), "capacity"),
    )
    fields = (
        "name",
        "name_key",
        "legal_form",
        "sector",
        "city",
        "country",
        "address",
        "specialities",
        "capacity",
    )
    key_columns = ("name",)
    examples = (
        {
            "name": "Demo Auto Serviss",
            "legal_form": "SIA",
            "sector": "automotive",
            "city": "Daugavpils",
            "country": "LV",
            "address": "Cietokšņa iela 1",
            "specialities": "AM",
            "capacity": 3,
        },
        {
            "name": "Demo Datu Centrs",
            "legal_form": "SIA",
            "sector": "IT",
            "city": "Rīga",
            "country": "LV",
            "address": "",
            "specialities": "DT",
            "capacity": 2,
        },
    )

    @classmethod
    def refs(cls) -> list[Ref]:
        return [*super().refs(), SPECIALITIES]

    def complete(self, row: Row, values: dict[str, object]) -> frozenset[object] | None:
        values["name_key"] = name_key(row.text("name"))
        if row.has("specialities"):
            specialities = self.maps[SPECIALITIES.name]
            codes = []
            for code in row.items("specialities"):
                ident = specialities.find(code)
                if ident is None:
                    suggestion = specialities.suggest(code)
                    row.problem(
                        "specialities", SPECIALITIES.unknown, value=code, suggestion=suggestion
                    )
                else:
                    codes.append(specialities.labels[ident])
            joined = ", ".join(codes)
            values["specialities"] = joined
            if len(joined) > 200:
                row.problem("specialities", TOO_LONG, limit=200)
        return None

    def key(self, values: Mapping[str, object]) -> Key:
        return (name_key(str(values["name"])),)


class Placements(Kind):
    name = "placements"
    title = N_("placements")
    file_names = ("practice", "prakses", "prakse", "практика", "практики")
    model = Placement
    columns = (
        Column("student_number", Text(32), "student_id", required=True, ref=STUDENTS),
        Column("company", Text(200), "company_id", required=True, ref=COMPANIES),
        Column("kind", PLACEMENT_KINDS, "kind", required=True),
        Column("start_date", Date(), "start_date", required=True),
        Column("end_date", Date(), "end_date", required=True),
        Column("address", Text(200), "address", default=""),
        Column("company_supervisor", Text(200), "company_supervisor", default=""),
        Column("school_supervisor", Text(200), "school_supervisor_id", ref=STAFF),
        Column("agreement_no", Text(32), "agreement_no", default=""),
        Column("agreement_signed", Date(), "agreement_signed"),
        Column("diary_due", Date(), "diary_due"),
        Column("diary_received", Date(), "diary_received"),
        Column("characterisation_due", Date(), "characterisation_due"),
        Column("characterisation_received", Date(), "characterisation_received"),
        Column("result", PLACEMENT_RESULTS, "result", default=PlacementResult.PENDING.value),
        Column("funding", Text(32), "funding", default=""),
    )
    fields = (
        "student_id",
        "company_id",
        "kind",
        "address",
        "start_date",
        "end_date",
        "company_supervisor",
        "school_supervisor_id",
        "agreement_no",
        "agreement_signed",
        "diary_due",
        "diary_received",
        "characterisation_due",
        "characterisation_received",
        "result",
        "funding",
    )
    key_columns = ("student_number", "kind", "start_date")
    examples = (
        {
            "student_number": "20230412",
            "company": "Demo Datu Centrs",
            "kind": "qualification",
            "start_date": dt.date(2026, 1, 5),
            "end_date": dt.date(2026, 5, 15),
            "address": "Rīga",
            "company_supervisor": "Valdis Demo",
            "school_supervisor": "T002",
            "agreement_no": "TL-2025/001",
            "agreement_signed": dt.date(2025, 12, 10),
            "diary_due": dt.date(2026, 5, 20),
            "diary_received": None,
            "characterisation_due": dt.date(2026, 5, 20),
            "characterisation_received": None,
            "result": "pending",
            "funding": "esf_8_5_1",
        },
        {
            "student_number": "20240107",
            "company": "Demo Auto Serviss",
            "kind": "dvb",
            "start_date": dt.date(2025, 9, 15),
            "end_date": dt.date(2026, 5, 29),
            "address": "",
            "company_supervisor": "Inese Demo",
            "school_supervisor": "T002",
            "agreement_no": "TL-2025/002",
            "agreement_signed": dt.date(2025, 9, 10),
            "diary_due": None,
            "diary_received": None,
            "characterisation_due": None,
            "characterisation_received": None,
            "result": "pending",
            "funding": "esf_8_5_1",
        },
    )

    def complete(self, row: Row, values: dict[str, object]) -> frozenset[object] | None:
        check_dates(row, "start_date", "end_date")
        return None

    def key(self, values: Mapping[str, object]) -> Key:
        return (values["student_id"], values["kind"], values["start_date"])

"""Import kinds for the daily records: absences and marks, thousands of rows at a time."""

import datetime as dt
from collections.abc import Mapping, Sequence

from sqlalchemy import ColumnElement, Table, and_

from models.attendance import Absence, AbsenceStatus
from models.i18n import N_
from models.importing.cells import CellError, Choice, Text, Whole, cell_text, choice_key
from models.importing.dates import Date
from models.importing.refs import STUDENTS, SUBJECTS
from models.importing.spec import Column, Key, Kind, Record, Row, table_of
from models.marks import Mark, MarkKind

NOT_A_MARK = N_("Not a mark: {value}. Use 1-10, passed, failed or nv.")
CHUNK = 500  # ids per IN (...) list, well under every driver's parameter limit

ABSENCE_STATUSES = Choice(
    tuple(status.value for status in AbsenceStatus),
    {
        "excused": ("attaisnots", "attaisnota", "уважительная", "по уважительной причине"),
        "unexcused": ("neattaisnots", "neattaisnota", "неуважительная", "без уважительной причины"),
        "pending": ("gaida", "nav zināms", "ожидает", "не указано"),
    },
)
MARK_KINDS = Choice(
    tuple(kind.value for kind in MarkKind),
    {
        "daily": ("ikdienas", "текущая"),
        "test": ("pārbaudes darbs", "kontroldarbs", "контрольная"),
        "diagnostic": ("diagnosticējošais", "диагностическая"),
        "module": ("modulis", "moduļa", "модуль"),
        "attestation": ("atestācija", "mēneša atestācija", "аттестация"),
        "semester": ("semestris", "semestra", "семестр", "семестровая"),
        "exam": ("eksāmens", "экзамен"),
    },
)
_MARK_WORDS = {
    choice_key(word): value
    for value, words in {
        "passed": ("passed", "pass", "ieskaitīts", "i", "зачтено", "зачёт"),
        "failed": ("failed", "fail", "neieskaitīts", "ni", "не зачтено", "незачёт"),
        "nv": ("nv", "n/v", "nav vērtējuma", "н/в", "нв"),
    }.items()
    for word in words
}


class MarkValue:
    type_name = "1-10, passed (ieskaitīts), failed (neieskaitīts) or nv"

    def parse(self, raw: object) -> str:
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        text = cell_text(raw)
        if text.isdigit() and 1 <= int(text) <= 10:
            return str(int(text))
        word = _MARK_WORDS.get(choice_key(text)) or _MARK_WORDS.get(text.casefold())
        if word is None:
            raise CellError(NOT_A_MARK, value=text)
        return word


def student_scope(table: Table, records: Sequence[Record]) -> list[ColumnElement[bool]]:
    """Select existing rows of the file's students within the file's dates, in chunks."""
    students = list({record.values["student_id"] for record in records})
    days = [record.values["date"] for record in records]
    first = min(day for day in days if isinstance(day, dt.date))
    last = max(day for day in days if isinstance(day, dt.date))
    return [
        and_(
            table.c.student_id.in_(students[start : start + CHUNK]),
            table.c.date.between(first, last),
        )
        for start in range(0, len(students), CHUNK)
    ]


class Absences(Kind):
    name = "absences"
    title = N_("absences")
    file_names = ("attendance", "kavejumi", "kavetas_stundas", "пропуски")
    model = Absence
    columns = (
        Column("student_number", Text(32), "student_id", required=True, ref=STUDENTS),
        Column("date", Date(), "date", required=True),
        Column("lesson_no", Whole(0, 20), "lesson_no", required=True),
        Column("subject", Text(200), "subject_id", ref=SUBJECTS),
        Column("status", ABSENCE_STATUSES, "status", required=True),
        Column("reason", Text(200), "reason", default=""),
    )
    fields = ("student_id", "date", "lesson_no", "subject_id", "status", "reason")
    key_columns = ("student_number", "date", "lesson_no")
    examples = (
        {
            "student_number": "20230412",
            "date": dt.date(2025, 9, 15),
            "lesson_no": 1,
            "subject": "DTT",
            "status": "unexcused",
            "reason": "",
        },
        {
            "student_number": "20230415",
            "date": dt.date(2025, 9, 15),
            "lesson_no": 2,
            "subject": "MAT",
            "status": "excused",
            "reason": "Slimība",
        },
    )

    def key(self, values: Mapping[str, object]) -> Key:
        return (values["student_id"], values["date"], values["lesson_no"])

    def scope(self, records: Sequence[Record]) -> list[ColumnElement[bool]] | None:
        return student_scope(table_of(self.model), records)


class Marks(Kind):
    name = "marks"
    title = N_("marks")
    file_names = ("grades", "atzimes", "vertejumi", "оценки")
    model = Mark
    columns = (
        Column("student_number", Text(32), "student_id", required=True, ref=STUDENTS),
        Column("subject", Text(200), "subject_id", required=True, ref=SUBJECTS),
        Column("date", Date(), "date", required=True),
        Column("kind", MARK_KINDS, "kind", default=MarkKind.DAILY.value),
        Column("value", MarkValue(), "value", required=True),
    )
    fields = ("student_id", "subject_id", "date", "kind", "value", "score")
    key_columns = ("student_number", "subject", "date", "kind")
    examples = (
        {
            "student_number": "20230412",
            "subject": "MAT",
            "date": dt.date(2025, 9, 15),
            "kind": "daily",
            "value": 7,
        },
        {
            "student_number": "20230415",
            "subject": "DTT",
            "date": dt.date(2025, 9, 30),
            "kind": "attestation",
            "value": "nv",
        },
        {
            "student_number": "20240107",
            "subject": "KP",
            "date": dt.date(2025, 9, 30),
            "kind": "module",
            "value": "ieskaitīts",
        },
    )

    def complete(self, row: Row, values: dict[str, object]) -> frozenset[object] | None:
        values.setdefault("kind", MarkKind.DAILY.value)
        value = row.text("value")
        values["score"] = int(value) if value.isdigit() else None
        return None

    def key(self, values: Mapping[str, object]) -> Key:
        return (values["student_id"], values["subject_id"], values["date"], values["kind"])

    def scope(self, records: Sequence[Record]) -> list[ColumnElement[bool]] | None:
        return student_scope(table_of(self.model), records)

"""The example files import cleanly into an empty database, and again without changes."""

from pathlib import Path

import pytest

from bot.db import SessionMaker
from models.importing import KINDS, import_file, write_templates
from models.importing.registry import KIND_CLASSES
from models.importing.spec import Kind
from tests.importing.dump import count_rows, dump
from tests.importing.settings import NOW, limits


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
async def test_every_template_imports_twice_into_an_empty_database(
    sessionmaker: SessionMaker, tmp_path: Path, fmt: str
) -> None:
    paths = write_templates(tmp_path, fmt="csv" if fmt == "csv" else "xlsx")
    assert [path.name for path in paths] == [f"{kind}.{fmt}" for kind in KINDS]

    first = [await import_file(sessionmaker, path, limits=limits(), now=NOW) for path in paths]
    after_first = await dump(sessionmaker, without=("import_stamp",))
    second = [await import_file(sessionmaker, path, limits=limits(), now=NOW) for path in paths]

    assert [report.kind for report in first] == KINDS
    assert all(report.ok and report.inserted == report.rows > 0 for report in first)
    assert all(report.unchanged == report.rows for report in second)
    assert [(report.inserted, report.updated) for report in second] == [(0, 0)] * len(KINDS)
    assert await dump(sessionmaker, without=("import_stamp",)) == after_first
    assert await count_rows(sessionmaker, "import_stamp") == 2 * len(KINDS)


def test_kinds_come_in_dependency_order() -> None:
    assert KINDS == [
        "buildings",
        "rooms",
        "programmes",
        "specialities",
        "subjects",
        "staff",
        "groups",
        "students",
        "bell_times",
        "timetable",
        "timetable_changes",
        "holidays",
        "consultations",
        "consultation_cancellations",
        "companies",
        "placements",
        "absences",
        "marks",
        "guardians",
    ]


@pytest.mark.parametrize("kind", KIND_CLASSES, ids=KINDS)
def test_every_written_field_is_compared(kind: type[Kind]) -> None:
    written = {column.field for column in kind.columns if column.field}
    assert written <= set(kind.fields)


@pytest.mark.parametrize("kind", KIND_CLASSES, ids=KINDS)
def test_examples_use_only_known_columns(kind: type[Kind]) -> None:
    names = {column.name for column in kind.columns}
    assert all(set(example) <= names for example in kind.examples)
    assert kind.examples

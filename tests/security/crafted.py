"""Build crafted import files: workbooks with shared strings, and parts swapped or added."""

import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Sequence

import xlsxwriter

from models.import_limits import ImportLimits
from models.importing import ImportRefused, ImportReport, import_bytes
from models.types import SessionMaker
from tests.importing.settings import NOW

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
STUDENTS: list[list[object]] = [
    ["student_number", "first_name", "last_name", "group"],
    ["S-1", "Anna", "Ozola", "DT-31"],
    ["S-2", "Jānis", "Bērziņš", "DT-31"],
    ["S-3", "Дмитрий", "Кузнецов", "DT-31"],
]


def shared_strings_xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    """Write rows the way Excel does: text in the shared strings part, dates formatted."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False}) as book:
        sheet = book.add_worksheet()
        date = book.add_format({"num_format": "dd.mm.yyyy"})
        clock = book.add_format({"num_format": "hh:mm"})
        for number, row in enumerate(rows):
            for column, value in enumerate(row):
                if isinstance(value, dt.date | dt.time):
                    fmt = clock if isinstance(value, dt.time) else date
                    sheet.write_datetime(number, column, value, fmt)
                elif isinstance(value, bool):
                    sheet.write_string(number, column, "yes" if value else "no")
                elif value is not None:
                    sheet.write(number, column, value)
    return buffer.getvalue()


def parts(data: bytes) -> dict[str, bytes]:
    """Return every member of a zip archive by name, in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def pack(members: Mapping[str, bytes]) -> bytes:
    """Zip the members (deflated) into a new archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    """Return the workbook with one part replaced (or added)."""
    return pack({**parts(data), name: content})


async def attempt(
    sessionmaker: SessionMaker,
    data: bytes,
    file_name: str,
    *,
    limits: ImportLimits,
    dry_run: bool = False,
) -> ImportReport | ImportRefused:
    """Import the file; return the report, or the refusal. Anything else propagates."""
    try:
        return await import_bytes(
            sessionmaker, data, file_name, dry_run=dry_run, limits=limits, now=NOW
        )
    except ImportRefused as refusal:
        return refusal

"""Workbooks built to exhaust memory or time are refused before their parts are parsed."""

import random

from bot.db import SessionMaker
from bot.i18n import gettext_for
from models.importing import ImportRefused
from models.importing.xlsx import MAX_COLUMNS
from tests.importing.dump import dump
from tests.importing.settings import limits
from tests.security.crafted import (
    SHEET,
    STRINGS,
    STUDENTS,
    attempt,
    pack,
    parts,
    shared_strings_xlsx,
    with_part,
)

EN = gettext_for("en")
MB = 1024 * 1024


def _padded_strings(size: int, *, noise: bool) -> bytes:
    """Return a shared strings part of about `size` bytes: real-looking text, or one repeat."""
    strings = parts(shared_strings_xlsx(STUDENTS))[STRINGS].decode()
    letters = bytes(range(97, 123)) * 10  # 260 bytes: a table mapping every byte to a letter
    noisy = random.Random(11).randbytes(size).translate(letters[:256]).decode()
    filler = noisy if noise else " " * size
    return strings.replace("</sst>", f"<si><t>{filler}</t></si></sst>").encode()


async def _refusal(sessionmaker: SessionMaker, data: bytes, **options: int) -> str:
    before = await dump(sessionmaker)
    result = await attempt(sessionmaker, data, "students.xlsx", limits=limits(**options))
    assert isinstance(result, ImportRefused)
    assert await dump(sessionmaker) == before
    return result.render(EN)


async def test_parts_unpacking_past_the_limit_are_refused(sessionmaker: SessionMaker) -> None:
    data = with_part(shared_strings_xlsx(STUDENTS), STRINGS, _padded_strings(2 * MB, noise=True))
    assert len(data) < 2 * MB  # the file itself is well within IMPORT_MAX_BYTES
    text = await _refusal(sessionmaker, data, max_unpacked_bytes=MB)
    assert text.startswith("students.xlsx: not imported. The workbook unpacks to 2.0 MB,")


async def test_a_part_with_an_absurd_ratio_is_refused(sessionmaker: SessionMaker) -> None:
    data = with_part(shared_strings_xlsx(STUDENTS), STRINGS, _padded_strings(8 * MB, noise=False))
    assert len(data) < 100 * 1024
    text = await _refusal(sessionmaker, data)  # far below the default unpacked limit
    assert "The workbook unpacks to 8.0 MB" in text


async def test_a_workbook_of_thousands_of_parts_is_refused(sessionmaker: SessionMaker) -> None:
    members = parts(shared_strings_xlsx(STUDENTS))
    members |= {f"customXml/item{n}.xml": b"<a/>" for n in range(2000)}
    text = await _refusal(sessionmaker, pack(members))
    assert text.endswith("The workbook has 2010 parts, more than a table of data can need.")


async def test_a_header_wider_than_any_table_is_refused(sessionmaker: SessionMaker) -> None:
    header = STUDENTS[0] + [f"extra {n}" for n in range(MAX_COLUMNS)]
    data = shared_strings_xlsx([header, *STUDENTS[1:]])
    text = await _refusal(sessionmaker, data)
    assert text.endswith(f"The file has more than {MAX_COLUMNS} columns.")


async def test_a_row_past_the_last_row_excel_has_is_refused(sessionmaker: SessionMaker) -> None:
    sheet = parts(shared_strings_xlsx(STUDENTS))[SHEET].decode()
    sheet = sheet.replace('<row r="4"', '<row r="1048577"').replace('r="A4"', 'r="A1048577"')
    data = with_part(shared_strings_xlsx(STUDENTS), SHEET, sheet.encode())
    text = await _refusal(sessionmaker, data)
    assert text.endswith("The file is damaged at row 1048577 and cannot be read.")

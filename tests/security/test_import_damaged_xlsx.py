"""A workbook that breaks while its rows are read is refused naming the row, touching nothing."""

from collections.abc import Callable

import pytest

from bot.db import SessionMaker
from bot.i18n import gettext_for
from models.importing import ImportRefused
from tests.importing.dump import dump
from tests.importing.settings import limits
from tests.security.crafted import SHEET, STUDENTS, attempt, parts, shared_strings_xlsx, with_part

EN = gettext_for("en")


def _sheet_xml() -> str:
    return parts(shared_strings_xlsx(STUDENTS))[SHEET].decode()


def _damaged(sheet: str) -> bytes:
    return with_part(shared_strings_xlsx(STUDENTS), SHEET, sheet.encode())


def _broken_xml() -> bytes:
    sheet = _sheet_xml()
    cut = sheet.index('<row r="3"')
    return _damaged(sheet[:cut] + '<row r="3"><c r="A3" t="s"><v>8</v></c><c r="B3"</row>')


def _bad_shared_string() -> bytes:
    return _damaged(_sheet_xml().replace('<c r="B3" t="s"><v>9</v>', '<c r="B3" t="s"><v>999</v>'))


def _bad_date_cell() -> bytes:
    sheet = _sheet_xml().replace('<c r="B3" t="s"><v>9</v>', '<c r="B3" t="d"><v>31.02.x</v>')
    return _damaged(sheet)


@pytest.mark.parametrize("build", [_broken_xml, _bad_shared_string, _bad_date_cell])
async def test_a_workbook_broken_at_a_row_is_refused_naming_it(
    sessionmaker: SessionMaker, build: Callable[[], bytes]
) -> None:
    before = await dump(sessionmaker)
    result = await attempt(sessionmaker, build(), "students.xlsx", limits=limits())
    assert isinstance(result, ImportRefused)
    assert result.render(EN) == (
        "students.xlsx: not imported. The file is damaged at row 3 and cannot be read."
    )
    assert await dump(sessionmaker) == before


async def test_the_refusal_is_in_the_admins_language(sessionmaker: SessionMaker) -> None:
    result = await attempt(sessionmaker, _bad_shared_string(), "audzekni.xlsx", limits=limits())
    assert isinstance(result, ImportRefused)
    assert result.render(gettext_for("lv")).endswith(
        "Fails ir bojāts 3. rindā, un to nevar nolasīt."
    )
    assert result.render(gettext_for("ru")).endswith(
        "Файл повреждён в строке 3, прочитать его нельзя."
    )

"""Hundreds of malformed files mutated from the examples: each is refused or its problems listed."""

import traceback
from pathlib import Path

from bot.db import SessionMaker
from bot.i18n import gettext_for
from models.importing import ImportRefused, write_templates
from models.importing.registry import KIND_CLASSES
from models.importing.templates import template_rows
from tests.importing.dump import dump
from tests.importing.files import load_templates
from tests.importing.settings import limits
from tests.security.crafted import attempt, shared_strings_xlsx
from tests.security.mutations import Mutant, mutants

SEED = 20261204
FILES = 600
EN = gettext_for("en")


def _examples(directory: Path) -> dict[str, bytes]:
    """Return every example file: CSV, XLSX as openpyxl writes it, and with shared strings."""
    files = {path.name: path.read_bytes() for path in write_templates(directory, fmt="csv")}
    files |= {path.name: path.read_bytes() for path in write_templates(directory, fmt="xlsx")}
    for kind in KIND_CLASSES:
        headers, rows = template_rows(kind)
        files[f"{kind.name}-excel.xlsx"] = shared_strings_xlsx([headers, *rows])
    return files


async def _outcome(sessionmaker: SessionMaker, mutant: Mutant) -> tuple[list[str], bool]:
    """Return the lines the admin would read, and whether the file was written."""
    result = await attempt(sessionmaker, mutant.data, mutant.name, limits=limits())
    if isinstance(result, ImportRefused):
        return [result.render(EN)], False
    return [problem.render(EN) for problem in result.problems], result.ok


async def test_malformed_files_never_crash_and_never_half_write(
    sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    await load_templates(sessionmaker, tmp_path / "loaded", upto="marks")
    examples = _examples(tmp_path / "examples")
    before = await dump(sessionmaker)
    failures: list[str] = []
    refused = 0
    for number, mutant in enumerate(mutants(SEED, FILES, examples)):
        case = f"#{number} {mutant.name}: {mutant.how}"
        try:
            lines, written = await _outcome(sessionmaker, mutant)
        except Exception:  # any exception is the failure this test looks for
            failures.append(f"{case}\n{traceback.format_exc(limit=-3)}")
            continue
        failures += [f"{case}: not one line: {line!r}" for line in lines if "\n" in line]
        after = await dump(sessionmaker)
        if written:
            before = after  # a mutation that left the file valid may change the data
        elif after != before:
            failures.append(f"{case}: refused but the database changed")
        refused += not written
    assert not failures, f"{len(failures)} of {FILES} files broke the importer:\n" + "\n".join(
        failures[:10]
    )
    assert refused > FILES // 2  # the mutations really break most files

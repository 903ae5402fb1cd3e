"""Import one file: read, detect the kind, check every row in batches, then write all or nothing."""

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from models.import_limits import ImportLimits
from models.import_stamps import ImportStamp
from models.importing import problems
from models.importing.detect import choose_kind
from models.importing.headers import Layout, layout
from models.importing.problems import ImportRefused
from models.importing.reader import Sheet, read_sheet
from models.importing.report import ImportReport
from models.importing.spec import Kind, Record
from models.importing.staging import Staging, staging
from models.importing.upsert import Plan, Upsert, apply_plan
from models.importing.validate import Checker
from models.types import SessionMaker

logger = logging.getLogger(__name__)

# Rows read, checked and then written at a time: what an import holds in memory beyond the
# keys it has seen, whatever the size of the file.
BATCH_ROWS = 2000


@dataclass
class _Opened:
    sheet: Sheet
    kind: type[Kind]
    placed: Layout


def _open(data: bytes, file_name: str, kind: str | None, limits: ImportLimits) -> _Opened:
    """Read the header (and first row) and place the kind's columns; refuse a bad file."""
    if len(data) > limits.max_bytes:
        raise _too_big(file_name, len(data), limits)
    sheet = read_sheet(data, file_name, limits=limits)
    try:
        chosen = choose_kind(kind, file_name, sheet.headers)
        return _Opened(sheet, chosen, layout(chosen, sheet.headers, file_name))
    except BaseException:
        sheet.close()
        raise


def _too_big(file_name: str, size: int, limits: ImportLimits) -> ImportRefused:
    return ImportRefused(
        file_name,
        problems.TOO_BIG,
        size=problems.size_text(size),
        limit=problems.size_text(limits.max_bytes),
    )


def _check_batch(checker: Checker, sheet: Sheet, staged: Staging[list[Record]]) -> bool:
    """Check the next batch of rows and stage its records; return False at the end."""
    records = checker.take(sheet.rows, BATCH_ROWS)
    if records is None:
        return False
    if records and not checker.found.count:  # after a problem nothing will be written
        staged.add(records)
    return True


async def import_bytes(
    sessionmaker: SessionMaker,
    data: bytes,
    file_name: str,
    *,
    kind: str | None = None,
    dry_run: bool = False,
    limits: ImportLimits,
    now: datetime,
) -> ImportReport:
    """Import a CSV or XLSX file given as bytes; raise ImportRefused for a whole-file refusal."""
    assert now.tzinfo is not None, "now must be aware"
    # Reading is CPU work: a thread keeps the bot's event loop answering meanwhile.
    opened = await asyncio.to_thread(_open, data, file_name, kind, limits)
    try:
        importer = opened.kind(now=now.astimezone(limits.tz))  # "today" is the school's today
        return await _import(sessionmaker, opened, importer, file_name, dry_run=dry_run, now=now)
    finally:
        with contextlib.suppress(ValueError):  # still being read by a cancelled import's thread
            opened.sheet.close()


async def _import(
    sessionmaker: SessionMaker,
    opened: _Opened,
    importer: Kind,
    file_name: str,
    *,
    dry_run: bool,
    now: datetime,
) -> ImportReport:
    """Check every row, staging the valid records; then write them, or report the problems."""
    checker = Checker(importer, opened.placed, file_name)
    with staging() as staged:
        async with sessionmaker.begin() as session:
            await importer.prepare(session)
            while await asyncio.to_thread(_check_batch, checker, opened.sheet, staged):
                pass
            report = ImportReport(
                kind=importer.name,
                file_name=file_name,
                rows=checker.rows,
                title=importer.title,
                dry_run=dry_run,
                ignored_columns=opened.placed.ignored,
                problems=checker.found.kept,
                more_problems=checker.found.count - len(checker.found.kept),
            )
            if report.problems:
                logger.info("import of %s refused: %d problems", file_name, checker.found.count)
                return report  # nothing was written; the empty transaction ends here
            await _write(session, importer, staged, report, now=now)
    logger.info(
        "imported %s as %s: %d new, %d changed, %d unchanged%s",
        file_name,
        importer.name,
        report.inserted,
        report.updated,
        report.unchanged,
        " (dry run)" if dry_run else "",
    )
    return report


async def _write(
    session: AsyncSession,
    importer: Kind,
    staged: Staging[list[Record]],
    report: ImportReport,
    *,
    now: datetime,
) -> None:
    """Compare the staged records with the database, then write the plans unless a dry run."""
    upsert = Upsert(importer)
    batches = staged.rewind()
    with staging() as planned:
        while (records := await asyncio.to_thread(next, batches, None)) is not None:
            plan = await upsert.plan(session, records)
            report.inserted += len(plan.inserts)
            report.updated += plan.updated
            report.unchanged += plan.unchanged
            if not report.dry_run:
                await asyncio.to_thread(planned.add, plan)
        if report.dry_run:
            return
        plans: Iterator[Plan] = planned.rewind()
        while (ready := await asyncio.to_thread(next, plans, None)) is not None:
            await apply_plan(session, importer, ready)
    session.add(
        ImportStamp(
            kind=importer.name,
            file_name=report.file_name[:255],
            imported_at=now,
            rows=report.rows,
            inserted=report.inserted,
            updated=report.updated,
        )
    )


async def import_file(
    sessionmaker: SessionMaker,
    path: Path,
    *,
    kind: str | None = None,
    dry_run: bool = False,
    limits: ImportLimits,
    now: datetime,
) -> ImportReport:
    """Import a CSV or XLSX file from disk (see import_bytes)."""
    size = (await asyncio.to_thread(path.stat)).st_size
    if size > limits.max_bytes:
        raise _too_big(path.name, size, limits)
    data = await asyncio.to_thread(path.read_bytes)
    return await import_bytes(
        sessionmaker, data, path.name, kind=kind, dry_run=dry_run, limits=limits, now=now
    )

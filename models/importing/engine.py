"""Import one file: read, detect the kind, validate every row, then write all or nothing."""

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from models.import_limits import ImportLimits
from models.import_stamps import ImportStamp
from models.importing import problems
from models.importing.detect import choose_kind
from models.importing.headers import Layout, layout
from models.importing.problems import ImportRefused
from models.importing.reader import read_sheet
from models.importing.report import ImportReport
from models.importing.spec import Kind, Row
from models.importing.upsert import apply_plan, plan_changes
from models.importing.validate import all_problems, build_records, parse_rows
from models.types import SessionMaker

logger = logging.getLogger(__name__)


@dataclass
class _Parsed:
    kind: type[Kind]
    placed: Layout
    rows: list[Row]


def _parse(data: bytes, file_name: str, kind: str | None, limits: ImportLimits) -> _Parsed:
    if len(data) > limits.max_bytes:
        raise _too_big(file_name, len(data), limits)
    sheet = read_sheet(data, file_name, limits=limits)
    chosen = choose_kind(kind, file_name, sheet.headers)
    placed = layout(chosen, sheet.headers, file_name)
    return _Parsed(chosen, placed, parse_rows(placed, sheet, file_name))


def _too_big(file_name: str, size: int, limits: ImportLimits) -> ImportRefused:
    return ImportRefused(
        file_name,
        problems.TOO_BIG,
        size=problems.size_text(size),
        limit=problems.size_text(limits.max_bytes),
    )


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
    # Parsing is CPU work: a thread keeps the bot's event loop answering meanwhile.
    parsed = await asyncio.to_thread(_parse, data, file_name, kind, limits)
    importer = parsed.kind(now=now.astimezone(limits.tz))  # "today" is the school's today
    report = ImportReport(
        kind=importer.name,
        file_name=file_name,
        rows=len(parsed.rows),
        title=importer.title,
        dry_run=dry_run,
        ignored_columns=parsed.placed.ignored,
    )
    async with sessionmaker.begin() as session:
        await importer.prepare(session, parsed.rows)
        records = await asyncio.to_thread(build_records, importer, parsed.placed, parsed.rows)
        report.problems = sorted(all_problems(parsed.rows), key=parsed.placed.problem_order)
        parsed.rows.clear()  # the records hold all that is left to do; free the big file
        if report.problems:
            logger.info("import of %s refused: %d problems", file_name, len(report.problems))
            return report  # nothing was written; the empty transaction ends here
        plan = await plan_changes(session, importer, records)
        report.inserted, report.updated, report.unchanged = (
            len(plan.inserts),
            plan.updated,
            plan.unchanged,
        )
        if not dry_run:
            await apply_plan(session, importer, plan)
            session.add(
                ImportStamp(
                    kind=importer.name,
                    file_name=file_name[:255],
                    imported_at=now,
                    rows=report.rows,
                    inserted=report.inserted,
                    updated=report.updated,
                )
            )
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

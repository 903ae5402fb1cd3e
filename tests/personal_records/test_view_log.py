"""Every view of personal records reaches the audit log, in batches that survive a failed write."""

import asyncio
from pathlib import Path

from sqlmodel import col, select

from bot import migrate
from bot.app import SchoolApplication
from bot.chat.view_log import ViewLog
from bot.db import SessionMaker, create_engine, make_sessionmaker
from models.access import Viewer
from models.audit import AuditEntry
from tests.fake_telegram import RecordingRequest, text_update
from tests.records_data import STUDENT, TUTOR, Records


async def _views(sessionmaker: SessionMaker) -> list[tuple[int | None, str, str]]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(col(AuditEntry.telegram_id), col(AuditEntry.action), col(AuditEntry.target))
            .where(col(AuditEntry.action).startswith("view:"))
            .order_by(col(AuditEntry.id))
        )
    return [(ident, action, target) for ident, action, target in rows.all()]


async def test_each_view_of_records_is_audited_with_whose_records_they_were(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker, records: Records
) -> None:
    for user, text in [
        (STUDENT, "/absences"),
        (STUDENT, "/marks"),
        (STUDENT, "/practice"),
        (TUTOR, "/absences"),
    ]:
        await app.process_update(text_update(app.bot, text, user))
    assert await app.bot_data.view_log.flush() == 4
    assert await _views(sessionmaker) == [
        (STUDENT.id, "view:absences", f"student:{records.student}"),
        (STUDENT.id, "view:marks", f"student:{records.student}"),
        (STUDENT.id, "view:practice", f"student:{records.student}"),
        (TUTOR.id, "view:absences", "group:AM-21"),
    ]


async def test_rows_that_could_not_be_written_wait_for_the_next_write(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'late.db'}"
    engine = create_engine(url)
    sessionmaker = make_sessionmaker(engine)
    log = ViewLog(sessionmaker)
    viewer = Viewer(telegram_id=5, language="en", student_id=9)
    log.record(viewer, "view:marks", "student:9")
    log.record(viewer, "view:absences", "student:9")
    try:
        assert await log.flush() == 0 and log.pending == 2  # no audit_log table yet
        await asyncio.to_thread(migrate.upgrade, url)
        assert await log.flush() == 2 and log.pending == 0
        assert [action for _id, action, _target in await _views(sessionmaker)] == [
            "view:marks",
            "view:absences",
        ]
    finally:
        await engine.dispose()

"""The timetable is read when the bot starts, so the first answer after a start is not slow."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import SchoolApplication
from tests.fake_telegram import RecordingRequest, callback_update
from tests.timetable_days.conftest import MONDAY, VISITOR, School


async def test_the_first_answer_after_start_reads_no_timetable(
    app: SchoolApplication, telegram: RecordingRequest, school: School, engine: AsyncEngine
) -> None:
    assert app.post_init is not None
    await app.post_init(app)  # as run_polling and run_webhook do before the first update
    statements: list[str] = []

    def _record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", _record)
    try:
        await app.process_update(
            callback_update(app.bot, f"tt:g:{school.group}:{MONDAY:%Y%m%d}:d", VISITOR)
        )
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", _record)

    assert "08:30–09:10 Matemātika" in telegram.last_text(VISITOR.id)
    assert statements, "the answer registers its sender"
    assert not [s for s in statements if "timetable_entry" in s]

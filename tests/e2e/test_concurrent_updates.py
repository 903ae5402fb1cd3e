"""One slow update never holds up other people; one person's updates are answered in order.

A second connection holds the database's write lock, so the import through the bot is still
running, for certain, while the rest happens: the tests assert the order of events, not times.
"""

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.cli.demo_run import RunningDemo, start_demo
from bot.config import Settings
from bot.db import SessionMaker
from bot.ops.update_order import OrderedUpdateProcessor
from bot.sandbox import Persona
from models.school import Building
from tests.builders import buildings_xlsx
from tests.database_locks import StatementWatch, write_lock

ADMIN = Persona("admin", "Admin", "admin", 6101, "Admin", "en")
VISITOR = Persona("visitor", "A visitor", "visitor", 6102, "Visitor", "en")
BUILDINGS = 500  # rows in the file the admin sends


@pytest.fixture
async def demo(settings: Settings, sessionmaker: SessionMaker) -> AsyncIterator[RunningDemo]:
    admin_settings = settings.model_copy(update={"admin_telegram_ids": [ADMIN.telegram_id]})
    running = await start_demo(admin_settings, sessionmaker, personas=[ADMIN, VISITOR])
    emulator = running.sandbox.emulator
    for persona in (ADMIN, VISITOR):  # accounts made now: later, only the import writes
        await emulator.user_sends(persona.user, "/start")
        await emulator.wait_for_bot_message(persona.telegram_id)
    yield running
    await running.stop()


async def _until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(10):  # a guard against hanging, not a measure
        while not condition():  # noqa: ASYNC110  # the processor has no event to await
            await asyncio.sleep(0.01)


async def _buildings(sessionmaker: SessionMaker) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Building)) or 0)


async def test_another_person_is_answered_while_an_import_runs(
    demo: RunningDemo, engine: AsyncEngine, database_url: str, sessionmaker: SessionMaker
) -> None:
    emulator = demo.sandbox.emulator
    writes = StatementWatch(engine, verb="INSERT", table="building")
    async with write_lock(database_url, table="building"):
        await emulator.send_document(ADMIN.user, "buildings.xlsx", buildings_xlsx(BUILDINGS))
        receipt = await emulator.wait_for_bot_message(ADMIN.telegram_id)
        assert receipt.text == (
            "Received buildings.xlsx. Checking it now: I will send the report when it is done."
        )
        await writes.reach(1)  # checked, and waiting to write
        await emulator.user_sends(VISITOR.user, "/today")
        answer = await emulator.wait_for_bot_message(VISITOR.telegram_id)
        assert answer.text
        assert emulator.messages_for(ADMIN.telegram_id)[-1] is receipt  # no report yet
    report = await emulator.wait_for_bot_message(ADMIN.telegram_id)
    assert report.text is not None and f"New: {BUILDINGS}" in report.text
    assert await _buildings(sessionmaker) == BUILDINGS


async def test_a_second_file_while_one_is_imported_is_refused_in_one_line(
    demo: RunningDemo, engine: AsyncEngine, database_url: str, sessionmaker: SessionMaker
) -> None:
    emulator = demo.sandbox.emulator
    async with write_lock(database_url, table="building"):
        await emulator.send_document(ADMIN.user, "buildings.xlsx", buildings_xlsx(BUILDINGS))
        await emulator.wait_for_bot_message(ADMIN.telegram_id)
        await emulator.send_document(ADMIN.user, "more.xlsx", buildings_xlsx(3))
        refusal = await emulator.wait_for_bot_message(ADMIN.telegram_id)
    assert refusal.text == (
        "I am still importing buildings.xlsx. Send more.xlsx again when I have reported on it."
    )
    report = await emulator.wait_for_bot_message(ADMIN.telegram_id)
    assert report.text is not None and f"New: {BUILDINGS}" in report.text
    await emulator.send_document(ADMIN.user, "more.xlsx", buildings_xlsx(BUILDINGS + 1))
    await emulator.wait_for_bot_message(ADMIN.telegram_id)  # the receipt: the next may start
    report = await emulator.wait_for_bot_message(ADMIN.telegram_id)
    assert report.text is not None and "New: 1" in report.text


async def test_one_persons_updates_are_answered_in_the_order_sent(
    demo: RunningDemo, engine: AsyncEngine, database_url: str
) -> None:
    emulator = demo.sandbox.emulator
    processor = demo.application.update_processor
    assert isinstance(processor, OrderedUpdateProcessor)
    await emulator.user_sends(VISITOR.user, "/language")
    offer = await emulator.wait_for_bot_message(VISITOR.telegram_id)
    saves = StatementWatch(engine, verb="UPDATE", table="telegram_account")
    async with write_lock(database_url, table="telegram_account"):
        await emulator.press_button(VISITOR.user, offer.message_id, "lang:set:ru")
        await saves.reach(1)  # the choice waits to be saved
        await emulator.user_sends(VISITOR.user, "/help")
        await _until(lambda: processor.turns.waiting(VISITOR.telegram_id) == 2)
        assert emulator.messages_for(VISITOR.telegram_id)[-1] is offer  # /help waits its turn
    menu = await emulator.wait_for_bot_message(VISITOR.telegram_id)
    help_text = await emulator.wait_for_bot_message(VISITOR.telegram_id)
    assert menu.message_id < help_text.message_id
    assert help_text.text is not None and "/language" in help_text.text
    assert any("а" <= letter <= "я" for letter in help_text.text.lower())  # after the switch
    await _until(lambda: len(processor.turns) == 0)  # the lock map empties once all is done

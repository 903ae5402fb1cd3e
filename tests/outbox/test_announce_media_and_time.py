"""Announcements with a photo or a file, and announcements sent at a chosen time."""

import datetime as dt
import io

from PIL import Image
from sqlmodel import select

from bot.cli.demo_run import RunningDemo, start_demo
from bot.config import Settings
from bot.db import SessionMaker
from bot.sandbox import Persona
from models.outbox import OutboxMessage, list_candidates
from tests.builders import add_group, add_staff, add_student

ADMIN = Persona("admin", "Study department", "admin", 950_001, "Admin", "en")
STUDENT = Persona("student", "A student of AM-21", "student", 950_101, "Student", "en")


async def _demo(settings: Settings, sessionmaker: SessionMaker) -> RunningDemo:
    async with sessionmaker.begin() as session:
        group = await add_group(session, code="AM-21")
        await add_student(session, group=group, telegram_id=STUDENT.telegram_id)
        await add_staff(session, telegram_id=ADMIN.telegram_id, is_admin=True)
    awake = settings.model_copy(
        update={"quiet_hours_start": dt.time(0, 0), "quiet_hours_end": dt.time(0, 0)}
    )
    demo = await start_demo(awake, sessionmaker, personas=[ADMIN, STUDENT])
    demo.sandbox.emulator.register_user(STUDENT.user)
    return demo


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, format="PNG")
    return buffer.getvalue()


async def test_a_photo_with_the_command_in_its_caption_reaches_the_audience(
    settings: Settings, sessionmaker: SessionMaker
) -> None:
    demo = await _demo(settings, sessionmaker)
    try:
        emulator = demo.sandbox.emulator
        await emulator.send_photo(
            ADMIN.user, _png(), caption="/announce group:AM-21\nThe new schedule <is> here"
        )
        await emulator.wait_for_bot_message(ADMIN.telegram_id)  # how many it reaches
        preview = await emulator.wait_for_bot_message(ADMIN.telegram_id)
        assert preview.photo is not None and preview.caption == "The new schedule <is> here"
        send = next(data for data in preview.callback_data if data.startswith("ann:send:"))
        await emulator.press_button(ADMIN.user, preview.message_id, send)

        received = await emulator.wait_for_bot_message(STUDENT.telegram_id, timeout=20)
        assert received.photo is not None and received.photo.data == preview.photo.data
        assert received.caption == "The new schedule <is> here"  # typed text stays text
    finally:
        await demo.stop()


async def test_a_file_caption_is_checked_against_the_caption_limit(
    settings: Settings, sessionmaker: SessionMaker
) -> None:
    demo = await _demo(settings, sessionmaker)
    try:
        emulator = demo.sandbox.emulator
        caption = "/announce group:AM-21\n" + "x" * 1100
        await emulator.send_document(ADMIN.user, "plan.pdf", b"%PDF-1.4 demo", caption=caption)
        reply = await emulator.wait_for_bot_message(ADMIN.telegram_id)
        assert reply.text is not None and "1024" in reply.text
    finally:
        await demo.stop()


async def test_a_scheduled_announcement_waits_for_its_time(
    settings: Settings, sessionmaker: SessionMaker
) -> None:
    demo = await _demo(settings, sessionmaker)
    try:
        emulator = demo.sandbox.emulator
        when = (dt.datetime.now(settings.tz) + dt.timedelta(days=2)).replace(
            hour=8, minute=0, second=0, microsecond=0
        )
        await emulator.user_sends(
            ADMIN.user, f"/announce group:AM-21 @ {when:%d.%m.%Y %H:%M}\nParents' meeting"
        )
        notice = await emulator.wait_for_bot_message(ADMIN.telegram_id)
        assert notice.text is not None and f"{when:%d.%m.%Y %H:%M}" in notice.text
        preview = await emulator.wait_for_bot_message(ADMIN.telegram_id)
        send = next(data for data in preview.callback_data if data.startswith("ann:send:"))
        await emulator.press_button(ADMIN.user, preview.message_id, send)
        await emulator.wait_for_bot_message(ADMIN.telegram_id)  # "queued for 1 people"

        async with sessionmaker() as session:
            row = await session.scalar(select(OutboxMessage))
            assert row is not None and row.next_attempt_at == when.astimezone(dt.UTC)
            due_now = await list_candidates(
                session, now=dt.datetime.now(dt.UTC), urgent_only=False, limit=10
            )
            due_then = await list_candidates(
                session, now=when.astimezone(dt.UTC), urgent_only=False, limit=10
            )
        assert due_now == [] and [c.chat_id for c in due_then] == [STUDENT.telegram_id]
        assert emulator.messages_for(STUDENT.telegram_id) == []
    finally:
        await demo.stop()


async def test_a_send_time_in_the_past_is_refused_in_the_authors_language(
    settings: Settings, sessionmaker: SessionMaker
) -> None:
    demo = await _demo(settings, sessionmaker)
    try:
        emulator = demo.sandbox.emulator
        await emulator.user_sends(ADMIN.user, "/announce group:AM-21 @ 01.01.2020 08:00\nLate")
        reply = await emulator.wait_for_bot_message(ADMIN.telegram_id)
        assert reply.text == "The send time has already passed."
    finally:
        await demo.stop()

"""An announcement asking to confirm reading: the button, who pressed it, one reminder."""

import datetime as dt

from sqlalchemy import update
from sqlmodel import col, select

from bot.cli.demo_run import RunningDemo, start_demo
from bot.config import Settings
from bot.db import SessionMaker
from bot.sandbox import Persona
from bot.sandbox.state import ChatMessage
from jobs.ack_reminders import remind_due
from models.accounts import TelegramAccount
from models.acknowledgements import AnnouncementRead
from models.announcements import Announcement
from tests.builders import add_group, add_staff, add_student

ADMIN = Persona("admin", "Study department", "admin", 940_001, "Admin", "en")
READER = Persona("reader", "A student who reads", "student", 940_101, "Reader", "lv")
LATE = Persona("late", "A student who forgets", "student", 940_102, "Late", "ru")
OUTSIDER = Persona("outsider", "A student of another group", "student", 940_103, "Other", "en")


async def _school(sessionmaker: SessionMaker) -> None:
    async with sessionmaker.begin() as session:
        group, other = (
            await add_group(session, code="AM-21"),
            await add_group(session, code="KS-21"),
        )
        await add_student(session, group=group, telegram_id=READER.telegram_id)
        await add_student(session, group=group, telegram_id=LATE.telegram_id)
        await add_student(session, group=other, telegram_id=OUTSIDER.telegram_id)
        await add_staff(session, telegram_id=ADMIN.telegram_id, is_admin=True)
        for persona in (READER, LATE):  # their saved language choice
            await session.execute(
                update(TelegramAccount)
                .where(col(TelegramAccount.telegram_id) == persona.telegram_id)
                .values(language=persona.language_code)
            )


async def _demo(settings: Settings, sessionmaker: SessionMaker) -> RunningDemo:
    await _school(sessionmaker)
    awake = settings.model_copy(
        update={"quiet_hours_start": dt.time(0, 0), "quiet_hours_end": dt.time(0, 0)}
    )
    demo = await start_demo(awake, sessionmaker, personas=[ADMIN, READER, LATE, OUTSIDER])
    for persona in (READER, LATE, OUTSIDER):
        demo.sandbox.emulator.register_user(persona.user)
    return demo


async def _announce_with_ack(demo: RunningDemo) -> ChatMessage:
    """Send an announcement with the Read button; return the author's follow-up message."""
    emulator = demo.sandbox.emulator
    await emulator.user_sends(ADMIN.user, "/announce group:AM-21\nHouse rules: please read.")
    await emulator.wait_for_bot_message(ADMIN.telegram_id)
    preview = await emulator.wait_for_bot_message(ADMIN.telegram_id)
    send = next(data for data in preview.callback_data if data.startswith("ann:sendack:"))
    await emulator.press_button(ADMIN.user, preview.message_id, send)
    follow_up = await emulator.wait_for_bot_message(ADMIN.telegram_id)
    assert await emulator.state.signal.wait_until(  # the report comes once all are recorded
        lambda: any("finished" in (m.text or "") for m in emulator.messages_for(ADMIN.telegram_id)),
        20,
    )
    return follow_up


async def _admin_reply(demo: RunningDemo, seen: int, contains: str) -> str:
    """Wait for a message to the admin after the first `seen` that contains `contains`."""
    emulator = demo.sandbox.emulator

    def found() -> str | None:
        later = emulator.messages_for(ADMIN.telegram_id)[seen:]
        return next((m.text for m in later if m.text and contains in m.text), None)

    assert await emulator.state.signal.wait_until(lambda: found() is not None, 20), contains
    return found() or ""


async def _received(demo: RunningDemo, persona: Persona, count: int = 1) -> list[ChatMessage]:
    emulator = demo.sandbox.emulator
    arrived = await emulator.state.signal.wait_until(
        lambda: len(emulator.messages_for(persona.telegram_id)) >= count, 20
    )
    assert arrived, f"{persona.key} got {len(emulator.messages_for(persona.telegram_id))}"
    return emulator.messages_for(persona.telegram_id)


async def test_recipients_confirm_and_the_author_sees_who(
    settings: Settings, sessionmaker: SessionMaker
) -> None:
    demo = await _demo(settings, sessionmaker)
    try:
        emulator = demo.sandbox.emulator
        follow_up = await _announce_with_ack(demo)
        [message] = await _received(demo, READER)
        [button] = message.callback_data
        assert message.reply_markup is not None
        assert message.reply_markup["inline_keyboard"][0][0]["text"] == "✅ Izlasīju"
        assert (await _received(demo, LATE))[0].reply_markup["inline_keyboard"][0][0][  # type: ignore[index]
            "text"
        ] == "✅ Прочитал(а)"

        query = await emulator.press_button(READER.user, message.message_id, button)
        assert (await emulator.callback_answer(query))["text"] == "Paldies, atzīmēts."
        who = next(data for data in follow_up.callback_data if data.startswith("ack:who:"))
        seen = len(emulator.messages_for(ADMIN.telegram_id))
        await emulator.press_button(ADMIN.user, follow_up.message_id, who)
        answer = await _admin_reply(demo, seen, "read by")
        assert "read by 1 of 2" in answer
        assert answer.index("Confirmed:") < answer.index("Not yet:")
    finally:
        await demo.stop()


async def test_one_reminder_reaches_only_those_who_have_not_read(
    settings: Settings, sessionmaker: SessionMaker
) -> None:
    demo = await _demo(settings, sessionmaker)
    try:
        emulator = demo.sandbox.emulator
        follow_up = await _announce_with_ack(demo)
        [message] = await _received(demo, READER)
        query = await emulator.press_button(
            READER.user, message.message_id, message.callback_data[0]
        )
        await emulator.callback_answer(query)  # answered once the read is recorded
        await _received(demo, LATE)

        remind = next(data for data in follow_up.callback_data if data.startswith("ack:remind:"))
        seen = len(emulator.messages_for(ADMIN.telegram_id))
        await emulator.press_button(ADMIN.user, follow_up.message_id, remind)
        assert "Recipients: 1." in await _admin_reply(demo, seen, "Reminder")
        reminder = (await _received(demo, LATE, 2))[1]
        assert reminder.text is not None and reminder.text.startswith("🔔 Напоминание")

        seen = len(emulator.messages_for(ADMIN.telegram_id))
        await emulator.press_button(ADMIN.user, follow_up.message_id, remind)
        assert await _admin_reply(demo, seen, "already")
        assert len(emulator.messages_for(READER.telegram_id)) == 1
    finally:
        await demo.stop()


async def test_forged_read_and_follow_up_buttons_are_refused(
    settings: Settings, sessionmaker: SessionMaker
) -> None:
    demo = await _demo(settings, sessionmaker)
    try:
        emulator = demo.sandbox.emulator
        follow_up = await _announce_with_ack(demo)
        [message] = await _received(demo, READER)
        # Someone outside the audience, and a student pressing the author's buttons.
        for forged in (message.callback_data[0], follow_up.callback_data[0]):
            chat = emulator.state.chat(OUTSIDER.telegram_id)
            fake = emulator.state.add_message(chat, emulator.bot, text="x")
            fake.reply_markup = {"inline_keyboard": [[{"text": "x", "callback_data": forged}]]}
            query = await emulator.press_button(OUTSIDER.user, fake.message_id, forged)
            assert "out of date" in (await emulator.callback_answer(query))["text"]
        assert await _reads(sessionmaker) == 0
    finally:
        await demo.stop()


async def test_automatic_reminder_after_the_configured_delay(
    settings: Settings, sessionmaker: SessionMaker
) -> None:
    demo = await _demo(settings, sessionmaker)
    try:
        await _announce_with_ack(demo)
        emulator = demo.sandbox.emulator
        assert await emulator.state.signal.wait_until(  # the report comes once all are recorded
            lambda: any(
                "finished" in (m.text or "") for m in emulator.messages_for(ADMIN.telegram_id)
            ),
            20,
        )
        now = dt.datetime.now(dt.UTC)
        off = settings.model_copy(update={"announce_reminder_hours": 0})
        on = settings.model_copy(update={"announce_reminder_hours": 24})
        assert await remind_due(sessionmaker, off, now + dt.timedelta(days=3)) == 0
        assert await remind_due(sessionmaker, on, now + dt.timedelta(hours=23)) == 0
        assert await remind_due(sessionmaker, on, now + dt.timedelta(hours=25)) == 2
        assert await remind_due(sessionmaker, on, now + dt.timedelta(hours=26)) == 0
        async with sessionmaker() as session:
            batch = await session.scalar(select(Announcement))
        assert batch is not None and batch.reminded_at is not None
    finally:
        await demo.stop()


async def _reads(sessionmaker: SessionMaker) -> int:
    async with sessionmaker() as session:
        return len((await session.scalars(select(AnnouncementRead))).all())

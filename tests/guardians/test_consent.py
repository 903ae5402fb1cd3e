"""Adults decide: their guardians see their records only while they allow it, and are told."""

import datetime as dt

from sqlmodel import col, select

from bot.app import SchoolApplication
from bot.config import Settings
from bot.db import SessionMaker
from jobs.adult_consent import ask_new_adults
from models.audit import AuditEntry
from models.outbox import OutboxMessage
from models.school import Student
from tests.fake_telegram import RecordingRequest, callback_update, text_update
from tests.guardians.conftest import PARENT, Family
from tests.records_data import OTHER, STUDENT

NOT_SHARED = "The records of Olga Ivanova are not shared with you."


async def _parent_sees(app: SchoolApplication, telegram: RecordingRequest, adult: int) -> str:
    await app.process_update(callback_update(app.bot, f"gd:w:{adult}", PARENT))
    await app.process_update(text_update(app.bot, "/absences", PARENT))
    return telegram.last_text(PARENT.id)


async def _notices(sessionmaker: SessionMaker) -> list[str]:
    async with sessionmaker() as session:
        rows = await session.scalars(
            select(OutboxMessage.text)
            .where(col(OutboxMessage.chat_id) == PARENT.id)
            .order_by(col(OutboxMessage.id))
        )
    return list(rows)


async def test_an_adult_allows_then_withdraws_and_the_guardian_is_told_without_details(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker, family: Family
) -> None:
    await app.process_update(text_update(app.bot, "/settings", OTHER))
    assert "Your guardians <b>do not see</b> your records now." in telegram.last_text(OTHER.id)
    assert (await _parent_sees(app, telegram, family.adult)).startswith(NOT_SHARED)

    await app.process_update(callback_update(app.bot, "settings:guardians:on", OTHER))
    assert "Absences of Olga Ivanova" in await _parent_sees(app, telegram, family.adult)

    await app.process_update(callback_update(app.bot, "settings:guardians:off", OTHER))
    assert (await _parent_sees(app, telegram, family.adult)).startswith(NOT_SHARED)
    assert await _notices(sessionmaker) == [
        "Olga Ivanova now shares their records with you: see /students.",
        "Olga Ivanova no longer shares their records with you.",
    ]


async def test_a_minor_cannot_stop_sharing_and_a_forged_press_is_refused(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker, family: Family
) -> None:
    await app.process_update(text_update(app.bot, "/settings", STUDENT))
    reply = telegram.last(STUDENT.id)
    assert "Your guardians see your records until you turn 18." in reply.params["text"]
    assert "settings:guardians:off" not in telegram.buttons(reply)

    await app.process_update(callback_update(app.bot, "settings:guardians:off", STUDENT))
    await app.process_update(callback_update(app.bot, "settings:guardians:on", PARENT))

    await app.process_update(text_update(app.bot, "/absences", PARENT))
    assert "Absences of Anna Kalniņa" in telegram.last_text(PARENT.id)
    async with sessionmaker() as session:
        refused = await session.scalars(
            select(AuditEntry.telegram_id).where(col(AuditEntry.target) == "consent:guardians")
        )
        assert sorted(refused) == [STUDENT.id, PARENT.id]
    assert await _notices(sessionmaker) == []


async def test_an_unknown_birth_date_counts_as_adult(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker, family: Family
) -> None:
    async with sessionmaker.begin() as session:
        anna = await session.get(Student, family.minor)
        assert anna is not None
        anna.birth_date = None

    await app.process_update(text_update(app.bot, "/absences", PARENT))

    assert telegram.last_text(PARENT.id).startswith("The records of Anna Kalniņa are not shared")


async def test_adults_are_asked_once_and_minors_not_yet(
    sessionmaker: SessionMaker, settings: Settings, family: Family
) -> None:
    now = dt.datetime.now(dt.UTC)

    assert await ask_new_adults(sessionmaker, settings, now) == 1
    assert await ask_new_adults(sessionmaker, settings, now + dt.timedelta(days=1)) == 0

    async with sessionmaker() as session:
        (asked,) = await session.scalars(
            select(OutboxMessage).where(col(OutboxMessage.chat_id) == OTHER.id)
        )
    assert "jūs izlemjat, vai aizbildņi redz" in asked.text  # never wrote: the default, lv
    assert asked.button_data == "settings:guardians:on"


async def test_a_student_turning_18_is_asked(
    sessionmaker: SessionMaker, settings: Settings, family: Family
) -> None:
    now = dt.datetime.now(dt.UTC)
    await ask_new_adults(sessionmaker, settings, now)
    async with sessionmaker.begin() as session:
        anna = await session.get(Student, family.minor)
        assert anna is not None
        today = now.astimezone(settings.tz).date()
        anna.birth_date = dt.date(today.year - 18, today.month, 1)  # 18 since the 1st

    assert await ask_new_adults(sessionmaker, settings, now) == 1

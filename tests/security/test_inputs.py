"""Every input is checked at the edge: forged button data and control characters."""

import logging

import pytest
from sqlmodel import col, select

from bot.app import SchoolApplication
from bot.db import SessionMaker
from models.accounts import TelegramAccount
from models.announcements import Announcement
from tests.fake_telegram import Call, RecordingRequest, callback_update, make_user, text_update
from tests.records_data import ADMIN, STUDENT, TUTOR, Records

STALE = "This button is out of date. Please ask again."


def _answers(telegram: RecordingRequest) -> list[Call]:
    return [call for call in telegram.calls if call.method == "answerCallbackQuery"]


@pytest.mark.parametrize(
    "student_id",
    ["2147483648", "9999999999", "١٢"],  # above PostgreSQL's INTEGER; Arabic-Indic digits
)
async def test_a_forged_id_out_of_range_is_answered_not_queried(
    app: SchoolApplication, telegram: RecordingRequest, records: Records, student_id: str
) -> None:
    await app.process_update(callback_update(app.bot, f"ab:s:{student_id}:{records.month}", TUTOR))
    assert [call.params.get("text") for call in _answers(telegram)] == [STALE]
    assert telegram.sent(TUTOR.id) == []


@pytest.mark.parametrize("data", ["", "x" * 65, "lang:set:en\x00", "ab:m:2026-1\n"])
async def test_empty_long_or_control_button_data_is_answered(
    app: SchoolApplication, telegram: RecordingRequest, records: Records, data: str
) -> None:
    await app.process_update(callback_update(app.bot, data, STUDENT))
    assert [call.params.get("text") for call in _answers(telegram)] == [STALE]
    assert telegram.sent(STUDENT.id) == []


@pytest.mark.parametrize("data", ["tt:g:1:20260230:d", "zz:top:1", "ack:who:2147483648"])
async def test_an_unknown_or_impossible_button_is_answered_and_logged(
    app: SchoolApplication,
    telegram: RecordingRequest,
    records: Records,
    caplog: pytest.LogCaptureFixture,
    data: str,
) -> None:
    with caplog.at_level(logging.INFO):
        await app.process_update(callback_update(app.bot, data, ADMIN))
    assert [call.params.get("text") for call in _answers(telegram)] == [STALE]
    assert any(r.levelno == logging.INFO and data in r.getMessage() for r in caplog.records)


async def test_a_refused_button_press_stops_the_spinner(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    await app.process_update(
        callback_update(app.bot, f"ab:s:{records.classmate}:{records.month}", STUDENT)
    )
    assert len(_answers(telegram)) == 1
    assert telegram.last_text(STUDENT.id) == "Sorry, you don't have access to that."


async def test_a_nul_byte_in_a_name_is_removed_before_it_is_stored(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    user = make_user(8901, first_name="A\x00 student\x07", language_code="en")
    await app.process_update(text_update(app.bot, "/start", user))
    assert "Sorry" not in telegram.last_text(user.id)
    async with sessionmaker() as session:
        name = await session.scalar(
            select(TelegramAccount.first_name).where(col(TelegramAccount.telegram_id) == user.id)
        )
    assert name == "A student"


async def test_control_characters_in_message_text_never_reach_the_database(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker, records: Records
) -> None:
    await app.process_update(
        text_update(app.bot, "/announce all\nRoom\x00 12\x1b moved.\tSee\n", ADMIN)
    )
    async with sessionmaker() as session:
        texts = (await session.scalars(select(Announcement.text))).all()
    assert texts == ["Room 12 moved.\tSee"]


async def test_newlines_and_tabs_stay(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    await app.process_update(text_update(app.bot, "/absences\tAM-21\n", ADMIN))
    assert "Absences in AM-21" in telegram.last_text(ADMIN.id)


@pytest.mark.parametrize("course", ["²", "٣", "99999999999999999999"])
async def test_a_course_that_is_no_plain_number_is_refused_politely(
    app: SchoolApplication, telegram: RecordingRequest, records: Records, course: str
) -> None:
    await app.process_update(text_update(app.bot, f"/announce course:{course}\nHello", ADMIN))
    assert telegram.last_text(ADMIN.id).startswith("A course is a number from 1 to 6")


async def test_a_control_character_inside_a_command_keeps_the_command_whole(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    await app.process_update(text_update(app.bot, "/abs\x00ences\x07 AM-21", ADMIN))
    assert "Absences in AM-21" in telegram.last_text(ADMIN.id)

"""Timetables: own and anyone's, changes marked, weekends and holidays, buttons, bad input."""

import datetime as dt

import pytest

from bot.app import SchoolApplication
from tests.fake_telegram import RecordingRequest, callback_update, text_update
from tests.timetable_days.conftest import MONDAY, STUDENT, TEACHER, TUESDAY, VISITOR, School

SATURDAY = MONDAY - dt.timedelta(days=2)
WEDNESDAY = MONDAY + dt.timedelta(days=2)


async def test_a_day_shows_bell_times_and_marks_the_changes(
    app: SchoolApplication, telegram: RecordingRequest, school: School
) -> None:
    await app.process_update(
        callback_update(app.bot, f"tt:g:{school.group}:{MONDAY:%Y%m%d}:d", VISITOR)
    )
    text = telegram.last_text(VISITOR.id)
    assert f"Понедельник, {MONDAY:%d.%m.%Y}" in text
    assert "08:30–09:10 Matemātika — Anna Bērziņa" in text and "Jānis Ozoliņš" in text
    assert "<s><b>2.</b> 09:10–09:50 Latviešu valoda</s> ❌ отменён" in text


async def test_a_holiday_says_so_and_shows_the_next_school_day(
    app: SchoolApplication, telegram: RecordingRequest, school: School
) -> None:
    await app.process_update(
        callback_update(app.bot, f"tt:g:{school.group}:{TUESDAY:%Y%m%d}:d", STUDENT)
    )
    text = telegram.last_text(STUDENT.id)
    assert "No lessons: Skolas svētki." in text
    assert f"Wednesday, {WEDNESDAY:%d.%m.%Y}" in text and "Matemātika" in text


async def test_a_weekend_day_offers_monday(
    app: SchoolApplication, telegram: RecordingRequest, school: School
) -> None:
    await app.process_update(
        callback_update(app.bot, f"tt:g:{school.group}:{SATURDAY:%Y%m%d}:d", STUDENT)
    )
    text = telegram.last_text(STUDENT.id)
    assert "Weekend, no lessons." in text and f"Monday, {MONDAY:%d.%m.%Y}" in text


async def test_a_teachers_timetable_lists_the_groups(
    app: SchoolApplication, telegram: RecordingRequest, school: School
) -> None:
    await app.process_update(
        callback_update(app.bot, f"tt:t:{school.teacher}:{MONDAY:%Y%m%d}:d", TEACHER)
    )
    text = telegram.last_text(TEACHER.id)
    assert "Jānis Ozoliņš" in text and "· AM-21" in text


async def test_own_timetable_is_the_students_group_with_buttons(
    app: SchoolApplication, telegram: RecordingRequest, school: School
) -> None:
    await app.process_update(text_update(app.bot, "/week", STUDENT))
    reply = telegram.last(STUDENT.id)
    assert "AM-21" in reply.params["text"] and reply.params["protect_content"] in (True, "true")
    assert any(data.startswith(f"tt:g:{school.group}:") for data in telegram.buttons(reply))


@pytest.mark.parametrize(
    "query", ["am21", "AM 21", "ам-21", "Ozolins", "Озолиньш", "Ozliņš", "str16-101"]
)
async def test_anyone_finds_a_timetable_however_it_is_written(
    app: SchoolApplication, telegram: RecordingRequest, school: School, query: str
) -> None:
    await app.process_update(text_update(app.bot, f"/timetable {query}", VISITOR))
    text = telegram.last_text(VISITOR.id)
    assert "🗓" in text and ("AM-21" in text or "Ozoliņš" in text or "STR16-101" in text)


async def test_free_text_tomorrow_and_a_group_code_reach_the_timetable(
    app: SchoolApplication, telegram: RecordingRequest, school: School
) -> None:
    await app.process_update(text_update(app.bot, "завтра", STUDENT))
    assert "🗓" in telegram.last_text(STUDENT.id)
    await app.process_update(text_update(app.bot, "KS-21", VISITOR))
    assert "KS-21" in telegram.last_text(VISITOR.id)


async def test_a_visitor_asking_for_their_own_day_is_told_how(
    app: SchoolApplication, telegram: RecordingRequest, school: School
) -> None:
    await app.process_update(text_update(app.bot, "/today", VISITOR))
    assert "/timetable AM-21" in telegram.last_text(VISITOR.id)


@pytest.mark.parametrize(
    "query",
    ["ZZ-99", "<script>alert(1)</script>", "'; DROP TABLE student; --", "🙂" * 30, "x" * 5000],
)
async def test_unknown_or_hostile_queries_get_a_clear_answer(
    app: SchoolApplication, telegram: RecordingRequest, school: School, query: str
) -> None:
    await app.process_update(text_update(app.bot, f"/timetable {query}", VISITOR))
    text = telegram.last_text(VISITOR.id)
    assert "<script>" not in text and len(text) < 400


@pytest.mark.parametrize(
    "data",
    ["tt:g:999999:20261130:d", "tt:g:1:20261399:d", "tt:g:1:19000101:w", "tt:x:1:20261130:d"],
)
async def test_forged_or_stale_buttons_are_answered_politely(
    app: SchoolApplication, telegram: RecordingRequest, school: School, data: str
) -> None:
    await app.process_update(callback_update(app.bot, data, VISITOR))
    assert telegram.calls[-1].method in {"answerCallbackQuery", "sendMessage"}

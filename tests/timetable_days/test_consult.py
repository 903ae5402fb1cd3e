"""Consultation hours: names however written, subjects, services, the viewer's own teachers."""

import pytest

from bot.app import SchoolApplication
from tests.fake_telegram import RecordingRequest, callback_update, text_update
from tests.timetable_days.conftest import MONDAY, STUDENT, VISITOR, School


@pytest.mark.parametrize(
    "query", ["Ozoliņš", "ozolins", "Озолиньш", "ozolinsh", "Jānis Ozoliņš", "Ozliņš", "Озлиньш"]
)
async def test_a_teacher_is_found_however_the_name_is_written(
    app: SchoolApplication, telegram: RecordingRequest, school: School, query: str
) -> None:
    await app.process_update(text_update(app.bot, f"/consult {query}", VISITOR))
    text = telegram.last_text(VISITOR.id)
    assert "Jānis Ozoliņš" in text and "15:00–16:00" in text


async def test_the_card_lists_every_slot_and_the_cancellation(
    app: SchoolApplication, telegram: RecordingRequest, school: School
) -> None:
    await app.process_update(text_update(app.bot, "/consult Ozoliņš", STUDENT))
    text = telegram.last_text(STUDENT.id)
    assert text.count("15:00–16:00") == 5
    assert "Monday 15:00–16:00, STR16-101 (Strādnieku iela 16)" in text
    assert f"cancelled on {MONDAY:%d.%m.} (Kursi)" in text


async def test_a_subject_finds_its_teachers(
    app: SchoolApplication, telegram: RecordingRequest, school: School
) -> None:
    await app.process_update(text_update(app.bot, "/consult matemātikas", VISITOR))
    assert "Jānis Ozoliņš" in telegram.last_text(VISITOR.id)


@pytest.mark.parametrize("query", ["psihologs", "психолог", "psychologist"])
async def test_services_are_their_own_kind(
    app: SchoolApplication, telegram: RecordingRequest, school: School, query: str
) -> None:
    await app.process_update(text_update(app.bot, f"/consult {query}", VISITOR))
    text = telegram.last_text(VISITOR.id)
    assert "12:00–15:00" in text and "STR16-305" in text


async def test_without_a_name_a_student_gets_the_teachers_of_their_group(
    app: SchoolApplication, telegram: RecordingRequest, school: School
) -> None:
    await app.process_update(text_update(app.bot, "/consult", STUDENT))
    text = telegram.last_text(STUDENT.id)
    assert "Jānis Ozoliņš" in text and "Anna Bērziņa" not in text


async def test_free_text_question_reaches_the_hours(
    app: SchoolApplication, telegram: RecordingRequest, school: School
) -> None:
    await app.process_update(text_update(app.bot, "kad ir Ozoliņa konsultācija?", VISITOR))
    assert "Jānis Ozoliņš" in telegram.last_text(VISITOR.id)


@pytest.mark.parametrize("query", ["nobody-like-this", "<b>x</b>", "🙂🙂", "x" * 3000])
async def test_unknown_names_get_a_clear_answer(
    app: SchoolApplication, telegram: RecordingRequest, school: School, query: str
) -> None:
    await app.process_update(text_update(app.bot, f"/consult {query}", VISITOR))
    text = telegram.last_text(VISITOR.id)
    assert "<b>x</b>" not in text and len(text) < 400


@pytest.mark.parametrize("data", ["cs:t:999999", "cs:k:nonsense", "cs:t:0"])
async def test_forged_choices_are_answered_politely(
    app: SchoolApplication, telegram: RecordingRequest, school: School, data: str
) -> None:
    await app.process_update(callback_update(app.bot, data, VISITOR))
    assert telegram.last_text(VISITOR.id) == "Эта кнопка устарела. Пожалуйста, спросите ещё раз."

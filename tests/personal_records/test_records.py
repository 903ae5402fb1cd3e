"""Absences, marks and practice: the right numbers for the right people, refusals for the rest."""

import pytest
from sqlmodel import col, select

from bot.app import SchoolApplication
from bot.db import SessionMaker
from models.audit import AuditEntry
from tests.fake_telegram import RecordingRequest, callback_update, text_update
from tests.records_data import (
    ADMIN,
    CLASSMATE,
    OTHER,
    STUDENT,
    TUTOR,
    VISITOR,
    Records,
)

REFUSED = "Sorry, you don't have access to that."


async def test_a_student_sees_their_month_and_semester_against_the_limits(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    await app.process_update(text_update(app.bot, "/absences", STUDENT))
    reply = telegram.last(STUDENT.id)
    text = reply.params["text"]
    assert "Excused: 1 · unexcused: 3 · not yet decided: 1" in text
    assert "Unexcused this month: ▓▓▓▓░░░░░░ 3/8" in text
    assert "• Matemātika: 0 / 2 / 0" in text and "• Latviešu valoda: 1 / 1 / 1" in text
    assert reply.params["protect_content"] in (True, "true")
    assert "Data as of" in text or "No data has been imported" in text


async def test_month_buttons_step_back(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    previous = records.month.shift(-1)
    await app.process_update(callback_update(app.bot, f"ab:m:{previous}", STUDENT))
    text = telegram.last_text(STUDENT.id)
    assert f"{previous}" in text and "unexcused: 2" in text


async def test_a_tutor_gets_the_group_table_worst_first_and_can_open_a_student(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    await app.process_update(text_update(app.bot, "/absences", TUTOR))
    reply = telegram.last(TUTOR.id)
    rows = reply.params["text"].splitlines()
    assert rows[1].startswith("Kalniņa Anna: 3 / 5") and rows[2].startswith("Liepa Jānis: 0 / 1")
    assert "Ivanova" not in reply.params["text"]
    await app.process_update(
        callback_update(app.bot, f"ab:s:{records.student}:{records.month}", TUTOR)
    )
    assert "Absences of Anna Kalniņa" in telegram.last_text(TUTOR.id)


@pytest.mark.parametrize(
    ("user", "text"),
    [
        (STUDENT, "/absences KS-21"),
        (STUDENT, "/marks AM-21"),
        (TUTOR, "/absences KS-21"),
        (VISITOR, "/practice AM-21"),
        (CLASSMATE, "/practice KS-21"),
    ],
)
async def test_other_groups_are_refused_and_logged(
    app: SchoolApplication,
    telegram: RecordingRequest,
    sessionmaker: SessionMaker,
    records: Records,
    user: object,
    text: str,
) -> None:
    from telegram import User

    assert isinstance(user, User)
    await app.process_update(text_update(app.bot, text, user))
    answer = telegram.last_text(user.id)
    assert answer in (REFUSED, "Извините, у вас нет к этому доступа.")
    async with sessionmaker() as session:
        refusals = list(
            await session.scalars(select(AuditEntry).where(col(AuditEntry.action) == "refused"))
        )
    assert refusals and refusals[-1].telegram_id == user.id


@pytest.mark.parametrize("user", [STUDENT, CLASSMATE, OTHER])
async def test_a_forged_detail_button_never_shows_another_students_absences(
    app: SchoolApplication, telegram: RecordingRequest, records: Records, user: object
) -> None:
    from telegram import User

    assert isinstance(user, User)
    target = records.classmate if user is STUDENT else records.student
    await app.process_update(callback_update(app.bot, f"ab:s:{target}:{records.month}", user))
    assert telegram.last_text(user.id) == REFUSED


async def test_a_visitor_is_told_to_link_first(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    await app.process_update(text_update(app.bot, "/absences", VISITOR))
    assert "/start" in telegram.last_text(VISITOR.id)


async def test_an_admin_names_a_group(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    await app.process_update(text_update(app.bot, "/absences am 21", ADMIN))
    assert "Kalniņa Anna: 3 / 5" in telegram.last_text(ADMIN.id)


async def test_marks_show_averages_failing_marks_and_gaps(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    await app.process_update(text_update(app.bot, "/marks", STUDENT))
    text = telegram.last_text(STUDENT.id)
    assert "• Matemātika: <u>3</u>❗ 7 · ⌀ 5.0" in text
    assert "No mark yet this month:</b> Latviešu valoda" in text


async def test_the_tutor_sees_the_group_marks(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    await app.process_update(text_update(app.bot, "/marks", TUTOR))
    text = telegram.last_text(TUTOR.id)
    assert "Kalniņa Anna: 5.0 · 1 ❗" in text and "Liepa Jānis: 9.0 · 0" in text


async def test_practice_card_with_days_left_and_an_overdue_diary(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    await app.process_update(text_update(app.bot, "/practice", STUDENT))
    text = telegram.last_text(STUDENT.id)
    assert 'qualification practice</b>: SIA "Auto Welle"' in text.replace("&quot;", '"')
    assert "20 days left" in text and "⚠️ overdue since" in text


async def test_a_student_without_a_placement_is_told_so(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    await app.process_update(text_update(app.bot, "/practice", CLASSMATE))
    assert "No practice placement is recorded." in telegram.last_text(CLASSMATE.id)


async def test_an_admin_searches_companies_by_speciality(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    await app.process_update(text_update(app.bot, "/practice AM", ADMIN))
    assert "Auto Welle" in telegram.last_text(ADMIN.id).replace("&quot;", '"')


async def test_an_admin_naming_nothing_known_is_told_so(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    await app.process_update(text_update(app.bot, "/absences ZZ-99", ADMIN))
    assert telegram.last_text(ADMIN.id) == "No group “ZZ-99”."


async def test_free_text_in_russian_reaches_the_absences(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    await app.process_update(text_update(app.bot, "сколько у меня пропусков", STUDENT))
    assert "unexcused: 3" in telegram.last_text(STUDENT.id)


@pytest.mark.parametrize("data", ["ab:m:9999-99", "ab:m:1999-01", "mk:m:2026-13"])
async def test_bad_months_in_buttons_are_answered_politely(
    app: SchoolApplication, telegram: RecordingRequest, records: Records, data: str
) -> None:
    await app.process_update(callback_update(app.bot, data, STUDENT))
    assert telegram.calls[-1].method == "answerCallbackQuery"

"""The .ics calendar file and inline mode: public data only, parsed back to check it."""

import datetime as dt

from icalendar import Calendar

from bot.app import SchoolApplication
from bot.db import SessionMaker
from models.school import Subject
from models.timetable import TimetableChange
from tests.fake_telegram import RecordingRequest, inline_update, text_update
from tests.timetable_days.conftest import MONDAY, STUDENT, VISITOR, School


async def test_calendar_file_holds_the_students_lessons_with_changes(
    app: SchoolApplication, telegram: RecordingRequest, school: School
) -> None:
    await app.process_update(text_update(app.bot, "/calendar", STUDENT))
    call = telegram.last(STUDENT.id)
    assert call.method == "sendDocument" and call.params["protect_content"] in (True, "true")
    calendar = Calendar.from_ical(call.files["document"])
    events = list(calendar.walk("VEVENT"))
    starts = {event.decoded("dtstart") for event in events}
    assert events and all(start.tzinfo is not None for start in starts)
    if dt.date.today() <= MONDAY <= dt.date.today() + dt.timedelta(days=27):
        monday = [e for e in events if e.decoded("dtstart").date() == MONDAY]
        assert [str(e["summary"]) for e in monday] == ["1. Matemātika"]  # lesson 2 cancelled
    assert len({str(event["uid"]) for event in events}) == len(events)


async def test_a_visitor_is_told_the_calendar_needs_a_linked_account(
    app: SchoolApplication, telegram: RecordingRequest, school: School
) -> None:
    await app.process_update(text_update(app.bot, "/calendar", VISITOR))
    assert "/start" in telegram.last_text(VISITOR.id)


async def test_inline_mode_offers_public_timetables_and_hours(
    app: SchoolApplication, telegram: RecordingRequest, school: School
) -> None:
    await app.process_update(inline_update(app.bot, "Ozoliņš", VISITOR))
    answer = next(call for call in reversed(telegram.calls) if call.method == "answerInlineQuery")
    ids = [result["id"] for result in answer.params["results"]]
    assert ids == [f"tt-t-{school.teacher}", f"cs-{school.teacher}"]
    texts = " ".join(r["input_message_content"]["message_text"] for r in answer.params["results"])
    assert "15:00–16:00" in texts and "Matemātika" in texts


async def test_inline_mode_never_offers_personal_data(
    app: SchoolApplication, telegram: RecordingRequest, school: School
) -> None:
    for query in ("absences", "marks Anna", "prakse", "x"):
        await app.process_update(inline_update(app.bot, query, STUDENT))
        answer = next(c for c in reversed(telegram.calls) if c.method == "answerInlineQuery")
        assert answer.params["results"] == []


async def test_inline_mode_cuts_a_long_week_between_days(
    app: SchoolApplication, telegram: RecordingRequest, school: School, sessionmaker: SessionMaker
) -> None:
    this_monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    async with sessionmaker.begin() as session:
        subject = Subject(code="LONG", name_lv="Ļoti garš mācību priekšmets " * 6, name_key="x")
        session.add(subject)
        await session.flush()
        session.add_all(
            TimetableChange(
                date=day,
                group_id=school.group,
                lesson_no=lesson,
                change_type="added",
                subject_id=subject.id,
            )
            for day in (this_monday + dt.timedelta(days=n) for n in range(12))
            for lesson in range(3, 13)
        )
    await app.process_update(inline_update(app.bot, "AM-21", VISITOR))
    answer = next(call for call in reversed(telegram.calls) if call.method == "answerInlineQuery")
    text = answer.params["results"][0]["input_message_content"]["message_text"]
    assert len(text) <= 4096 and text.count("<b>") == text.count("</b>")
    assert text.splitlines()[-1].startswith("<b>12.</b>")  # a whole day ends the message

"""Changes seen from every side: moved lessons on both days, substitutes, rooms, re-imports."""

import datetime as dt

from sqlmodel import col, select

from bot.app import SchoolApplication
from bot.config import Settings
from bot.db import SessionMaker
from bot.i18n import gettext_for
from models.importing import import_bytes
from models.school import Room, Staff, Subject
from models.timetable import BellTime, TimetableChange
from tests.fake_telegram import RecordingRequest, callback_update
from tests.importing.files import csv_bytes
from tests.timetable_days.conftest import MONDAY, STUDENT, TEACHER, VISITOR, School

WEDNESDAY, THURSDAY = MONDAY + dt.timedelta(days=2), MONDAY + dt.timedelta(days=3)


def _day(kind: str, ident: int, day: dt.date) -> str:
    return f"tt:{kind}:{ident}:{day:%Y%m%d}:d"


async def _staff_id(sessionmaker: SessionMaker, last_name: str) -> int:
    async with sessionmaker() as session:
        ident = await session.scalar(select(col(Staff.id)).where(col(Staff.last_name) == last_name))
    assert ident is not None
    return ident


async def _rooms(sessionmaker: SessionMaker) -> dict[str, int]:
    async with sessionmaker() as session:
        rows = await session.execute(select(col(Room.code), col(Room.id)))
    return {code: ident or 0 for code, ident in rows.all()}


async def _add(sessionmaker: SessionMaker, *changes: TimetableChange) -> None:
    async with sessionmaker.begin() as session:
        session.add_all(changes)


async def test_a_moved_lesson_shows_on_the_day_it_moved_to(
    app: SchoolApplication, telegram: RecordingRequest, school: School, sessionmaker: SessionMaker
) -> None:
    await _add(
        sessionmaker,
        TimetableChange(
            date=WEDNESDAY,
            group_id=school.group,
            lesson_no=2,
            change_type="moved",
            moved_to_date=THURSDAY,
            moved_to_lesson=4,
            reason="Ekskursija",
        ),
    )
    await app.process_update(callback_update(app.bot, _day("g", school.group, WEDNESDAY), STUDENT))
    assert f"moved to {THURSDAY:%d.%m.} 4." in telegram.last_text(STUDENT.id)
    await app.process_update(callback_update(app.bot, _day("g", school.group, THURSDAY), STUDENT))
    thursday = telegram.last_text(STUDENT.id)
    assert "<b>4.</b> Latviešu valoda — Jānis Ozoliņš" in thursday
    assert f"moved here from {WEDNESDAY:%d.%m.} 2." in thursday


async def test_a_substitute_sees_the_lesson_they_cover(
    app: SchoolApplication, telegram: RecordingRequest, school: School, sessionmaker: SessionMaker
) -> None:
    substitute = await _staff_id(sessionmaker, "Bērziņa")
    await app.process_update(callback_update(app.bot, _day("t", substitute, MONDAY), VISITOR))
    text = telegram.last_text(VISITOR.id)
    assert "Matemātika — Anna Bērziņa" in text and "· AM-21" in text
    assert "Jānis Ozoliņš" in text  # whom she stands in for


async def test_the_replaced_teacher_sees_who_stands_in(
    app: SchoolApplication, telegram: RecordingRequest, school: School
) -> None:
    await app.process_update(callback_update(app.bot, _day("t", school.teacher, MONDAY), TEACHER))
    text = telegram.last_text(TEACHER.id)
    assert "Matemātika — Anna Bērziņa" in text and "Jānis Ozoliņš" in text


async def test_a_teacher_does_not_get_another_teachers_extra_lesson(
    app: SchoolApplication, telegram: RecordingRequest, school: School, sessionmaker: SessionMaker
) -> None:
    other = await _staff_id(sessionmaker, "Bērziņa")
    await _add(
        sessionmaker,
        TimetableChange(
            date=THURSDAY,
            group_id=school.group,
            lesson_no=5,
            change_type="added",
            new_teacher_id=other,
            reason="Papildu stunda",
        ),
    )
    await app.process_update(callback_update(app.bot, _day("t", school.teacher, THURSDAY), TEACHER))
    assert "<b>5.</b>" not in telegram.last_text(TEACHER.id)
    await app.process_update(callback_update(app.bot, _day("t", other, THURSDAY), VISITOR))
    assert "<b>5.</b>" in telegram.last_text(VISITOR.id)
    await app.process_update(callback_update(app.bot, _day("g", school.group, THURSDAY), STUDENT))
    assert "<b>5.</b>" in telegram.last_text(STUDENT.id) and "extra lesson" in telegram.last_text(
        STUDENT.id
    )


async def test_a_room_shows_lessons_moved_into_it(
    app: SchoolApplication, telegram: RecordingRequest, school: School, sessionmaker: SessionMaker
) -> None:
    rooms = await _rooms(sessionmaker)
    await _add(
        sessionmaker,
        TimetableChange(
            date=THURSDAY,
            group_id=school.group,
            lesson_no=1,
            change_type="room",
            new_room_id=rooms["STR16-305"],
        ),
    )
    await app.process_update(
        callback_update(app.bot, _day("r", rooms["STR16-305"], THURSDAY), VISITOR)
    )
    assert "Matemātika" in telegram.last_text(VISITOR.id)
    await app.process_update(
        callback_update(app.bot, _day("r", rooms["STR16-101"], THURSDAY), VISITOR)
    )
    old_room = telegram.last_text(VISITOR.id)
    assert "<b>1.</b>" in old_room and "STR16-305" in old_room  # where it went instead


async def test_a_building_with_its_own_bells_shows_its_times(
    app: SchoolApplication, telegram: RecordingRequest, school: School, sessionmaker: SessionMaker
) -> None:
    async with sessionmaker.begin() as session:
        session.add(
            BellTime(lesson_no=1, building_code="STR16", start=dt.time(8, 0), end=dt.time(8, 40))
        )
    await app.process_update(callback_update(app.bot, _day("g", school.group, THURSDAY), STUDENT))
    text = telegram.last_text(STUDENT.id)
    assert "<b>1.</b> 08:00–08:40 Matemātika" in text
    assert "<b>2.</b> 09:10–09:50" in text  # no building time for lesson 2: the school's


async def test_a_day_in_one_building_names_it_once(
    app: SchoolApplication, telegram: RecordingRequest, school: School
) -> None:
    await app.process_update(callback_update(app.bot, _day("g", school.group, THURSDAY), STUDENT))
    text = telegram.last_text(STUDENT.id)
    assert text.count("Strādnieku iela 16") == 1 and "📍 Strādnieku iela 16" in text


async def test_an_import_is_seen_by_the_next_question(
    app: SchoolApplication,
    telegram: RecordingRequest,
    school: School,
    sessionmaker: SessionMaker,
    settings: Settings,
) -> None:
    await app.process_update(callback_update(app.bot, _day("g", school.group, THURSDAY), STUDENT))
    assert "❌" not in telegram.last_text(STUDENT.id)
    changes = csv_bytes(
        [
            ["date", "group", "lesson_no", "change_type", "reason"],
            [f"{THURSDAY:%d.%m.%Y}", "AM-21", "2", "cancelled", "Slimība"],
        ]
    )
    report = await import_bytes(
        sessionmaker,
        changes,
        "izmainas.csv",
        kind="timetable_changes",
        limits=settings.import_limits,
        now=dt.datetime.now(dt.UTC),
    )
    assert report.ok, report.render(gettext_for("en"))
    await app.process_update(callback_update(app.bot, _day("g", school.group, THURSDAY), STUDENT))
    text = telegram.last_text(STUDENT.id)
    assert "<s><b>2.</b> 09:10–09:50 Latviešu valoda</s> ❌ cancelled" in text


async def test_a_long_week_is_split_between_days_and_its_buttons_still_work(
    app: SchoolApplication, telegram: RecordingRequest, school: School, sessionmaker: SessionMaker
) -> None:
    async with sessionmaker.begin() as session:
        subject = Subject(code="LONG", name_lv="Ļoti garš mācību priekšmets " * 6, name_key="x")
        session.add(subject)
        await session.flush()
        session.add_all(
            TimetableChange(
                date=MONDAY + dt.timedelta(days=day),
                group_id=school.group,
                lesson_no=lesson,
                change_type="added",
                subject_id=subject.id,
            )
            for day in range(5)
            for lesson in range(3, 13)
        )
    week = f"tt:g:{school.group}:{MONDAY:%Y%m%d}:w"
    await app.process_update(callback_update(app.bot, week, STUDENT))
    shown = telegram.sent(STUDENT.id)
    assert shown[0].method == "editMessageText" and len(shown) >= 3
    for call in shown:
        text = call.params["text"]
        assert len(text) <= 4096 and text.startswith(("🗓", "📅"))  # whole days only
    assert telegram.buttons(shown[-1]) and not telegram.buttons(shown[0])

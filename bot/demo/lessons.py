"""The weekly timetable as rows, this week's changes, holidays and consultation hours."""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from bot.demo.calendar import SchoolYear
from bot.demo.config import DemoConfig, pair_range, weights
from bot.demo.curriculum import Unit
from bot.demo.people import Ids
from bot.demo.rows import Rows
from bot.demo.scheduler import Placement
from bot.demo.school import SchoolPlan
from bot.demo.staff import Staffing
from models.consultations import ConsultationCancellation, ConsultationSlot, SlotKind
from models.school import Room, StaffRoleAssignment
from models.timetable import ChangeType, Holiday, TimetableChange, TimetableEntry


@dataclass(frozen=True)
class Lesson:
    """One weekly lesson of a group, as the absence and mark generators need it."""

    group: int  # group id
    weekday: int
    lesson_no: int
    subject: int  # subject id
    subgroup: str
    teacher: int | None
    valid_to: dt.date


def add_timetable(
    rows: Rows,
    ids: Ids,
    school: SchoolPlan,
    units: list[Unit],
    placements: dict[int, Placement],
    year: SchoolYear,
    copies: int,
) -> list[Lesson]:
    """Write each placed unit as one entry per lesson (and subgroup) for every copy."""
    lessons: list[Lesson] = []
    for copy in range(1, copies + 1):
        for placement in sorted(placements.values(), key=lambda p: p.unit):
            unit = units[placement.unit]
            group = school.groups[unit.group]
            valid_to = year.last_bell if group.final else year.s2_end
            subgroups = ("A", "B") if unit.split and len(unit.teachers) == 2 else ("",)
            for pair in range(placement.pair, placement.pair + unit.pairs):
                for half, lesson_no in enumerate((2 * pair - 1, 2 * pair)):
                    subject = unit.lesson_subjects[half] if unit.class_hour else unit.subject
                    for position, subgroup in enumerate(subgroups):
                        teacher = (
                            ids.staff.get((copy, unit.teachers[position]))
                            if unit.teachers
                            else None
                        )
                        room = placement.rooms[min(position, len(placement.rooms) - 1)]
                        entry = Lesson(
                            ids.groups[copy, unit.group],
                            placement.day,
                            lesson_no,
                            ids.subjects[subject],
                            subgroup,
                            teacher,
                            valid_to,
                        )
                        rows.add(
                            TimetableEntry,
                            group_id=entry.group,
                            weekday=entry.weekday,
                            lesson_no=lesson_no,
                            subgroup=subgroup,
                            week_parity="",
                            subject_id=entry.subject,
                            teacher_id=teacher,
                            room_id=ids.rooms[copy, room],
                            valid_from=year.year_start,
                            valid_to=valid_to,
                        )
                        lessons.append(entry)
    return lessons


def add_holidays(rows: Rows, year: SchoolYear) -> None:
    for holiday in year.holiday_rows():
        rows.add(Holiday, **holiday)


def current_week(today: dt.date) -> list[dt.date]:
    monday = today - dt.timedelta(days=today.weekday())
    return [monday + dt.timedelta(days=n) for n in range(5)]


def add_changes(
    rows: Rows,
    config: DemoConfig,
    lessons: list[Lesson],
    year: SchoolYear,
    today: dt.date,
    rng: random.Random,
) -> None:
    """Changes in the week that holds today and the next one, of every kind."""
    section = config.assumed["timetable_changes"]
    kinds, kind_weights = weights(section["types"])
    reasons = [(text, float(weight)) for _key, text, weight in section["reasons"]]
    low, high = pair_range(section["weekly_rate"])
    teachers = sorted({lesson.teacher for lesson in lessons if lesson.teacher})
    room_ids = [row["id"] for row in rows.of(Room) if row["kind"] == "classroom"]
    by_day: dict[int, list[Lesson]] = defaultdict(list)
    for lesson in lessons:
        by_day[lesson.weekday].append(lesson)
    taken: set[tuple[dt.date, int, int, str]] = set()
    for day in current_week(today) + current_week(today + dt.timedelta(days=7)):
        if year.is_day_off(day):
            continue
        todays = [lesson for lesson in by_day[day.isoweekday()] if lesson.valid_to >= day]
        for lesson in rng.sample(todays, int(len(todays) * rng.uniform(low, high))):
            key = (day, lesson.group, lesson.lesson_no, lesson.subgroup)
            if key in taken:
                continue
            taken.add(key)
            kind = rng.choices(kinds, kind_weights)[0]
            values: dict[str, object] = {
                "date": day,
                "group_id": lesson.group,
                "lesson_no": lesson.lesson_no,
                "subgroup": lesson.subgroup,
                "change_type": kind,
                "subject_id": lesson.subject,
                "reason": rng.choices([r for r, _ in reasons], [w for _, w in reasons])[0],
            }
            if kind == ChangeType.SUBSTITUTE:
                values["new_teacher_id"] = rng.choice([t for t in teachers if t != lesson.teacher])
            elif kind == ChangeType.ROOM and room_ids:
                values["new_room_id"] = rng.choice(room_ids)
            elif kind == ChangeType.MOVED:
                later = day + dt.timedelta(days=rng.choice([1, 2, 7]))
                while year.is_day_off(later):
                    later += dt.timedelta(days=1)
                values["moved_to_date"] = later
                values["moved_to_lesson"] = rng.choice([7, 8])
            elif kind == ChangeType.ADDED:
                values["lesson_no"] = 9
                values["new_teacher_id"] = lesson.teacher
                if (day, lesson.group, 9, lesson.subgroup) in taken:
                    continue
                taken.add((day, lesson.group, 9, lesson.subgroup))
            rows.add(TimetableChange, **values)


def add_consultations(
    rows: Rows,
    ids: Ids,
    config: DemoConfig,
    staffing: Staffing,
    year: SchoolYear,
    today: dt.date,
    copies: int,
    rng: random.Random,
) -> None:
    """A weekly slot for every teacher (some have two), the services, and a few cancellations."""
    section = config.assumed["consultations"]
    minutes = int(section["minutes"])
    rooms_by_building: dict[int, list[int]] = defaultdict(list)
    for room in rows.of(Room):
        if room["kind"] == "classroom":
            rooms_by_building[room["building_id"]].append(room["id"])
    slots: list[int] = []
    for copy in range(1, copies + 1):
        for member in staffing.teachers:
            staff_id = ids.staff[copy, member.index]
            building = ids.buildings.get(member.building or "STR16", ids.buildings["STR16"])
            options = rooms_by_building.get(building) or rooms_by_building[ids.buildings["STR16"]]
            count = 2 if rng.random() < float(section["second_slot_share"]) else 1
            for weekday in rng.sample([int(d) for d in section["weekdays"]], count):
                start = rng.choice(section["starts"])
                end = (dt.datetime.combine(today, start) + dt.timedelta(minutes=minutes)).time()
                kind = (
                    SlotKind.INDIVIDUAL_WORK
                    if rng.random() < float(section["individual_work_share"]) and count == 2
                    else SlotKind.CONSULTATION
                )
                slots.append(
                    rows.add(
                        ConsultationSlot,
                        staff_id=staff_id,
                        service_name="",
                        kind=kind,
                        weekday=weekday,
                        start=start,
                        end=end,
                        room_id=rng.choice(options),
                        valid_from=year.year_start,
                        valid_to=year.s2_end,
                        note="",
                        anonymous_allowed=False,
                        booking_required=False,
                    )
                )
    _add_services(rows, ids, section, year)
    reasons = list(section["cancellation_reasons"])
    by_id = {row["id"]: row for row in rows.of(ConsultationSlot)}
    for day in current_week(today) + current_week(today + dt.timedelta(days=7)):
        if year.is_day_off(day):
            continue
        todays = [s for s in slots if by_id[s]["weekday"] == day.isoweekday()]
        share = float(section["weekly_cancellation_share"]) * 2
        for slot in rng.sample(todays, min(len(todays), max(1, int(len(todays) * share)))):
            rows.add(ConsultationCancellation, slot_id=slot, date=day, reason=rng.choice(reasons))


def _add_services(rows: Rows, ids: Ids, section: dict[str, Any], year: SchoolYear) -> None:
    """The school's services (library, psychologist, ...) with their weekly hours."""
    staff_by_role = _staff_by_role(rows, ids)
    for service in section["services"]:
        _key, name, kind, staff_key, room_type, building, weekday, start, end, anon, booking = (
            service
        )
        service_staff = staff_by_role.get(staff_key) or ids.admins.get(staff_key)
        service_room = _room_of_kind(rows, ids.buildings[building], room_type)
        rows.add(
            ConsultationSlot,
            staff_id=service_staff,
            service_name=name,
            kind=kind,
            weekday=int(weekday),
            start=start,
            end=end,
            room_id=service_room,
            valid_from=year.year_start,
            valid_to=year.s2_end,
            note="",
            anonymous_allowed=bool(anon),
            booking_required=bool(booking),
        )


def _staff_by_role(rows: Rows, ids: Ids) -> dict[str, int]:
    found: dict[str, int] = {}
    for assignment in rows.of(StaffRoleAssignment):
        found.setdefault(assignment["role"], assignment["staff_id"])
    return found


def _room_of_kind(rows: Rows, building: int, kind: str) -> int | None:
    rooms = rows.of(Room)
    exact = [r["id"] for r in rooms if r["building_id"] == building and r["kind"] == kind]
    if exact:
        return int(exact[0])
    classrooms = [
        r["id"] for r in rooms if r["building_id"] == building and r["kind"] == "classroom"
    ]
    return int(classrooms[0]) if kind and classrooms else None

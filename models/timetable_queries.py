"""A group's, teacher's or room's lessons on given days, with the day's changes applied."""

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum

from models.name_search import find_names
from models.text import group_key
from models.timetable import ChangeType
from models.timetable_snapshot import Change, Entry, TimetableSnapshot

MAX_DAYS = 14  # one request never spans more than two weeks


class TargetKind(StrEnum):
    GROUP = "g"
    TEACHER = "t"
    ROOM = "r"


@dataclass(frozen=True)
class Target:
    """Whose timetable: a group, a teacher or a room, by id, with a name to show."""

    kind: TargetKind
    id: int
    name: str


@dataclass
class Lesson:
    """One lesson as it will really happen (or not), for display."""

    lesson_no: int
    start: dt.time | None
    end: dt.time | None
    subject: str
    teacher: str
    room: str
    building: str
    group: str
    subgroup: str = ""
    change: str = ""  # a ChangeType, or "" for an ordinary lesson
    was: str = ""  # the teacher or room before a change
    moved_to: str = ""  # where a moved lesson went
    moved_from: str = ""  # where a lesson moved here came from
    reason: str = ""


@dataclass
class Day:
    """One date: its lessons in order, or why there are none."""

    date: dt.date
    lessons: list[Lesson] = field(default_factory=list)
    holiday: str = ""  # the holiday's name; weekends are told by the date

    @property
    def is_off(self) -> bool:
        return bool(self.holiday) or self.date.isoweekday() > 5


def find_targets(snapshot: TimetableSnapshot, text: str, *, limit: int = 5) -> list[Target]:
    """Find groups, rooms or teachers a person means: 'am21', 'STR16-204', 'Ozols', 'Озолс'."""
    text = text.strip()[:100]
    if not text:
        return []
    group_id = snapshot.group_keys.get(group_key(text))
    if group_id is not None:
        return [Target(TargetKind.GROUP, group_id, snapshot.groups[group_id])]
    room_id = snapshot.room_codes.get(text.upper())
    if room_id is not None:
        return [Target(TargetKind.ROOM, room_id, snapshot.places[room_id].room)]
    found = find_names(text, snapshot.staff_keys, limit=limit)
    return [Target(TargetKind.TEACHER, ident, snapshot.staff[ident]) for ident in found]


def get_target(snapshot: TimetableSnapshot, kind: TargetKind, ident: int) -> Target | None:
    """Name a target from callback data (it may be gone since the button was made)."""
    if kind is TargetKind.GROUP:
        name = snapshot.groups.get(ident)
    elif kind is TargetKind.ROOM:
        place = snapshot.places.get(ident)
        name = place.room if place else None
    else:
        name = snapshot.staff.get(ident)
    return Target(kind, ident, name) if name is not None else None


def list_days(
    snapshot: TimetableSnapshot, target: Target, first: dt.date, last: dt.date
) -> list[Day]:
    """Return every date from first to last (two weeks at most) with the target's lessons."""
    last = min(last, first + dt.timedelta(days=MAX_DAYS - 1))
    days = []
    for offset in range((last - first).days + 1):
        day = Day(first + dt.timedelta(days=offset))
        day.holiday = snapshot.holiday_on(day.date)
        if not day.is_off:
            day.lessons = _lessons_of(snapshot, target, day.date)
        days.append(day)
    return days


@dataclass
class _Slot:
    """A lesson with the ids that decide whose timetable it belongs to."""

    lesson: Lesson
    teacher_id: int | None
    room_id: int | None
    was_teacher_id: int | None = None
    was_room_id: int | None = None

    def concerns(self, target: Target) -> bool:
        if target.kind is TargetKind.TEACHER:
            return target.id in (self.teacher_id, self.was_teacher_id)
        if target.kind is TargetKind.ROOM:
            return target.id in (self.room_id, self.was_room_id)
        return True


def _lessons_of(snapshot: TimetableSnapshot, target: Target, day: dt.date) -> list[Lesson]:
    if target.kind is TargetKind.GROUP:
        groups = {target.id}
    else:
        named = (
            c.group_id
            for changes in snapshot.changes.get(day, {}).values()
            for c in changes
            if target.id
            == (c.new_teacher_id if target.kind is TargetKind.TEACHER else c.new_room_id)
        )
        usual = (
            snapshot.teacher_groups if target.kind is TargetKind.TEACHER else snapshot.room_groups
        )
        groups = usual.get(target.id, set()) | set(named)
    slots = [
        slot
        for group_id in groups
        for slot in _group_day(snapshot, group_id, day)
        if slot.concerns(target)
    ]
    lessons = [slot.lesson for slot in slots]
    return sorted(lessons, key=lambda lesson: (lesson.lesson_no, lesson.group, lesson.subgroup))


def _group_day(snapshot: TimetableSnapshot, group_id: int, day: dt.date) -> list[_Slot]:
    """The group's lessons on a day as they will really happen."""
    entries = snapshot.entries.get(group_id, [])
    slots = {
        (e.lesson_no, e.subgroup): _slot(
            snapshot, group_id, e.lesson_no, e.subgroup, e.subject_id, e.teacher_id, e.room_id
        )
        for e in entries
        if e.runs_on(day)
    }
    for change in snapshot.changes.get(day, {}).get(group_id, []):
        key = (change.lesson_no, change.subgroup)
        if change.change_type == ChangeType.ADDED:
            slots[key] = _slot(
                snapshot,
                group_id,
                change.lesson_no,
                change.subgroup,
                change.subject_id,
                change.new_teacher_id,
                change.new_room_id,
            )
        slot = slots.get(key)
        if slot is None:
            continue  # a change to a lesson the group does not have that day
        slot.lesson.change, slot.lesson.reason = change.change_type, change.reason
        if change.change_type == ChangeType.SUBSTITUTE and change.new_teacher_id:
            slot.was_teacher_id, slot.teacher_id = slot.teacher_id, change.new_teacher_id
            slot.lesson.was = slot.lesson.teacher
            slot.lesson.teacher = snapshot.staff.get(change.new_teacher_id, "")
            if change.subject_id:
                slot.lesson.subject = snapshot.subjects.get(change.subject_id, "")
        elif change.change_type == ChangeType.ROOM and change.new_room_id:
            slot.was_room_id, slot.room_id = slot.room_id, change.new_room_id
            slot.lesson.was = slot.lesson.room
            place = snapshot.places.get(change.new_room_id)
            slot.lesson.room = place.room if place else ""
            slot.lesson.building = place.building if place else ""
        elif change.change_type == ChangeType.MOVED and change.moved_to_date:
            slot.lesson.moved_to = _when(change.moved_to_date, change.moved_to_lesson)
    for change in snapshot.moved_in.get(day, {}).get(group_id, []):
        moved = _moved_here(snapshot, entries, change)
        if moved is not None:
            slots[(moved.lesson.lesson_no, change.subgroup)] = moved
    return list(slots.values())


def _moved_here(snapshot: TimetableSnapshot, entries: list[Entry], change: Change) -> _Slot | None:
    """The lesson a 'moved' change brings to its new date, as the original would have been."""
    original = next(
        (
            e
            for e in entries
            if e.runs_on(change.date)
            and (e.lesson_no, e.subgroup) == (change.lesson_no, change.subgroup)
        ),
        None,
    )
    if original is None:
        return None
    lesson_no = change.moved_to_lesson if change.moved_to_lesson is not None else change.lesson_no
    slot = _slot(
        snapshot,
        original.group_id,
        lesson_no,
        original.subgroup,
        original.subject_id,
        original.teacher_id,
        original.room_id,
    )
    slot.lesson = replace(
        slot.lesson,
        change=ChangeType.MOVED,
        reason=change.reason,
        moved_from=_when(change.date, change.lesson_no),
    )
    return slot


def _when(day: dt.date, lesson_no: int | None) -> str:
    return f"{day:%d.%m.}" + (f" {lesson_no}." if lesson_no is not None else "")


def _slot(
    snapshot: TimetableSnapshot,
    group_id: int,
    lesson_no: int,
    subgroup: str,
    subject_id: int | None,
    teacher_id: int | None,
    room_id: int | None,
) -> _Slot:
    place = snapshot.places.get(room_id) if room_id is not None else None
    bell = snapshot.bell(lesson_no, place.building_code if place else "")
    lesson = Lesson(
        lesson_no=lesson_no,
        start=bell[0] if bell else None,
        end=bell[1] if bell else None,
        subject=snapshot.subjects.get(subject_id, "") if subject_id else "",
        teacher=snapshot.staff.get(teacher_id, "") if teacher_id else "",
        room=place.room if place else "",
        building=place.building if place else "",
        group=snapshot.groups.get(group_id, ""),
        subgroup=subgroup,
    )
    return _Slot(lesson, teacher_id, room_id)

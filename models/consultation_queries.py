"""Consultation hours: find a teacher or a service, and their slots with what is next."""

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models.consultations import ConsultationCancellation, ConsultationSlot, SlotKind
from models.name_search import find_names, match_names
from models.school import Building, Room
from models.text import fold
from models.timetable_snapshot import TimetableSnapshot

# Words (after fold()) that name a service rather than a person, in our three languages.
SERVICE_WORDS = {
    SlotKind.PSYCHOLOGIST: ("psiholog", "psixolog", "psycholog"),
    SlotKind.CAREER: ("karjer", "kar'er", "career"),
    SlotKind.PARAMEDIC: ("feldser", "fel'dsher", "paramedic", "medic", "medmas"),
    SlotKind.LIBRARY: ("bibliotek", "library"),
}


@dataclass(frozen=True)
class Owner:
    """Whose hours: a staff member, or a service by its kind."""

    staff_id: int | None
    kind: str
    name: str


@dataclass
class Slot:
    """One weekly slot, with the next date it takes place and whether it is on now."""

    weekday: int
    start: dt.time
    end: dt.time
    kind: str
    room: str
    building: str
    note: str
    next_date: dt.date | None
    now_on: bool
    cancelled: list[tuple[dt.date, str]] = field(default_factory=list)


def service_kind(text: str) -> str | None:
    """Tell whether the text asks for a service such as the psychologist."""
    folded = fold(text)
    for kind, stems in SERVICE_WORDS.items():
        if any(stem in folded for stem in stems):
            return kind
    return None


def find_owners(snapshot: TimetableSnapshot, text: str, *, limit: int = 6) -> list[Owner]:
    """Find the teachers (or the service) a person means by a name, a subject, or a kind."""
    text = text.strip()[:100]
    kind = service_kind(text)
    if kind is not None:
        return [Owner(None, kind, "")]
    found = find_names(text, snapshot.staff_keys, limit=limit)
    if not found:  # a subject: the active teachers who teach it
        subjects = match_names(text, snapshot.subject_keys, limit=3)
        teachers = {t for s in subjects for t in snapshot.subject_teachers.get(s, set())}
        found = sorted(teachers & snapshot.staff_keys.keys(), key=snapshot.staff_keys.__getitem__)
    return [Owner(ident, "", snapshot.staff[ident]) for ident in found[:limit]]


def teachers_of_group(snapshot: TimetableSnapshot, group_id: int) -> list[Owner]:
    """The active teachers on a group's timetable, by name."""
    teachers = {e.teacher_id for e in snapshot.entries.get(group_id, []) if e.teacher_id}
    active = sorted(teachers & snapshot.staff_keys.keys(), key=snapshot.staff_keys.__getitem__)
    return [Owner(ident, "", snapshot.staff[ident]) for ident in active]


async def list_slots(
    session: AsyncSession, owners: list[Owner], *, now: dt.datetime
) -> dict[Owner, list[Slot]]:
    """Each owner's slots valid now, with the next date, 'now on' and cancellations ahead."""
    today = now.date()
    staff_ids = [o.staff_id for o in owners if o.staff_id is not None]
    kinds = [o.kind for o in owners if o.staff_id is None]
    rows = (
        await session.execute(
            select(ConsultationSlot, Room, Building)
            .outerjoin(Room, col(Room.id) == col(ConsultationSlot.room_id))
            .outerjoin(Building, col(Building.id) == col(Room.building_id))
            .where(
                col(ConsultationSlot.valid_from) <= today,
                col(ConsultationSlot.valid_to) >= today,
                col(ConsultationSlot.staff_id).in_(staff_ids)
                | (
                    col(ConsultationSlot.kind).in_(kinds)
                    & (col(ConsultationSlot.service_name) != "")
                ),
            )
            .order_by(col(ConsultationSlot.weekday), col(ConsultationSlot.start))
        )
    ).all()
    slot_ids = [slot.id for slot, _room, _building in rows]
    cancellations = (
        await session.execute(
            select(ConsultationCancellation).where(
                col(ConsultationCancellation.slot_id).in_(slot_ids),
                col(ConsultationCancellation.date) >= today,
                col(ConsultationCancellation.date) <= today + dt.timedelta(days=14),
            )
        )
    ).scalars()
    off: dict[int, list[tuple[dt.date, str]]] = {}
    for cancellation in cancellations:
        off.setdefault(cancellation.slot_id, []).append((cancellation.date, cancellation.reason))
    result: dict[Owner, list[Slot]] = {owner: [] for owner in owners}
    for slot, room, building in rows:
        owner = next((o for o in owners if _owns(o, slot)), None)
        if owner is not None:
            cancelled = sorted(off.get(slot.id or 0, []))
            result[owner].append(_slot(slot, room, building, cancelled, now=now))
    return result


def _slot(
    slot: ConsultationSlot,
    room: Room | None,
    building: Building | None,
    cancelled: list[tuple[dt.date, str]],
    *,
    now: dt.datetime,
) -> Slot:
    """One weekly slot as answers show it: where, when next, whether it is on now."""
    today, time_now = now.date(), now.time()
    skipped = {day for day, _reason in cancelled}
    return Slot(
        weekday=slot.weekday,
        start=slot.start,
        end=slot.end,
        kind=slot.kind,
        room=room.code if room else "",
        building=building.name if building else "",
        note=slot.note or slot.service_name,
        next_date=_next_date(slot, today, time_now, skipped),
        now_on=slot.weekday == today.isoweekday()
        and slot.start <= time_now < slot.end
        and today not in skipped,
        cancelled=cancelled,
    )


def _owns(owner: Owner, slot: ConsultationSlot) -> bool:
    if owner.staff_id is not None:
        return owner.staff_id == slot.staff_id
    return owner.kind == slot.kind and bool(slot.service_name)


def _next_date(
    slot: ConsultationSlot, today: dt.date, time_now: dt.time, skipped: set[dt.date]
) -> dt.date | None:
    for offset in range(0, 22):
        day = today + dt.timedelta(days=offset)
        if day.isoweekday() != slot.weekday or day in skipped or day > slot.valid_to:
            continue
        if offset == 0 and time_now >= slot.end:
            continue
        return day
    return None

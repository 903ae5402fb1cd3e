"""Place every unit in a weekly slot with no teacher, room or group clash (a small CSP)."""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass

from bot.demo.config import DemoConfig
from bot.demo.curriculum import Unit
from bot.demo.school import GroupPlan, SchoolPlan

Slot = tuple[int, int]  # (ISO weekday, pair)


class ScheduleError(RuntimeError):
    """The weekly plan cannot be placed without clashes."""


@dataclass(frozen=True)
class Placement:
    unit: int
    day: int
    pair: int  # the first pair; a block also takes pair + 1
    rooms: tuple[int, ...]  # one room per subgroup


def pair_minutes(config: DemoConfig) -> dict[int, tuple[int, int]]:
    """Start and end of each pair, in minutes after midnight, from the bell times."""
    lessons = {int(no): (start, end) for no, start, end in config.assumed["bells"]["lessons"]}
    result = {}
    for pair in range(1, len(lessons) // 2 + 1):
        start, end = lessons[2 * pair - 1][0], lessons[2 * pair][1]
        result[pair] = (start.hour * 60 + start.minute, end.hour * 60 + end.minute)
    return result


class Scheduler:
    """Occupancy of teachers, rooms and groups, and the search that fills one group's week."""

    def __init__(self, config: DemoConfig, school: SchoolPlan, units: list[Unit]) -> None:
        self.school, self.units = school, units
        self.minutes = pair_minutes(config)
        self.gap = int(config.assumed["bells"]["building_change_minutes"])
        self.teacher_day: dict[tuple[int, int], dict[int, str]] = defaultdict(dict)
        self.room_busy: dict[Slot, set[int]] = defaultdict(set)  # (day, pair) -> rooms
        self.room_building = [room.building for room in school.rooms]
        self.group_busy: set[tuple[int, int, int]] = set()
        self.rooms_at: dict[tuple[str, str], list[int]] = defaultdict(list)
        for room in school.rooms:
            self.rooms_at[room.building, room.type].append(room.index)
        self.buildings = sorted({room.building for room in school.rooms})
        self.placed: dict[int, Placement] = {}
        self._orders: dict[int, list[int]] = {}
        self.subject_days: dict[tuple[int, int], Counter[int]] = defaultdict(Counter)

    # -- occupancy ---------------------------------------------------------------------------
    def _pairs(self, unit: Unit, pair: int) -> range:
        return range(pair, pair + unit.pairs)

    def commit(self, placement: Placement) -> None:
        unit = self.units[placement.unit]
        for pair in self._pairs(unit, placement.pair):
            self.group_busy.add((unit.group, placement.day, pair))
            for teacher, room in zip(unit.teachers, placement.rooms, strict=True):
                self.teacher_day[teacher, placement.day][pair] = self.school.rooms[room].building
                self.room_busy[placement.day, pair].add(room)
        self.placed[placement.unit] = placement
        self.subject_days[unit.group, unit.subject][placement.day] += 1

    def release(self, placement: Placement) -> None:
        unit = self.units[placement.unit]
        for pair in self._pairs(unit, placement.pair):
            self.group_busy.discard((unit.group, placement.day, pair))
            for teacher, room in zip(unit.teachers, placement.rooms, strict=True):
                del self.teacher_day[teacher, placement.day][pair]
                self.room_busy[placement.day, pair].discard(room)
        del self.placed[placement.unit]
        self.subject_days[unit.group, unit.subject][placement.day] -= 1

    def teacher_free(self, teacher: int, day: int, pairs: range, building: str) -> bool:
        busy = self.teacher_day.get((teacher, day))
        if not busy:
            return True
        first, last = self.minutes[pairs[0]][0], self.minutes[pairs[-1]][1]
        for pair, where in busy.items():
            if pair in pairs:
                return False
            if where != building:
                start, end = self.minutes[pair]
                gap = first - end if end <= first else start - last
                if gap < self.gap:
                    return False
        return True

    # -- rooms ---------------------------------------------------------------------------------
    def _room_order(self, unit: Unit, group: GroupPlan) -> list[int]:
        cached = self._orders.get(unit.index)
        if cached is None:
            cached = self._orders[unit.index] = self._compute_room_order(unit, group)
        return cached

    def _compute_room_order(self, unit: Unit, group: GroupPlan) -> list[int]:
        buildings = [group.building]
        if unit.any_building:
            buildings += [b for b in self.buildings if b != group.building]
        need = -(-group.size // 2) if unit.split else group.size
        order: list[int] = []
        for building in buildings:
            for type_ in unit.room_types:
                order += self.rooms_at.get((building, type_), [])
        fits = [r for r in order if (self.school.rooms[r].capacity or need) >= need]
        return fits + [r for r in order if r not in fits]

    # -- search --------------------------------------------------------------------------------
    def options(
        self, unit: Unit, group: GroupPlan, pattern: set[Slot], relax: bool
    ) -> list[Placement]:
        result = []
        days_used = self.subject_days[unit.group, unit.subject]
        for day, pair in sorted(pattern):
            if unit.pairs == 2 and (pair not in (1, 3) or (day, pair + 1) not in pattern):
                continue
            if any((unit.group, day, p) in self.group_busy for p in range(pair, pair + unit.pairs)):
                continue
            if not relax and days_used[day]:
                continue
            rooms = self._rooms_at_pair(unit, group, day, pair)
            if rooms is not None:
                result.append(Placement(unit.index, day, pair, rooms))
        return result

    def _rooms_at_pair(
        self, unit: Unit, group: GroupPlan, day: int, pair: int
    ) -> tuple[int, ...] | None:
        span = range(pair, pair + unit.pairs)
        busy = [self.room_busy.get((day, p), set()) for p in span]
        chosen: list[int] = []
        for teacher in unit.teachers:
            own = self.teacher_day.get((teacher, day))
            if own and any(p in own for p in span):
                return None
            allowed: dict[str, bool] = {}
            for room in self._room_order(unit, group):
                if room in chosen or any(room in rooms for rooms in busy):
                    continue
                building = self.room_building[room]
                if building not in allowed:
                    allowed[building] = self.teacher_free(teacher, day, span, building)
                if allowed[building]:
                    chosen.append(room)
                    break
            else:
                return None
        return tuple(chosen)

    def place_group(
        self,
        units: list[Unit],
        group: GroupPlan,
        pattern: set[Slot],
        rng: random.Random,
        *,
        relax: bool,
        budget: int = 400,
    ) -> bool:
        """Fill the group's pattern with its units (backtracking, fewest options first)."""
        remaining = list(units)
        stack: list[Placement] = []
        nodes = 0

        def search() -> bool:
            nonlocal nodes
            if not remaining:
                return True
            nodes += 1
            if nodes > budget:
                return False
            free = {slot for slot in pattern if (group.index, *slot) not in self.group_busy}
            best: tuple[Unit, list[Placement]] | None = None
            for unit in remaining:
                found = self.options(unit, group, free, relax)
                if best is None or len(found) < len(best[1]):
                    best = (unit, found)
                if not found:
                    return False
            assert best is not None
            unit, found = best
            rng.shuffle(found)
            remaining.remove(unit)
            for placement in found:
                self.commit(placement)
                stack.append(placement)
                if search():
                    return True
                stack.pop()
                self.release(placement)
            remaining.append(unit)
            return False

        if search():
            return True
        for placement in stack:
            self.release(placement)
        return False

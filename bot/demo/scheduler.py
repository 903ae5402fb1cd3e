"""Place every unit in a weekly slot with no teacher, room or group clash (a small CSP)."""

import random
from collections import Counter, defaultdict
from collections.abc import Callable
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


def day_pattern(group: GroupPlan, pairs: int, days: int, rng: random.Random) -> set[Slot]:
    """Choose which pairs the group has each day: 3-4 a day, no holes."""
    base, extra = divmod(pairs, days)
    longer = set(rng.sample(range(1, days + 1), extra))
    pattern: set[Slot] = set()
    for day in range(1, days + 1):
        count = base + (day in longer)
        first = 1 if count >= 4 or rng.random() < 0.5 else 4 - count + 1
        pattern.update((day, pair) for pair in range(first, first + count))
    return pattern


class _WeekBuilder:
    """Fill every group's week: workshop blocks of all groups first, then the single pairs."""

    def __init__(
        self,
        config: DemoConfig,
        school: SchoolPlan,
        units: list[Unit],
        rng: random.Random,
        swap: Callable[[Unit], bool] | None,
    ) -> None:
        self.school, self.rng, self.swap = school, rng, swap
        self.scheduler = Scheduler(config, school, units)
        self.prison_days = int(config.assumed["curriculum"]["prison_days"])
        self.by_group: dict[int, list[Unit]] = defaultdict(list)
        for unit in units:
            self.by_group[unit.group].append(unit)
        self.patterns: dict[int, set[Slot]] = {}

    def new_pattern(self, group: GroupPlan) -> set[Slot]:
        total = sum(unit.pairs for unit in self.by_group[group.index])
        days = self.prison_days if group.prison else 5
        self.patterns[group.index] = day_pattern(group, total, days, self.rng)
        return self.patterns[group.index]

    def place(self, group: GroupPlan, units: list[Unit], relax: bool) -> bool:
        pattern = self.patterns[group.index]
        return self.scheduler.place_group(units, group, pattern, self.rng, relax=relax)

    def release(self, group: GroupPlan) -> None:
        for unit in self.by_group[group.index]:
            if unit.index in self.scheduler.placed:
                self.scheduler.release(self.scheduler.placed[unit.index])

    def blocks(self, group: GroupPlan) -> list[Unit]:
        return [unit for unit in self.by_group[group.index] if unit.pairs == 2]

    def singles(self, group: GroupPlan) -> list[Unit]:
        return [unit for unit in self.by_group[group.index] if unit.pairs == 1]

    def hardest(self, group: GroupPlan) -> list[Unit]:
        """The group's units, those with the fewest places in its week first."""
        free = self.patterns[group.index]
        return sorted(
            self.by_group[group.index],
            key=lambda u: (len(self.scheduler.options(u, group, free, True)), -u.pairs, u.index),
        )

    def whole_group(self, group: GroupPlan, attempts: int) -> bool:
        """Place one group from scratch: a new pattern, its blocks, then its single pairs."""
        for attempt in range(attempts):
            self.release(group)
            self.new_pattern(group)
            relax = attempt % 4 >= 2
            if self.place(group, self.blocks(group), relax) and self.place(
                group, self.singles(group), relax
            ):
                return True
            if attempt % 4 == 3 and self.swap is not None:
                self.release(group)
                if not any(self.swap(unit) for unit in self.hardest(group)):
                    return False
        return False

    def run(self, groups: list[GroupPlan]) -> None:
        order = sorted(groups, key=self._difficulty)
        for group in order:
            self.new_pattern(group)
            for _attempt in range(8):
                if self.place(group, self.blocks(group), relax=True):
                    break
                self.new_pattern(group)
            else:
                if not self.whole_group(group, 40):
                    raise ScheduleError(f"cannot place the workshop blocks of {group.code}")
        done: list[GroupPlan] = []
        for group in order:
            placed = (
                self.place(group, self.singles(group), relax=False)
                or self.place(group, self.singles(group), relax=True)
                or self.bump(group, done)
                or self.whole_group(group, 40)
            )
            if not placed:
                raise ScheduleError(f"cannot place the week of group {group.code}")
            done.append(group)

    def bump(self, group: GroupPlan, done: list[GroupPlan]) -> bool:
        """Make room: re-place the single pairs of a group sharing teachers with this one."""
        mine = {t for unit in self.by_group[group.index] for t in unit.teachers}
        shared = [
            (len(mine & {t for u in self.singles(other) for t in u.teachers}), other.index, other)
            for other in done
        ]
        for count, _index, other in sorted(shared, key=lambda row: (-row[0], row[1]))[:6]:
            if not count:
                break
            old = [self.scheduler.placed[u.index] for u in self.singles(other)]
            for placement in old:
                self.scheduler.release(placement)
            if self.place(group, self.singles(group), relax=True):
                if self.place(other, self.singles(other), relax=True):
                    return True
                for unit in self.singles(group):
                    self.scheduler.release(self.scheduler.placed[unit.index])
            for placement in old:
                self.scheduler.commit(placement)
        return False

    def _difficulty(self, group: GroupPlan) -> tuple[bool, int, float]:
        units = self.by_group[group.index]
        hard = sum(unit.pairs * (2 if unit.split else 1) for unit in units)
        return (not group.prison, -hard, self.rng.random())


def schedule_week(
    config: DemoConfig,
    school: SchoolPlan,
    units: list[Unit],
    rng: random.Random,
    *,
    swap: Callable[[Unit], bool] | None = None,
) -> dict[int, Placement]:
    """Place every unit of every group with no clash.

    When a group's week cannot be filled, `swap(unit)` may hand the hardest unit to another
    teacher (it returns whether it did) and the group is tried again.
    """
    for attempt in range(6):
        builder = _WeekBuilder(config, school, units, rng, swap)
        try:
            builder.run(school.groups)
        except ScheduleError:
            if attempt == 5:
                raise
            continue
        return dict(builder.scheduler.placed)
    raise AssertionError("unreachable")


def reschedule(
    config: DemoConfig,
    school: SchoolPlan,
    units: list[Unit],
    rng: random.Random,
    *,
    keep: dict[int, Placement],
    groups: set[int],
    share: float,
) -> dict[int, Placement]:
    """A later version of the week: move about `share` of each group's units, keep the rest.

    Only the given groups take part; a group whose moved units find no new places keeps its
    old week.
    """
    scheduler = Scheduler(config, school, units)
    placements = {u: p for u, p in keep.items() if units[u].group in groups}
    for placement in placements.values():
        scheduler.commit(placement)
    for group_index in sorted(groups):
        group = school.groups[group_index]
        own = [units[u] for u in sorted(placements) if units[u].group == group_index]
        moved = [unit for unit in own if rng.random() < share]
        old = [placements[unit.index] for unit in moved]
        pattern: set[Slot] = set()
        for placement in old:
            scheduler.release(placement)
            unit = units[placement.unit]
            pattern.update(
                (placement.day, p) for p in range(placement.pair, placement.pair + unit.pairs)
            )
        blocks_first = sorted(moved, key=lambda unit: -unit.pairs)
        if not scheduler.place_group(blocks_first, group, pattern, rng, relax=True):
            for placement in old:
                scheduler.commit(placement)
    return dict(scheduler.placed)

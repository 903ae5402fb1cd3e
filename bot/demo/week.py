"""The demo school's week: each group's day pattern, placed by the scheduler, and rescheduled."""

import random
from collections import defaultdict
from collections.abc import Callable

from bot.demo.config import DemoConfig
from bot.demo.curriculum import Unit
from bot.demo.scheduler import Placement, ScheduleError, Scheduler, Slot
from bot.demo.school import GroupPlan, SchoolPlan


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

"""Each group's weekly plan as scheduling units: pairs, workshop blocks, split subgroups."""

from dataclasses import dataclass, field
from typing import Any

from bot.demo.config import DemoConfig
from bot.demo.school import CLASS_HOUR, PRACTICAL, GroupPlan, SchoolPlan


@dataclass
class Unit:
    """One weekly lesson pair (or a block of two pairs) of one group."""

    index: int
    group: int
    subject: int
    pairs: int  # 1, or 2 for a workshop block
    split: bool  # subgroups A and B at the same time, each with its own teacher and room
    room_types: tuple[str, ...]  # in order of preference
    any_building: bool  # may be held outside the group's home building
    class_hour: bool = False  # lesson 1 is the class hour, lesson 2 the tutor's subject
    second_subject: int | None = None
    teachers: list[int] = field(default_factory=list)  # staff indices: one, or A and B

    @property
    def lesson_subjects(self) -> tuple[int, int]:
        """The subjects of the pair's first and second lesson."""
        second = self.second_subject if self.second_subject is not None else self.subject
        return self.subject, second


def _room_types(
    config: DemoConfig, group: GroupPlan, name: str, block: str
) -> tuple[tuple[str, ...], bool]:
    rooms = config.assumed["subjects"]["rooms"]
    if group.prison:
        return ("prison_room",), False
    if block == PRACTICAL:
        practical = config.assumed["subjects"]["practical_rooms"]
        return tuple(practical[group.speciality]), True
    if block == CLASS_HOUR:
        return tuple(rooms["default"]), False
    if block == "vocational":
        if group.speciality in rooms["computer_modules"]:
            return tuple(rooms["computer_module_rooms"]), False
        if name in rooms["computer_subjects"]:
            return ("computer_class", "classroom"), False
        if group.speciality == "LD":
            return tuple(rooms["logistics_rooms"]), False
        return tuple(rooms["default"]), False
    types = tuple(rooms.get(name, rooms["default"]))
    return types, types[0] in ("computer_class", "sports_hall")


def _entries(config: DemoConfig, group: GroupPlan) -> list[Any]:
    curriculum = config.assumed["curriculum"]
    if group.prison:
        return list(curriculum["prison"])
    if group.kind == "adult":
        return list(curriculum["adult"])
    return list(curriculum[f"course{min(group.course, 4)}"])


def build_units(config: DemoConfig, school: SchoolPlan) -> list[Unit]:
    """Expand every group's curriculum into scheduling units."""
    section = config.assumed["subjects"]
    second_language = set(config.assumed["curriculum"]["second_language_specialities"])
    units: list[Unit] = []

    def add(group: GroupPlan, name: str, *, pairs: int = 1, split: bool = False) -> None:
        subject = school.subject(name)
        types, any_building = _room_types(config, group, name, subject.block)
        units.append(
            Unit(
                index=len(units),
                group=group.index,
                subject=subject.index,
                pairs=pairs,
                split=split and group.split,
                room_types=types,
                any_building=any_building,
                class_hour=subject.block == CLASS_HOUR,
            )
        )

    for group in school.groups:
        modules = school.modules[group.speciality]
        offset = (group.course - 1) * 3
        for entry in _entries(config, group):
            name, count = entry[0], int(entry[1])
            how = entry[2] if len(entry) > 2 else "whole"
            if name == "@language":
                if group.modular:
                    names = [section["modular_language"]] * count
                else:
                    names = ["Latviešu valoda", "Literatūra"][:count]
                for language in names:
                    add(group, language)
            elif name == "@modules":
                for number in range(count):
                    add(group, modules[(offset + number) % len(modules)])
            elif name == "@practical":
                for _ in range(count):
                    add(group, section["practical"], pairs=2, split=True)
            elif name == "@class_hour":
                add(group, section["class_hour"])
            else:
                german = (
                    name == "Angļu valoda"
                    and how == "whole"
                    and group.course <= 2
                    and group.speciality in second_language
                    and group.kind != "adult"
                )
                for _ in range(count):
                    add(group, "Vācu valoda" if german else name, split=how == "split")
    return units

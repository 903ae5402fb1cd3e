"""The school's fixed structure: buildings, rooms, programmes, specialities, subjects, groups."""

import random
from dataclasses import dataclass, field

from bot.demo.config import DemoConfig, int_range
from models.text import fold

PRACTICAL = "practical"
CLASS_HOUR = "class"


@dataclass(frozen=True)
class RoomPlan:
    index: int  # position in one copy of the school
    code: str  # the first copy's code; copy k > 1 appends "/k"
    building: str
    kind: str  # classroom, computer_class, workshop, lab, sports_hall, ...
    type: str  # what the room is for: welding, hair_salon, ...; else the kind
    capacity: int | None


@dataclass(frozen=True)
class SubjectPlan:
    index: int
    code: str
    name_lv: str
    name_en: str
    block: str  # general / vocational / practical / class


@dataclass
class GroupPlan:
    index: int  # position in one copy of the school
    code: str  # the first copy's code
    speciality: str
    course: int
    size: int
    building: str
    kind: str  # four_year / three_year / adult / prison
    final: bool
    modular: bool
    specialities: list[tuple[str, int]] = field(default_factory=list)  # mixed groups
    split: bool = False  # languages, computer classes and workshops split into subgroups A/B

    @property
    def prison(self) -> bool:
        return self.kind == "prison"


@dataclass
class SchoolPlan:
    """Everything one copy of the school shares with the others."""

    rooms: list[RoomPlan]
    subjects: list[SubjectPlan]
    subject_index: dict[str, int]  # name_lv -> index
    groups: list[GroupPlan]
    modules: dict[str, list[str]]  # speciality -> module names
    commission_of: dict[str, str]  # speciality -> commission code

    def subject(self, name: str) -> SubjectPlan:
        return self.subjects[self.subject_index[name]]


def copy_group_code(code: str, copy: int) -> str:
    """Give copy k of a group a parallel number: AM-21 -> AM-2k, ELM-1 -> ELM-1k, PRV -> PRV-k."""
    if copy == 1:
        return code
    letters, _, digits = code.partition("-")
    return f"{letters}-{digits[:1]}{copy}" if digits else f"{letters}-{copy}"


def copy_code(code: str, copy: int) -> str:
    """Rooms and dormitory rooms of copy k > 1 carry the suffix "/k"."""
    return code if copy == 1 else f"{code}/{copy}"


def _slug(name: str) -> str:
    return "-".join(fold(name).replace(",", " ").split())


def _rooms(config: DemoConfig, rng: random.Random) -> list[RoomPlan]:
    section = config.assumed["rooms"]
    capacities = {kind: int_range(value) for kind, value in section["capacity"].items()}
    short = {
        "sports_hall": "SZ",
        "assembly_hall": "AZ",
        "library": "BIB",
        "class_7d": "7D",
        "medical": "MED",
        "psychologist": "PSI",
        "staff_room": "SKI",
        "prison_room": "101",
    }
    rooms: list[RoomPlan] = []

    def add(code: str, building: str, kind: str, type_: str) -> None:
        low_high = capacities.get(kind)
        capacity = rng.randint(*low_high) if low_high else None
        rooms.append(RoomPlan(len(rooms), code, building, kind, type_, capacity))

    for building, spec in section["buildings"].items():
        teaching = ["classroom"] * int(spec["classrooms"])
        teaching += ["computer_class"] * int(spec["computer_classes"])
        per_floor = -(-len(teaching) // 3) if teaching else 0
        for number, kind in enumerate(teaching):
            floor, position = divmod(number, per_floor)
            add(f"{building}-{floor + 1}{position + 1:02d}", building, kind, kind)
        for number, (type_, kind) in enumerate(spec["workshops"], start=1):
            add(f"{building}-DW{number}", building, kind, type_)
        for kind in spec["other"]:
            add(f"{building}-{short[kind]}", building, kind, kind)
    return rooms


def _subjects(config: DemoConfig) -> list[SubjectPlan]:
    section = config.assumed["subjects"]
    english = dict(section["english"])
    entries: list[tuple[str, str, str]] = [
        (name, name_en, "general") for name, name_en in section["general"]
    ]
    entries += [(name, name_en, block) for name, name_en, block in section["other"]]
    seen = {name for name, _, _ in entries}
    for modules in section["modules"].values():
        for name in modules:
            if name not in seen:
                seen.add(name)
                entries.append((name, english.get(name, ""), "vocational"))
    return [
        SubjectPlan(index, _slug(name), name, name_en, block)
        for index, (name, name_en, block) in enumerate(entries)
    ]


def _groups(config: DemoConfig) -> list[GroupPlan]:
    section = config.assumed["groups"]
    final = set(section["final"])
    modular = set(config.assumed["subjects"]["modular"])
    split_from = int(config.assumed["rooms"]["split_from_size"])
    groups: list[GroupPlan] = []
    for code, speciality, course, size, building, kind in section["list"]:
        mixed = [(spec, int(count)) for spec, count in section["mixed"].get(code, [])]
        group = GroupPlan(
            index=len(groups),
            code=code,
            speciality=speciality,
            course=int(course),
            size=int(size),
            building=building,
            kind=kind,
            final=code in final,
            modular=speciality in modular,
            specialities=mixed or [(speciality, int(size))],
        )
        group.split = group.size >= split_from and not group.prison
        groups.append(group)
    return groups


def build_school(config: DemoConfig, rng: random.Random) -> SchoolPlan:
    """Build the structure every copy of the school shares."""
    subjects = _subjects(config)
    return SchoolPlan(
        rooms=_rooms(config, rng),
        subjects=subjects,
        subject_index={subject.name_lv: subject.index for subject in subjects},
        groups=_groups(config),
        modules={k: list(v) for k, v in config.assumed["subjects"]["modules"].items()},
        commission_of={row[0]: row[5] for row in config.school["specialities"]},
    )

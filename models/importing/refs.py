"""Reference maps: codes, numbers and names in a file -> ids in the database, one query each."""

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz, process
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from models.i18n import N_
from models.importing.keys import code_key, name_key
from models.practice import Company
from models.school import Building, Programme, Room, Speciality, Staff, Student, StudyGroup, Subject
from models.text import group_key


class RefMap:
    """Look a written reference up by its key(s); suggest a near miss for an unknown one."""

    def __init__(self, keys: Callable[[str], Iterable[str]]) -> None:
        self._keys = keys
        self._ids: dict[str, int] = {}
        self._ambiguous: set[str] = set()
        self.labels: dict[int, str] = {}

    def add(self, ident: int, label: str, *extra_keys: str) -> None:
        """Register a row under its label's keys (and, if unique, under extra keys)."""
        self.labels[ident] = label
        for key in self._keys(label):
            self._ids[key] = ident
        for key in extra_keys:
            if key in self._ids and self._ids[key] != ident:
                self._ambiguous.add(key)
            self._ids.setdefault(key, ident)

    def find(self, text: str) -> int | None:
        """Return the id a written reference points at, or None."""
        for key in self._keys(text):
            if key in self._ids and key not in self._ambiguous:
                return self._ids[key]
        return None

    @cached_property
    def _choices(self) -> dict[int, str]:
        return {ident: next(iter(self._keys(label)), "") for ident, label in self.labels.items()}

    def suggest(self, text: str) -> str | None:
        """Return the label closest to an unknown reference, if one is close enough."""
        query = next(iter(self._keys(text)), "")
        if not query or not self._choices:
            return None
        found = process.extractOne(query, self._choices, scorer=fuzz.ratio, score_cutoff=75)
        return None if found is None else self.labels[found[2]]


@dataclass(frozen=True)
class Ref:
    """A kind of reference a column can hold: how to load it and what to say when unknown."""

    name: str
    type_name: str
    unknown: str
    load: Callable[[AsyncSession], Awaitable[RefMap]]


def _codes(text: str) -> tuple[str, ...]:
    return (code_key(text),)


def _group_codes(text: str) -> tuple[str, ...]:
    return (group_key(text),)


def _names(text: str) -> tuple[str, ...]:
    return (name_key(text),)


def _codes_or_names(text: str) -> tuple[str, ...]:
    return (code_key(text), "name:" + name_key(text))


async def _buildings(session: AsyncSession) -> RefMap:
    refs = RefMap(_codes)
    for ident, code in await session.execute(select(Building.id, Building.code)):
        refs.add(ident, code)
    return refs


async def _rooms(session: AsyncSession) -> RefMap:
    refs = RefMap(_codes)
    for ident, code in await session.execute(select(Room.id, Room.code)):
        refs.add(ident, code)
    return refs


async def _programmes(session: AsyncSession) -> RefMap:
    refs = RefMap(_codes)
    for ident, code in await session.execute(select(Programme.id, Programme.code)):
        refs.add(ident, code)
    return refs


async def _specialities(session: AsyncSession) -> RefMap:
    refs = RefMap(_codes)
    for ident, code in await session.execute(select(Speciality.id, Speciality.code)):
        refs.add(ident, code)
    return refs


async def _subjects(session: AsyncSession) -> RefMap:
    """Subjects by code, or by their Latvian or English name when that name is unique."""
    refs = RefMap(_codes_or_names)
    query = select(Subject.id, Subject.code, Subject.name_lv, Subject.name_en)
    for ident, code, name_lv, name_en in await session.execute(query):
        names = {"name:" + name_key(name) for name in (name_lv, name_en) if name}
        refs.add(ident, code, *names)
    return refs


async def _staff(session: AsyncSession) -> RefMap:
    """Staff by code, or by 'First Last' / 'Last First' when the name is unique."""
    refs = RefMap(_codes_or_names)
    query = select(Staff.id, Staff.code, Staff.first_name, Staff.last_name)
    for ident, code, first, last in await session.execute(query):
        refs.add(
            ident,
            code,
            "name:" + name_key(f"{first} {last}"),
            "name:" + name_key(f"{last} {first}"),
        )
    return refs


async def _groups(session: AsyncSession) -> RefMap:
    refs = RefMap(_group_codes)
    for ident, code in await session.execute(select(StudyGroup.id, StudyGroup.code)):
        refs.add(ident, code)
    return refs


async def _students(session: AsyncSession) -> RefMap:
    refs = RefMap(_codes)
    # The school's biggest list (tens of thousands): plain rows, without the ORM's loading.
    table = inspect(Student).local_table
    for ident, number in await session.execute(select(table.c.id, table.c.student_number)):
        refs.add(ident, number)
    return refs


async def _companies(session: AsyncSession) -> RefMap:
    refs = RefMap(_names)
    for ident, name in await session.execute(select(Company.id, Company.name)):
        refs.add(ident, name)
    return refs


BUILDINGS = Ref("buildings", "building code", N_("Unknown building: {value}."), _buildings)
ROOMS = Ref("rooms", "room code", N_("Unknown room: {value}."), _rooms)
PROGRAMMES = Ref("programmes", "programme code", N_("Unknown programme: {value}."), _programmes)
SPECIALITIES = Ref(
    "specialities", "speciality code", N_("Unknown speciality: {value}."), _specialities
)
SUBJECTS = Ref("subjects", "subject code or name", N_("Unknown subject: {value}."), _subjects)
STAFF = Ref("staff", "staff code or name", N_("Unknown staff member: {value}."), _staff)
GROUPS = Ref("groups", "group code", N_("Unknown group: {value}."), _groups)
STUDENTS = Ref("students", "student number", N_("Unknown student number: {value}."), _students)
COMPANIES = Ref("companies", "company name", N_("Unknown company: {value}."), _companies)

"""The demo school's guardians (demo_data.md §5.3) and the guardian persona.

Each minor gets one or two guardians (mother 70%, father 25%, another guardian 5%), with the
family's surname; an adult gets guardians only if they allowed sharing (30%). About 35% of
guardians are linked. The draws use their own generator, so the rest of a seed's school is
the same as without guardians.
"""

import datetime as dt
import random
from typing import Any

from bot.demo.cast import PERSONA_BASE
from bot.demo.config import DemoConfig
from bot.demo.names import NameMaker, family_forms
from bot.demo.people import Ids
from bot.demo.rows import Rows
from models.accounts import TelegramAccount
from models.demo import DemoPersona
from models.guardian_queries import is_adult
from models.guardians import GuardianConsent, Guardianship, Relation
from models.school import Student, StudentStatus, StudyGroup
from models.text import fold

GUARDIAN_BASE = 700_000_000  # Telegram ids of linked demo guardians
PERSONA_STUDENT = "slipping_first_year"  # demo_data.md §12: "guardian linked"
ADULT_SHARE, LINKED_SHARE, SECOND_SHARE = 0.30, 0.35, 0.45


def _relations(rng: random.Random) -> list[str]:
    """One or two guardians: mostly the mother, then the other parent."""
    draw = rng.random()
    first = (
        Relation.MOTHER if draw < 0.70 else Relation.FATHER if draw < 0.95 else Relation.GUARDIAN
    )
    if first is Relation.GUARDIAN or rng.random() >= SECOND_SHARE:
        return [first]
    return [first, Relation.FATHER if first is Relation.MOTHER else Relation.MOTHER]


def _gender(relation: str, rng: random.Random) -> str:
    if relation == Relation.MOTHER:
        return "F"
    return "M" if relation == Relation.FATHER else rng.choice("FM")


class _Guardians:
    """Adds guardianship rows and the linked guardians' accounts."""

    def __init__(
        self, rows: Rows, config: DemoConfig, rng: random.Random, now: dt.datetime
    ) -> None:
        self.rows, self.rng, self.now = rows, rng, now
        self.names = NameMaker(config, rng, kind="staff")
        self.forms = family_forms(config)
        self.linked = 0

    def name(self, student: dict[str, Any], relation: str, origin: str) -> str:
        gender = _gender(relation, self.rng)
        first = self.names.make(gender, origin=origin).first
        male, female = self.forms.get(student["last_name"], (student["last_name"],) * 2)
        return f"{first} {female if gender == 'F' else male}"

    def add(
        self, student: dict[str, Any], name: str, relation: str, telegram_id: int | None
    ) -> None:
        self.rows.add(
            Guardianship,
            student_id=student["id"],
            name=name,
            name_key=fold(name),
            relation=relation,
            phone="",
            email="",
            status="active",
            telegram_id=telegram_id,
            linked_at=self.now if telegram_id else None,
            added_by="import",
            created_at=self.now,
        )

    def account(self, telegram_id: int, first_name: str, ward: int) -> None:
        self.rows.add(
            TelegramAccount,
            telegram_id=telegram_id,
            student_id=None,
            staff_id=None,
            ward_id=ward,
            language="lv",
            first_name=first_name,
            username="",
            is_admin=False,
            blocked=False,
            notify_changes=True,
            linked_at=self.now,
            created_at=self.now,
        )


def add_guardians(
    rows: Rows, ids: Ids, config: DemoConfig, *, today: dt.date, seed: int, now: dt.datetime
) -> None:
    """Add the school's guardians, then the guardian persona (the slipping first-year's mother)."""
    adder = _Guardians(rows, config, random.Random(f"guardians-{seed}"), now)
    prison = {group["id"] for group in rows.of(StudyGroup) if group["is_prison"]}
    persona_student = next(
        row["student_id"] for row in rows.of(DemoPersona) if row["key"] == PERSONA_STUDENT
    )
    for student in rows.of(Student):
        if (
            student["status"] != StudentStatus.ACTIVE
            or student["group_id"] in prison
            or student["id"] == persona_student
        ):
            continue
        if is_adult(student["birth_date"], today):
            if adder.rng.random() >= ADULT_SHARE:
                continue
            rows.add(
                GuardianConsent,
                student_id=student["id"],
                allowed=True,
                asked_at=now,
                decided_at=now,
            )
            rows.of(GuardianConsent)[-1].pop("id")  # keyed by the student: no id column
        origin = ids.student_origin.get(student["id"], "lv")
        for relation in _relations(adder.rng):
            name = adder.name(student, relation, origin)
            telegram_id = None
            if adder.rng.random() < LINKED_SHARE:
                adder.linked += 1
                telegram_id = GUARDIAN_BASE + adder.linked
                adder.account(telegram_id, name.split()[0], student["id"])
            adder.add(student, name, relation, telegram_id)
    _add_persona(adder, ids, persona_student, prison, today)


def _add_persona(
    adder: _Guardians, ids: Ids, student_id: int, prison: set[int], today: dt.date
) -> None:
    """The persona: a mother of the slipping first-year and of one more minor (a switcher)."""
    rows = adder.rows
    students = rows.of(Student)
    student = next(row for row in students if row["id"] == student_id)
    name = adder.name(student, Relation.MOTHER, ids.student_origin.get(student_id, "lv"))
    family = adder.forms.get(student["last_name"], (student["last_name"],) * 2)
    minors = [
        row
        for row in students
        if row["id"] != student_id
        and row["group_id"] not in prison
        and row["group_id"] != student["group_id"]
        and row["status"] == StudentStatus.ACTIVE
        and not is_adult(row["birth_date"], today)
    ]
    sibling = next(
        (row for row in minors if row["last_name"] in family), minors[0] if minors else None
    )
    position = rows.count(DemoPersona) + 1
    telegram_id = PERSONA_BASE + position
    rows.add(
        DemoPersona,
        key="guardian",
        label="Guardian of the slipping first-year",
        story="A mother of two students: /students switches between them",
        role="guardian",
        position=position,
        student_id=None,
        staff_id=None,
        telegram_id=telegram_id,
    )
    adder.account(telegram_id, name.split()[0], student_id)
    adder.add(student, name, Relation.MOTHER, telegram_id)
    if sibling is not None:
        adder.add(sibling, name, Relation.MOTHER, telegram_id)

"""Absences and marks from the first school day up to today."""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from bot.demo.calendar import SchoolYear, daterange
from bot.demo.config import DemoConfig, int_range, pair_range, weights
from bot.demo.lessons import Lesson
from bot.demo.people import Ids
from bot.demo.rows import Rows
from bot.demo.school import SchoolPlan
from models.attendance import Absence, AbsenceStatus
from models.mark_rounding import mark_of
from models.marks import Mark, MarkKind
from models.school import Subject


@dataclass
class Student:
    """What the absence and mark generators know about one student."""

    id: int
    rate: float  # share of lessons missed
    unexcused: float  # share of missed lessons that are unexcused
    ability: float
    expelled: dt.date | None = None
    forced: dict[dt.date, str] = field(default_factory=dict)  # day -> status for whole days


def student_profiles(
    ids: Ids, config: DemoConfig, school: SchoolPlan, rng: random.Random, copies: int
) -> dict[int, list[Student]]:
    """Give every student an absence rate and an ability, by group id."""
    section, absences = config.assumed["students"], config.assumed["absences"]
    everyone = [i for members in ids.students.values() for i in members]
    chronic = set(rng.sample(everyone, int(section["chronic"]) * copies))
    at_risk = set(
        rng.sample(
            [i for i in everyone if i not in chronic], int(section["at_risk_absence"]) * copies
        )
    )
    profiles: dict[int, list[Student]] = {}
    for (copy, group_index), members in ids.students.items():
        group = school.groups[group_index]
        key = "final" if group.final else group.kind
        mean = float(absences["mean_rate"].get(key, absences["median_rate"]))
        students = []
        for ident in members:
            if group.prison:
                rate, unexcused = float(absences["prison_rate"]), 0.0
            elif ident in chronic:
                rate, unexcused = (
                    rng.uniform(*pair_range(absences["chronic_rate"])),
                    float(absences["chronic_unexcused"]),
                )
            elif ident in at_risk:
                rate, unexcused = (
                    rng.uniform(*pair_range(absences["at_risk_rate"])),
                    float(absences["at_risk_unexcused"]),
                )
            else:
                rate = min(rng.expovariate(1 / mean), float(absences["max_ordinary_rate"]))
                unexcused = float(absences["unexcused_share"])
            if ident in ids.dorm:
                rate *= float(absences["dorm_factor"])
            ability = (
                rng.gauss(0, 1)
                + float(config.assumed["marks"]["ability_absence_correlation"]) * (rate - mean) * 10
            )
            students.append(Student(ident, rate, unexcused, ability, ids.expelled.get(ident)))
        profiles[ids.groups[copy, group_index]] = students
    return profiles


@dataclass
class _RecordWalk:
    """The state of the walk over the school days: settings read once, marks gathered so far."""

    rows: Rows
    config: DemoConfig
    today: dt.date
    rng: random.Random
    block_of: dict[int, str]
    countdown: dict[tuple[int, int], int] = field(default_factory=dict)
    month_marks: dict[tuple[int, int, int, int], list[int]] = field(
        default_factory=lambda: defaultdict(list)
    )  # (student, subject, year, month) -> scores
    taught: dict[int, set[tuple[int, int]]] = field(
        default_factory=lambda: defaultdict(set)
    )  # group -> {(subject, month)}
    marked: set[tuple[int, int, dt.date]] = field(default_factory=set)  # one daily mark a day

    def __post_init__(self) -> None:
        absences = self.config.assumed["absences"]
        self.reasons, self.reason_weights = weights(absences["excused_reasons"])
        self.pending_since = self.today - dt.timedelta(days=int(absences["pending_days"]))
        self.spell_share = float(absences["spell_share"])
        self.per_event = int_range(self.config.assumed["marks"]["lessons_per_event"])

    def fall_ill(self, students: list[Student], day: dt.date, flu: float) -> None:
        """Start spells of illness that keep a student away for several days."""
        absences, spell_share = self.config.assumed["absences"], self.spell_share
        for student in students:
            if student.expelled and day >= student.expelled:
                continue
            if day not in student.forced and self.rng.random() < (
                student.rate * spell_share * flu / 4
            ):
                length = self.rng.randint(*int_range(absences["spell_days"]))
                for spell_day in daterange(day, day + dt.timedelta(days=length)):
                    student.forced.setdefault(spell_day, "illness")

    def absences(
        self, lesson: Lesson, students: list[Student], day: dt.date, flu: float
    ) -> list[Student]:
        """Write who missed one lesson, with a status and reason; return who was there."""
        absences, spell_share, rng = self.config.assumed["absences"], self.spell_share, self.rng
        present = []
        for student in students:
            if student.expelled and day >= student.expelled:
                continue
            forced = student.forced.get(day)
            if forced is None and rng.random() >= student.rate * (1 - spell_share) * flu:
                present.append(student)
                continue
            if day >= self.pending_since and rng.random() < float(absences["pending_share"]):
                status, reason = AbsenceStatus.PENDING, ""
            elif forced is not None:
                status, reason = AbsenceStatus.EXCUSED, "illness"
            elif rng.random() < student.unexcused:
                status, reason = AbsenceStatus.UNEXCUSED, ""
            else:
                status, reason = (
                    AbsenceStatus.EXCUSED,
                    rng.choices(self.reasons, self.reason_weights)[0],
                )
            self.rows.add(
                Absence,
                student_id=student.id,
                date=day,
                lesson_no=lesson.lesson_no,
                subject_id=lesson.subject,
                status=status,
                reason=reason,
            )
        return present

    def marks(self, lesson: Lesson, group: int, present: list[Student], day: dt.date) -> None:
        """Every few lessons of a subject, mark some of the students who were there."""
        marks, rng = self.config.assumed["marks"], self.rng
        if self.block_of.get(lesson.subject) == "class":
            return  # the class hour is not marked
        key = (group, lesson.subject)
        per_event = self.per_event
        self.taught[group].add((lesson.subject, day.year * 12 + day.month))
        self.countdown[key] = self.countdown.get(key, rng.randint(*per_event)) - 1
        if self.countdown[key] > 0 or not present:
            return
        self.countdown[key] = rng.randint(*per_event)
        blocks = marks["blocks"]
        mean, sd = blocks.get(self.block_of.get(lesson.subject, "general"), blocks["general"])
        kind = MarkKind.TEST if rng.random() < float(marks["test_share"]) else MarkKind.DAILY
        share = rng.uniform(*pair_range(marks["marked_share"]))
        for student in present:
            if rng.random() > share or (student.id, lesson.subject, day) in self.marked:
                continue
            self.marked.add((student.id, lesson.subject, day))
            ability = float(marks["ability_weight"]) * student.ability
            score = max(1, min(10, round(mean + ability + rng.gauss(0, sd))))
            self.rows.add(
                Mark,
                student_id=student.id,
                subject_id=lesson.subject,
                date=day,
                kind=kind,
                value=str(score),
                score=score,
            )
            self.month_marks[student.id, lesson.subject, day.year, day.month].append(score)


def add_absences_and_marks(
    rows: Rows,
    config: DemoConfig,
    year: SchoolYear,
    lessons: list[Lesson],
    profiles: dict[int, list[Student]],
    today: dt.date,
    rng: random.Random,
) -> None:
    """Walk every school day up to today: who missed which lesson, and the marks given."""
    absences = config.assumed["absences"]
    block_of = {row["id"]: row["block"] for row in rows.of(Subject)}
    walk = _RecordWalk(rows, config, today, rng, block_of)
    by_group_day: dict[tuple[int, int], list[Lesson]] = defaultdict(list)
    for lesson in lessons:
        by_group_day[lesson.group, lesson.weekday].append(lesson)
    for day in daterange(year.year_start, today):
        if year.is_day_off(day):
            continue
        flu = float(absences["flu_factor"]) if day.month in absences["flu_months"] else 1.0
        for group, students in profiles.items():
            todays = [x for x in by_group_day[group, day.isoweekday()] if x.valid_to >= day]
            if not todays:
                continue
            walk.fall_ill(students, day, flu)
            for lesson in todays:
                in_subgroup = (
                    students
                    if not lesson.subgroup
                    else [s for s in students if (s.id % 2 == 0) == (lesson.subgroup == "A")]
                )
                present = walk.absences(lesson, in_subgroup, day, flu)
                walk.marks(lesson, group, present, day)
    _add_attestations(rows, year, profiles, walk.taught, walk.month_marks, today)


def _add_attestations(
    rows: Rows,
    year: SchoolYear,
    profiles: dict[int, list[Student]],
    taught: dict[int, set[tuple[int, int]]],
    month_marks: dict[tuple[int, int, int, int], list[int]],
    today: dt.date,
) -> None:
    """A monthly attestation for every finished month: the average, or "nv" without marks."""
    for group, students in profiles.items():
        for subject, month_index in sorted(taught[group]):
            y, m = divmod(month_index - 1, 12)
            m += 1
            last = (dt.date(y + m // 12, m % 12 + 1, 1)) - dt.timedelta(days=1)
            if last >= today:
                continue
            for student in students:
                if student.expelled and student.expelled <= last:
                    continue
                scores = month_marks.get((student.id, subject, y, m))
                # No marks in a month: "nv" (not assessed), as the school writes it.
                score = mark_of(Fraction(sum(scores), len(scores))) if scores else None  # 4.5 is 5
                rows.add(
                    Mark,
                    student_id=student.id,
                    subject_id=subject,
                    date=last,
                    kind=MarkKind.ATTESTATION,
                    value="nv" if score is None else str(score),
                    score=score,
                )

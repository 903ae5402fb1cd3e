"""The frozen digest record: a group's or the school's month as compact JSON with a version.

Format 2 (written now) is columnar: per student one list, the subjects by position, the totals
left to be summed when read, the whole compressed with zlib (a third of the bytes: 2.3 MB for
a school of 29,000 students). Format 1, the first layout, named every field of every student
in plain JSON; records in it still render.
"""

import json
import zlib
from dataclasses import dataclass
from typing import Any

from models.attendance_queries import Counts, Month
from models.digest_figures import GroupDigest, StudentLine

FORMAT = 2


class RecordError(ValueError):
    """A frozen record that cannot be read (an unknown format, or damaged)."""


@dataclass(frozen=True)
class Frozen:
    """A decoded group record: the figures and the rules they were frozen with."""

    digest: GroupDigest
    limit: int
    language: str  # the school's default language when it was frozen


@dataclass(frozen=True)
class SchoolGroup:
    """One group's line in the school overview."""

    code: str
    total: int
    unexcused: int
    over: int
    building: str
    course: int
    programme: str


@dataclass(frozen=True)
class SchoolFigures:
    """The school's month: every group's totals, the students most at risk, tutors not linked."""

    month: str
    limit: int
    language: str
    groups: list[SchoolGroup]
    risk: list[tuple[int, str, str]]  # (unexcused, student, group code), highest first
    unlinked: list[str]


def _dumps(value: object) -> bytes:
    return zlib.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


def _loads(body: bytes | str) -> dict[str, Any]:
    """Read a record: compressed JSON, or plain JSON text (format 1)."""
    if isinstance(body, bytes) and not body.startswith(b"{"):
        body = zlib.decompress(body)
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("a digest record is a JSON object")
    return data


def encode_group(digest: GroupDigest, *, limit: int, language: str) -> bytes:
    """Freeze a group's month in format 2."""
    subjects = {name: n for n, name in enumerate(digest.subjects)}
    students = []
    for line in digest.students:
        weeks = []
        for week in digest.weeks:
            counts = line.weeks.get(week, Counts())
            weeks += [counts.excused, counts.unexcused, counts.pending]
        students.append(
            [
                line.name,
                weeks if any(weeks) else [],
                [[subjects[s], round(a, 2)] for s, a in line.averages.items()],
                [[subjects[s], v] for s, v in line.attestations.items() if s in subjects],
                [subjects[s] for s in line.failing],
                [subjects[s] for s in line.missing],
                int(line.on_practice),
            ]
        )
    p = digest.previous
    return _dumps(
        {
            "v": FORMAT,
            "limit": limit,
            "lang": language,
            "group": [
                digest.group_id,
                digest.code,
                str(digest.month),
                digest.course,
                digest.building,
                digest.programme,
            ],
            "weeks": digest.weeks,
            "subjects": digest.subjects,
            "previous": [p.excused, p.unexcused, p.pending],
            "students": students,
        }
    )


def decode_group(body: bytes | str) -> Frozen:
    """Read a frozen group record of any known format."""
    try:
        data = _loads(body)
        version = data.get("v", data.get("version"))
        if version == 2:
            return _decode_2(data)
        if version == 1:
            return _decode_1(data)
    except (KeyError, TypeError, ValueError, IndexError, zlib.error) as error:
        raise RecordError(f"damaged digest record: {error!r}") from error
    raise RecordError(f"unknown digest record format {version!r}")


def _month(text: str) -> Month:
    month = Month.parse(text)
    if month is None:
        raise ValueError(f"not a month: {text!r}")
    return month


def _decode_2(data: dict[str, Any]) -> Frozen:
    group_id, code, month, course, building, programme = data["group"]
    weeks: list[int] = data["weeks"]
    subjects: list[str] = data["subjects"]
    lines = []
    for name, counts, averages, attestations, failing, missing, practice in data["students"]:
        line = StudentLine(0, name, on_practice=bool(practice))
        for n, week in enumerate(weeks if counts else []):
            week_counts = Counts(*counts[3 * n : 3 * n + 3])
            if week_counts.total:
                line.weeks[week] = week_counts
        line.averages = {subjects[s]: float(a) for s, a in averages}
        line.attestations = {subjects[s]: str(v) for s, v in attestations}
        line.failing = [subjects[s] for s in failing]
        line.missing = [subjects[s] for s in missing]
        lines.append(line)
    digest = GroupDigest(
        group_id,
        code,
        _month(month),
        weeks,
        subjects,
        lines,
        course=course,
        building=building,
        programme=programme,
    )
    digest.previous = Counts(*data["previous"])
    _add_totals(digest)
    return Frozen(digest, int(data["limit"]), str(data["lang"]))


def _decode_1(data: dict[str, Any]) -> Frozen:
    """Format 1: named fields; weeks keyed by their number as text."""
    lines = []
    for student in data["students"]:
        line = StudentLine(0, student["name"], on_practice=bool(student.get("on_practice")))
        line.weeks = {int(week): Counts(**counts) for week, counts in student["weeks"].items()}
        line.averages = {s: float(a) for s, a in student["averages"].items()}
        line.attestations = dict(student.get("attestations", {}))
        line.failing = list(student["failing"])
        line.missing = list(student["missing"])
        lines.append(line)
    digest = GroupDigest(
        data["group_id"],
        data["code"],
        _month(data["month"]),
        list(data["weeks"]),
        list(data["subjects"]),
        lines,
        course=data.get("course", 0),
        building=data.get("building", ""),
        programme=data.get("programme", ""),
    )
    digest.previous = Counts(**data["previous"])
    _add_totals(digest)
    return Frozen(digest, int(data["limit"]), str(data["language"]))


def _add_totals(digest: GroupDigest) -> None:
    """Sum each student's weeks, and the group's students (totals are not stored)."""
    for line in digest.students:
        line.absences = Counts(
            sum(c.excused for c in line.weeks.values()),
            sum(c.unexcused for c in line.weeks.values()),
            sum(c.pending for c in line.weeks.values()),
        )
        digest.totals.excused += line.absences.excused
        digest.totals.unexcused += line.absences.unexcused
        digest.totals.pending += line.absences.pending


def encode_school(
    digests: list[GroupDigest], unlinked: list[str], *, month: Month, limit: int, language: str
) -> bytes:
    """Freeze the school overview's figures in format 2."""
    groups = [
        [
            d.code,
            d.totals.total,
            d.totals.unexcused,
            len(d.over_limit(limit)),
            d.building,
            d.course,
            d.programme,
        ]
        for d in digests
    ]
    risk = sorted(
        ((line.absences.unexcused, line.name, d.code) for d in digests for line in d.students),
        reverse=True,
    )[:10]
    return _dumps(
        {
            "v": FORMAT,
            "limit": limit,
            "lang": language,
            "month": str(month),
            "groups": groups,
            "risk": [list(r) for r in risk if r[0]],
            "unlinked": unlinked,
        }
    )


def decode_school(body: bytes | str) -> SchoolFigures:
    """Read a frozen school record."""
    try:
        data = _loads(body)
        if data.get("v") != FORMAT:
            raise RecordError(f"unknown school record format {data.get('v')!r}")
        return SchoolFigures(
            data["month"],
            int(data["limit"]),
            str(data["lang"]),
            [SchoolGroup(*group) for group in data["groups"]],
            [(int(u), str(n), str(c)) for u, n, c in data["risk"]],
            list(data["unlinked"]),
        )
    except (KeyError, TypeError, ValueError, zlib.error) as error:
        raise RecordError(f"damaged school record: {error!r}") from error

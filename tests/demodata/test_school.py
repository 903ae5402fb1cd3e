"""The demo school against the validation checklist of demo_data.md section 14."""

import itertools
import tomllib
from datetime import date, time
from pathlib import Path

import pytest

from bot.demo.build import DemoSummary
from bot.demo.config import DATA_DIR, load_config
from models.guardian_queries import is_adult
from tests.demo_schools import TODAY
from tests.demodata.data import clashes, make_school, rows, scalar


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSummary]:
    path = tmp_path_factory.mktemp("demodata") / "school.db"
    return path, make_school(path)


@pytest.fixture(scope="module")
def db(school: tuple[Path, DemoSummary]) -> Path:
    return school[0]


def _students_in(db: Path, *codes: str) -> int:
    marks = ", ".join("?" for _ in codes)
    return int(
        str(
            scalar(
                db,
                "SELECT count(*) FROM student JOIN study_group g ON g.id = student.group_id"
                f" WHERE g.code IN ({marks})",
                *codes,
            )
        )
    )


def test_groups_and_student_totals(db: Path) -> None:
    assert scalar(db, "SELECT count(*) FROM study_group") == 37
    assert scalar(db, "SELECT count(*) FROM student") == 737
    frozen = ("FR-11", "FR-21", "FR-31", "ELM-1", "SVP-1")
    assert _students_in(db, "FR-11", "FR-21", "FR-31") == 58
    assert _students_in(db, "ELM-1") == 18
    assert _students_in(db, "SVP-1") == 17
    assert 737 - _students_in(db, *frozen) == 644


def test_speciality_totals_match_the_report(db: Path) -> None:
    expected = {row[0]: row[6] for row in load_config().school["specialities"]}
    actual = dict(
        rows(
            db,
            "SELECT sp.code, count(*) FROM student s JOIN speciality sp"
            " ON sp.id = s.speciality_id GROUP BY sp.code",
        )
    )
    assert actual == expected
    mixed = rows(
        db,
        "SELECT sp.code, count(*) FROM student s JOIN speciality sp ON sp.id = s.speciality_id"
        " JOIN study_group g ON g.id = s.group_id WHERE g.code = 'L-41' GROUP BY sp.code",
    )
    assert dict(mixed) == {"L": 13, "TV": 5}


def test_logistics_group_sizes(db: Path) -> None:
    assert _students_in(db, "LD-11") == 21
    assert _students_in(db, "LD-21") == 28


def test_staff_composition(db: Path) -> None:
    assert scalar(db, "SELECT count(*) FROM staff WHERE is_pedagogical") == 88
    teachers = scalar(db, "SELECT count(DISTINCT staff_id) FROM staff_role WHERE role='teacher'")
    assert teachers == 80
    assert scalar(db, "SELECT count(DISTINCT group_id) FROM group_tutor") == 37
    assert scalar(db, "SELECT count(DISTINCT staff_id) FROM group_tutor") == 37
    commissions = {row[5] for row in load_config().school["specialities"]}
    assert len(load_config().school["commissions"]) == 12
    assert commissions <= {row[0] for row in load_config().school["commissions"]}
    for role in ("psychologist", "career_consultant", "paramedic", "it_admin", "study_dept"):
        assert scalar(db, "SELECT count(*) FROM staff_role WHERE role = ?", role), role


def test_rooms(db: Path) -> None:
    kinds = dict(rows(db, "SELECT kind, count(*) FROM room GROUP BY kind"))
    assert kinds["classroom"] == 55
    assert kinds["computer_class"] == 10
    assert kinds["sports_hall"] == 2
    assert kinds["assembly_hall"] == 2
    assert kinds.get("workshop", 0) + kinds.get("lab", 0) == 17


def test_timetable_has_no_clashes(db: Path) -> None:
    assert scalar(db, "SELECT count(*) FROM timetable_entry") > 1000
    assert clashes(db) == {"teacher": 0, "room": 0, "group": 0}


def test_teacher_changing_building_has_a_gap(db: Path) -> None:
    bells = {int(no): (start, end) for no, start, end in load_config().assumed["bells"]["lessons"]}
    gap = int(load_config().assumed["bells"]["building_change_minutes"])
    lessons: dict[tuple[object, object], list[tuple[int, object]]] = {}
    for teacher, weekday, lesson, building in rows(
        db,
        "SELECT e.teacher_id, e.weekday, e.lesson_no, r.building_id FROM timetable_entry e"
        " JOIN room r ON r.id = e.room_id",
    ):
        lessons.setdefault((teacher, weekday), []).append((int(str(lesson)), building))
    checked = 0
    for day in lessons.values():
        day.sort(key=lambda item: item[0])
        for (before, here), (after, there) in itertools.pairwise(day):
            if here != there:
                end: time = bells[before][1]
                start: time = bells[after][0]
                minutes = (start.hour * 60 + start.minute) - (end.hour * 60 + end.minute)
                assert minutes >= gap, (before, after)
                checked += 1
    assert lessons and checked > 0


def test_timetable_covers_the_current_week(db: Path) -> None:
    first, last = rows(db, "SELECT min(valid_from), max(valid_to) FROM timetable_entry")[0]
    assert date.fromisoformat(str(first)) <= TODAY <= date.fromisoformat(str(last))


def test_dorm_residents(db: Path) -> None:
    assert scalar(db, "SELECT count(*) FROM student WHERE dorm_room != ''") == 170
    assert scalar(db, "SELECT count(*) FROM student WHERE dorm_building_id IS NOT NULL") == 170
    outside = scalar(
        db,
        "SELECT count(*) FROM student s JOIN study_group g ON g.id = s.group_id"
        " WHERE s.dorm_room != '' AND (g.is_prison OR g.code IN ('PRV', 'KSV', 'AMV'))",
    )
    assert outside == 0


def test_prison_learners_have_no_access(db: Path) -> None:
    groups = rows(db, "SELECT code, is_prison, bot_access FROM study_group WHERE is_prison")
    assert sorted(groups) == [("ELM-1", 1, 0), ("SVP-1", 1, 0)]
    linked = scalar(
        db,
        "SELECT count(*) FROM telegram_account a JOIN student s ON s.id = a.student_id"
        " JOIN study_group g ON g.id = s.group_id WHERE g.is_prison",
    )
    assert linked == 0


def test_emails_are_fictional(db: Path) -> None:
    emails = [str(row[0]) for row in rows(db, "SELECT email FROM staff")]
    assert emails and all(email.endswith(".invalid") for email in emails)
    blocked = {name.casefold() for name in load_config().names["blocklist"]["full_names"]}
    people = rows(
        db,
        "SELECT first_name || ' ' || last_name FROM student UNION ALL"
        " SELECT first_name || ' ' || last_name FROM staff",
    )
    assert not {str(row[0]).casefold() for row in people} & blocked


def test_assumed_values_come_from_the_config(db: Path) -> None:
    with (DATA_DIR / "assumptions.toml").open("rb") as file:
        assumed = tomllib.load(file)
    bells = rows(db, "SELECT lesson_no, start, end FROM bell_time ORDER BY lesson_no")
    expected = [
        (no, start.isoformat(), end.isoformat()) for no, start, end in assumed["bells"]["lessons"]
    ]
    assert [(no, str(start)[:8], str(end)[:8]) for no, start, end in bells] == [
        (no, start[:8], end[:8]) for no, start, end in expected
    ]
    assert scalar(db, "SELECT count(*) FROM holiday") >= len(assumed["calendar"]["holidays"])


def test_students_are_linked_in_part(db: Path) -> None:
    students = int(str(scalar(db, "SELECT count(*) FROM student")))
    linked = int(
        str(scalar(db, "SELECT count(*) FROM telegram_account WHERE student_id IS NOT NULL"))
    )
    assert 0.5 * students < linked < 0.7 * students
    staff_linked = scalar(db, "SELECT count(*) FROM telegram_account WHERE staff_id IS NOT NULL")
    assert int(str(staff_linked)) > 0.8 * int(str(scalar(db, "SELECT count(*) FROM staff")))


def test_summary_renders(school: tuple[Path, DemoSummary]) -> None:
    text = school[1].render()
    assert 'PIKC "Daugavpils tehnikums"' in text
    assert "37 groups, 737 students" in text
    assert "A student who has not linked yet" in text


def test_minors_have_guardians_and_adults_only_with_consent(db: Path) -> None:
    students = rows(
        db,
        "SELECT s.id, s.birth_date, count(gs.id), max(c.allowed) FROM student s"
        " JOIN study_group g ON g.id = s.group_id"
        " LEFT JOIN guardianship gs ON gs.student_id = s.id"
        " LEFT JOIN guardian_consent c ON c.student_id = s.id"
        " WHERE s.status = 'active' AND NOT g.is_prison GROUP BY s.id",
    )
    minors = [row for row in students if not is_adult(date.fromisoformat(row[1]), TODAY)]
    adults = [row for row in students if is_adult(date.fromisoformat(row[1]), TODAY)]
    assert minors and all(1 <= count <= 2 for _, _, count, _ in minors)
    with_guardians = [row for row in adults if row[2]]
    assert all(allowed for *_, allowed in with_guardians)
    assert 0.15 * len(adults) < len(with_guardians) < 0.45 * len(adults)
    guardians = int(str(scalar(db, "SELECT count(*) FROM guardianship")))
    linked = int(str(scalar(db, "SELECT count(*) FROM guardianship WHERE telegram_id IS NOT NULL")))
    assert 0.25 * guardians < linked < 0.45 * guardians

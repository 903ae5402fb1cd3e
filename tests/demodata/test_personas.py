"""The demo personas: present, linked to the right records, one student left to link."""

from pathlib import Path

import pytest

from tests.demodata.data import make_school, rows, scalar


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("personas") / "school.db"
    make_school(path)
    return path


def _persona(db: Path, key: str) -> tuple[object, ...]:
    return rows(
        db,
        "SELECT role, student_id, staff_id, telegram_id, position FROM demo_persona WHERE key = ?",
        key,
    )[0]


def test_every_persona_is_present_with_a_telegram_id(db: Path) -> None:
    personas = rows(db, "SELECT key, label, role, position, telegram_id FROM demo_persona")
    keys = {row[0] for row in personas}
    assert {
        "top_student",
        "slipping_first_year",
        "long_illness",
        "chronic_absentee",
        "final_year_on_practice",
        "dvb_hairdresser",
        "dorm_resident",
        "mixed_speciality",
        "adult_learner",
        "new_student",
        "tutor",
        "workshop_teacher",
        "prison_teacher",
        "study_head",
        "it_head",
    } <= keys
    for _key, label, _role, position, telegram_id in personas:
        assert label
        assert telegram_id == 900_000_000 + int(str(position))


def test_linked_personas_have_their_own_account(db: Path) -> None:
    for key, _role, student_id, staff_id, telegram_id in rows(
        db, "SELECT key, role, student_id, staff_id, telegram_id FROM demo_persona"
    ):
        accounts = rows(
            db,
            "SELECT student_id, staff_id, first_name, linked_at FROM telegram_account"
            " WHERE telegram_id = ?",
            telegram_id,
        )
        if key == "new_student":
            assert accounts == []
            continue
        if key == "guardian":
            continue  # linked to no person of its own: test_the_guardian_persona_has_two_students
        assert len(accounts) == 1, key
        account_student, account_staff, first_name, linked_at = accounts[0]
        assert (account_student, account_staff) == (student_id, staff_id)
        table = "student" if student_id else "staff"
        person = student_id or staff_id
        assert first_name == scalar(db, f"SELECT first_name FROM {table} WHERE id = ?", person)
        assert linked_at is not None


def test_the_new_student_has_no_account_at_all(db: Path) -> None:
    role, student_id, staff_id, _telegram_id, _position = _persona(db, "new_student")
    assert role == "student" and staff_id is None and student_id is not None
    assert scalar(db, "SELECT count(*) FROM telegram_account WHERE student_id = ?", student_id) == 0


def test_personas_sit_in_their_groups(db: Path) -> None:
    expected = {
        "top_student": "DT-31",
        "slipping_first_year": "AM-11",
        "long_illness": "KS-21",
        "chronic_absentee": "EM-31",
        "final_year_on_practice": "KS-41",
        "dvb_hairdresser": "FR-21",
        "dorm_resident": "L-21",
        "mixed_speciality": "L-41",
        "adult_learner": "PRV",
    }
    for key, code in expected.items():
        group = scalar(
            db,
            "SELECT g.code FROM demo_persona p JOIN student s ON s.id = p.student_id"
            " JOIN study_group g ON g.id = s.group_id WHERE p.key = ?",
            key,
        )
        assert group == code, key
    dorm = rows(
        db,
        "SELECT b.kind, s.dorm_room FROM demo_persona p JOIN student s ON s.id = p.student_id"
        " JOIN building b ON b.id = s.dorm_building_id WHERE p.key = 'dorm_resident'",
    )
    assert len(dorm) == 1 and dorm[0][0] == "dorm" and dorm[0][1]
    speciality = scalar(
        db,
        "SELECT sp.code FROM demo_persona p JOIN student s ON s.id = p.student_id"
        " JOIN speciality sp ON sp.id = s.speciality_id WHERE p.key = 'mixed_speciality'",
    )
    assert speciality == "TV"


def test_staff_personas_have_their_roles(db: Path) -> None:
    def roles(key: str) -> set[object]:
        return {
            row[0]
            for row in rows(
                db,
                "SELECT r.role FROM demo_persona p JOIN staff_role r ON r.staff_id = p.staff_id"
                " WHERE p.key = ?",
                key,
            )
        }

    assert {"admin", "study_dept"} <= roles("study_head")
    assert {"admin", "it_admin"} <= roles("it_head")
    assert "teacher" in roles("workshop_teacher")
    assert "practice_supervisor" in roles("workshop_teacher")
    tutor_group = scalar(
        db,
        "SELECT g.code FROM demo_persona p JOIN group_tutor t ON t.staff_id = p.staff_id"
        " JOIN study_group g ON g.id = t.group_id WHERE p.key = 'tutor'",
    )
    assert tutor_group == "KS-21"
    prison = scalar(
        db,
        "SELECT count(*) FROM demo_persona p JOIN timetable_entry e ON e.teacher_id = p.staff_id"
        " JOIN study_group g ON g.id = e.group_id"
        " WHERE p.key = 'prison_teacher' AND g.code = 'ELM-1'",
    )
    assert int(str(prison)) > 0


def test_the_guardian_persona_has_two_students(db: Path) -> None:
    role, student_id, staff_id, telegram_id, _position = _persona(db, "guardian")
    assert (role, student_id, staff_id) == ("guardian", None, None)
    (ward,) = rows(db, "SELECT ward_id FROM telegram_account WHERE telegram_id = ?", telegram_id)
    students = rows(
        db,
        "SELECT student_id, status FROM guardianship WHERE telegram_id = ? ORDER BY id",
        telegram_id,
    )
    assert len(students) == 2 and all(status == "active" for _, status in students)
    slipping = _persona(db, "slipping_first_year")[1]
    assert ward == (slipping,) and students[0][0] == slipping

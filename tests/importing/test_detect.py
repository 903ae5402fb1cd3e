"""The kind of a file comes from the choice given, else its name, else its columns."""

import pytest

from bot.i18n import gettext_for
from models.importing import ImportRefused
from models.importing.detect import choose_kind, kind_from_file_name

STUDENT_HEADERS = ["student_number", "first_name", "last_name", "group"]


@pytest.mark.parametrize(
    ("file_name", "kind"),
    [
        ("students.xlsx", "students"),
        ("students-2025.csv", "students"),
        ("2025_09 Students.CSV", "students"),
        ("audzekni.xlsx", "students"),
        ("Audzēkņi.xlsx", "students"),
        ("timetable.csv", "timetable"),
        ("timetable_changes-week38.csv", "timetable_changes"),
        ("Timetable changes.xlsx", "timetable_changes"),
        ("bell times.xlsx", "bell_times"),
        ("consultation_cancellations.csv", "consultation_cancellations"),
        ("kavejumi_oktobris.csv", "absences"),
        ("оценки.xlsx", "marks"),
        ("export.csv", None),
        ("studentsheet.csv", None),
    ],
)
def test_kind_from_the_file_name(file_name: str, kind: str | None) -> None:
    found = kind_from_file_name(file_name)
    assert (found.name if found else None) == kind


def test_explicit_kind_wins_over_the_file_name() -> None:
    assert choose_kind("marks", "students.csv", []).name == "marks"
    assert choose_kind("Kavējumi", "students.csv", []).name == "absences"


def test_kind_from_the_headers() -> None:
    assert choose_kind(None, "export.csv", ["Vārds", "Uzvārds", "Audzēkņa nr.", "Grupa"]).name == (
        "students"
    )
    assert choose_kind(None, "export.csv", ["student", "datums", "stunda", "statuss"]).name == (
        "absences"
    )


def test_headers_that_fit_two_kinds_are_refused() -> None:
    with pytest.raises(ImportRefused) as refused:
        choose_kind(None, "export.csv", ["code", "name_lv"])
    assert refused.value.render(gettext_for("en")) == (
        "export.csv: not imported. The columns fit several kinds (programmes, subjects): "
        "name the file after its kind or choose the kind."
    )


def test_unknown_kind_lists_every_kind() -> None:
    with pytest.raises(ImportRefused) as refused:
        choose_kind("pupils", "x.csv", STUDENT_HEADERS)
    assert "Known kinds: buildings, rooms, programmes," in refused.value.render(gettext_for("en"))

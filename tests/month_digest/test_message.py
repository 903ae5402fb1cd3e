"""The tutor's message is what a tutor acts on; the full lists are in the table."""

from bot.documents.digest_message import digest_message
from models.attendance_queries import Counts, Month
from models.digest_figures import GroupDigest, StudentLine


def _group_of_23() -> GroupDigest:
    students = []
    for n in range(23):
        line = StudentLine(n, f"Surname{n:02} Name", absences=Counts(0, n, 0))
        line.failing = ["Matemātika", "Fizika"] if n % 2 else []
        line.missing = ["Ķīmija"] if n % 3 == 0 else []
        line.on_practice = n == 5
        students.append(line)
    digest = GroupDigest(1, "AM-21", Month(2026, 10), [40], ["Fizika", "Matemātika"], students)
    digest.totals = Counts(0, sum(range(23)), 0)
    return digest


def test_a_large_group_names_five_students_a_line_each_and_points_to_the_table() -> None:
    text = digest_message(_group_of_23(), "en", limit=8)
    named = [line for line in text.splitlines() if line.startswith("• ")]
    assert named[0] == "• Surname22 Name — ⚠️ unexcused 22"  # over the limit and most missed
    assert len(named) == 5 and all(len(line) < 60 for line in named)
    assert "…and 13 more in the table." in text  # 14 over the limit, 4 more failing
    assert "Without a mark in some subject: 8; on practice: 1." in text
    assert "Every student, mark and flag is in the table below." in text
    assert "Ķīmija" not in text and len(text) < 700


def test_a_quiet_month_says_nothing_needs_action() -> None:
    digest = GroupDigest(1, "AM-21", Month(2026, 10), [40], [], [StudentLine(1, "A Student")])
    text = digest_message(digest, "lv", limit=8)
    assert "✅" in text and "•" not in text

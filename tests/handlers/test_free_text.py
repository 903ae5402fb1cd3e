"""Free text reaches the command it means, in all three languages, and never silence."""

import pytest

from bot.app import SchoolApplication
from bot.chat.intents import Intent, IntentKind
from handlers.free_text import route
from tests.fake_telegram import RecordingRequest, make_user, text_update

STUDENT_LIKE = make_user(5101, first_name="Visitor", language_code="ru")


@pytest.mark.parametrize(
    ("intent", "expected"),
    [
        (Intent(IntentKind.TOMORROW), ("tomorrow", [])),
        (Intent(IntentKind.TOMORROW, "am-21"), ("timetable", ["am-21"])),
        (Intent(IntentKind.LOOKUP, "am-21"), ("timetable", ["am-21"])),
        (Intent(IntentKind.LOOKUP, "ozols"), ("consult", ["ozols"])),
        (Intent(IntentKind.CONSULT, "matematikas"), ("consult", ["matematikas"])),
        (Intent(IntentKind.MARKS, "petersons"), ("marks", [])),
        (Intent(IntentKind.ABSENCES, "of student 12"), ("absences", [])),
    ],
)
def test_routes(intent: Intent, expected: tuple[str, list[str]]) -> None:
    assert route(intent) == expected


def test_personal_questions_never_carry_a_name_from_the_text() -> None:
    for kind in (IntentKind.PRACTICE, IntentKind.ABSENCES, IntentKind.MARKS):
        assert route(Intent(kind, "another student's name")) == (kind.value, [])


async def test_help_in_russian_free_text_runs_help(
    app: SchoolApplication, telegram: RecordingRequest
) -> None:
    await app.process_update(text_update(app.bot, "помогите", STUDENT_LIKE))
    assert "/privacy" in telegram.last_text(STUDENT_LIKE.id)


@pytest.mark.parametrize(
    "text",
    ["🙂🙂🙂", "שלום עולם מה שלומך היום", "<script>x</script> and more words here", "y" * 4096],
)
async def test_anything_else_gets_a_helpful_reply(
    app: SchoolApplication, telegram: RecordingRequest, text: str
) -> None:
    await app.process_update(text_update(app.bot, text, STUDENT_LIKE))
    assert telegram.last_text(STUDENT_LIKE.id)

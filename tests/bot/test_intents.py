"""Free text in Latvian, Russian and English reaches the right intent."""

import pytest

from bot.chat.intents import IntentKind, classify, looks_like_group_code


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("rīt", IntentKind.TOMORROW),
        ("Завтра", IntentKind.TOMORROW),
        ("tomorrow?", IntentKind.TOMORROW),
        ("šodien", IntentKind.TODAY),
        ("что сегодня", IntentKind.TODAY),
        ("nedēļas saraksts", IntentKind.WEEK),
        ("расписание", IntentKind.TIMETABLE),
        ("kad ir matemātikas konsultācija?", IntentKind.CONSULT),
        ("консультация по физике", IntentKind.CONSULT),
        ("сколько у меня пропусков", IntentKind.ABSENCES),
        ("mani kavējumi", IntentKind.ABSENCES),
        ("my marks", IntentKind.MARKS),
        ("оценки", IntentKind.MARKS),
        ("kur ir mana prakse", IntentKind.PRACTICE),
        ("AM-21", IntentKind.LOOKUP),
        ("Ozols", IntentKind.LOOKUP),
    ],
)
def test_text_reaches_its_intent(text: str, kind: IntentKind) -> None:
    intent = classify(text)
    assert intent is not None and intent.kind == kind


def test_consultation_keeps_the_subject_to_search() -> None:
    intent = classify("kad ir matemātikas konsultācija?")
    assert intent is not None and intent.rest == "matematikas"


def test_noise_is_not_understood() -> None:
    assert classify("🙂🙂🙂") is None
    assert classify("lorem ipsum dolor sit amet consectetur adipiscing") is None


def test_huge_text_is_cut_before_matching() -> None:
    intent = classify("x" * 10_000)
    assert intent is not None and len(intent.rest) <= 500


def test_short_stems_need_the_whole_word() -> None:
    intent = classify("ritms")
    assert intent is None or intent.kind != IntentKind.TOMORROW


@pytest.mark.parametrize(("text", "expected"), [("am21", True), ("AM 21", True), ("Ozols", False)])
def test_group_code_shape(text: str, expected: bool) -> None:
    assert looks_like_group_code(text) is expected

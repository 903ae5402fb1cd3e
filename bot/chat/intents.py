"""Free text to intent: "rīt", "завтра", "сколько у меня пропусков" -> what the user wants."""

import re
from dataclasses import dataclass
from enum import StrEnum

from models.text import canonical_group_code, fold


class IntentKind(StrEnum):
    TODAY = "today"
    TOMORROW = "tomorrow"
    WEEK = "week"
    TIMETABLE = "timetable"
    CONSULT = "consult"
    PRACTICE = "practice"
    ABSENCES = "absences"
    MARKS = "marks"
    HELP = "help"
    LOOKUP = "lookup"  # a bare name or code: a group, teacher or room to look up


@dataclass(frozen=True)
class Intent:
    """What the text asks for, and what is left of it once the keywords are gone."""

    kind: IntentKind
    rest: str = ""


# Word stems after fold() (diacritics dropped, Cyrillic transliterated), in all three languages.
_STEMS: tuple[tuple[IntentKind, tuple[str, ...]], ...] = (
    (IntentKind.ABSENCES, ("kavej", "kavet", "propusk", "propust", "absen", "missed", "skip")),
    (IntentKind.MARKS, ("atzim", "vertej", "ocenk", "otmetk", "mark", "grade")),
    (IntentKind.PRACTICE, ("praks", "praktik", "practic", "internship", "placement", "dvb")),
    (IntentKind.CONSULT, ("konsult", "consult", "office hour", "individual")),
    (IntentKind.TOMORROW, ("rit", "ritdien", "zavtra", "tomorrow")),
    (IntentKind.TODAY, ("sodien", "segodn", "today")),
    (IntentKind.WEEK, ("nedel", "week")),
    (
        IntentKind.TIMETABLE,
        (
            "saraksts",
            "saraksta",
            "stundas",
            "raspisan",
            "timetable",
            "schedule",
            "lessons",
            "uroki",
        ),
    ),
    (IntentKind.HELP, ("palidz", "pomosc", "pomogi", "help")),
)

# Words that carry no meaning for lookups, after fold().
_FILLER_WORDS = """
    kad ir kur kads kada kadi man mans mana mani cik ka lai vai un par ar uz no pie
    kogda gde kakoj kakaja kakie u menja moj moja moi skolko kak dlja i po s na ot
    when where what which is are my me how many much for of the a an and to at with
    please ludzu pozalujsta show
"""
_FILLER = frozenset(_FILLER_WORDS.split())
_WORD = re.compile(r"[\w-]+", re.UNICODE)


def _matches(word: str, stem: str) -> bool:
    if " " in stem:
        return False
    # Short stems ("rit") must be the whole word, or "ritms" would mean tomorrow.
    return word == stem if len(stem) <= 3 else word.startswith(stem)


def classify(text: str) -> Intent | None:
    """Return the intent of a free-text message, or None when nothing is recognised."""
    folded = fold(text)[:500]
    words = _WORD.findall(folded)
    if not words:
        return None
    for kind, stems in _STEMS:
        hit = [w for w in words if any(_matches(w, stem) for stem in stems)]
        if hit or any(" " in stem and stem in folded for stem in stems):
            rest = [w for w in words if w not in hit and w not in _FILLER]
            return Intent(kind, " ".join(rest))
    meaningful = [w for w in words if w not in _FILLER]
    if 0 < len(meaningful) <= 3:
        return Intent(IntentKind.LOOKUP, " ".join(meaningful))
    return None


def looks_like_group_code(text: str) -> bool:
    """Tell whether text has the shape of a group code such as AM-21 or KSV."""
    code = canonical_group_code(text)
    return code is not None and len(code) <= 8 and any(char.isdigit() for char in code)

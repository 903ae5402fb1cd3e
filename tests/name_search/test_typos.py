"""Names typed the way people type them find the demo school's staff: typos, Cyrillic, English."""

import pytest

from bot.demo.config import load_config
from models.name_search import find_names, typo_budget
from models.text import fold


def _demo_surnames() -> dict[int, str]:
    """Every surname form the demo school gives its people, folded as the search stores them."""
    forms = [
        form
        for pool in load_config().names["surnames"].values()
        for pair in pool
        for form in pair.split("/")
    ]
    return {ident: fold(name) for ident, name in enumerate(sorted(set(forms)))}


SURNAMES = _demo_surnames()

# (typed, meant): real slips of short and long names, Cyrillic, and English transliterations.
CASES = [
    ("Ozls", "Ozols"),  # a letter left out of a short name
    ("Ozals", "Ozols"),  # a wrong letter
    ("Oozls", "Ozols"),
    ("Zraiņš", "Zariņš"),  # two letters swapped
    ("Vangs", "Vanags"),
    ("Lepina", "Liepiņa"),
    ("Berzinsh", "Bērziņš"),  # English spelling of š
    ("Kalninsh", "Kalniņš"),
    ("Kuznetsova", "Kuzņecova"),
    ("Shevchenko", "Ševčenko"),
    ("Tkachenko", "Tkačenko"),
    ("Zakharov", "Zaharovs"),
    ("Solovyova", "Solovjova"),
    ("Озолс", "Ozols"),  # Cyrillic
    ("Озлс", "Ozols"),
    ("Берзиньш", "Bērziņš"),
    ("Кузнецова", "Kuzņecova"),
    ("Шевченко", "Ševčenko"),
    ("Лиепиня", "Liepiņa"),
    ("Voitkevics", "Voitkevičs"),  # no diacritics
    ("Stankevica", "Stankeviča"),
]


@pytest.mark.parametrize(("typed", "meant"), CASES)
def test_a_misspelt_name_finds_the_person_meant(typed: str, meant: str) -> None:
    found = [SURNAMES[ident] for ident in find_names(typed, SURNAMES)]
    assert fold(meant) in found


@pytest.mark.parametrize("typed", ["Xyz", "Qwerty", "Vasja", "abc def"])
def test_something_that_is_no_name_finds_nobody(typed: str) -> None:
    assert find_names(typed, SURNAMES) == []


def test_the_typo_budget_grows_with_the_name() -> None:
    assert [typo_budget(n) for n in (3, 4, 6, 7, 12)] == [0, 1, 1, 2, 2]

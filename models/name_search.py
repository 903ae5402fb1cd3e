"""Find people by name the way people type names: typos, no diacritics, Cyrillic, word endings."""

from collections.abc import Mapping

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from models.text import fold

# Latvian name endings that change with gender and diminutives: Ozols, Ozoliņš, Ozoliņa.
_ENDINGS = ("ins", "ina", "ene", "is", "us", "as", "es", "ja", "s", "a", "e")
FUZZY_CUTOFF = 82


def typo_budget(length: int) -> int:
    """How many typos a name word of this length may carry and still be found.

    Counted as optimal-string-alignment edits (a swapped pair of letters is one), because a
    ratio cutoff is unfair to short names: one wrong letter in "Ozols" already scores 80.
    """
    return 0 if length <= 3 else 1 if length <= 6 else 2


def _word_distance(typed: str, word: str) -> int | None:
    """Edits between a typed word and a name's word, or None when over the word's budget."""
    budget = typo_budget(len(word))
    distance = OSA.distance(typed, word, score_cutoff=budget)
    return distance if distance <= budget else None


def stem(word: str) -> str:
    """Cut a folded name's ending: 'ozolins' and 'ozols' both give 'ozol'."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _fewest_typos(typed: str, words: list[str]) -> int | None:
    """The fewest typos with which a typed word is one of the name's words, or None."""
    found = [d for word in words if (d := _word_distance(typed, word)) is not None]
    return min(found, default=None)


def match_names(query: str, names: Mapping[int, str], *, limit: int = 5) -> list[int]:
    """Return the ids whose folded name (or one of its words) the query means, best first."""
    folded = fold(query)
    if not folded:
        return []
    wanted = {stem(word) for word in folded.split()}
    exact = [
        ident
        for ident, name in names.items()
        if folded == name or wanted <= {stem(word) for word in name.split()}
    ]
    if exact:
        return exact[:limit]
    scores: dict[int, float] = {}
    parts = folded.split()
    for ident, name in names.items():  # a typo in one word: "ozls" for "ozols"
        words = name.split()
        typos = [_fewest_typos(part, words) for part in parts]
        if words and None not in typos:
            scores[ident] = 200.0 - sum(t or 0 for t in typos)  # fewer typos first
        elif (ratio := fuzz.WRatio(folded, name)) >= FUZZY_CUTOFF:
            scores[ident] = ratio
    return sorted(scores, key=lambda ident: -scores[ident])[:limit]


def find_names(query: str, names: Mapping[int, str], *, limit: int = 5) -> list[int]:
    """Match a query against many folded names: those sharing a word stem with it, else all."""
    stems = [stem(word) for word in fold(query).split() if len(stem(word)) >= 3]
    chosen = {ident: name for ident, name in names.items() if any(s in name for s in stems)}
    # A typo can make the stem another name's ("ozl" is in "kozlovs"): then look at everyone.
    return (match_names(query, chosen, limit=limit) if chosen else []) or match_names(
        query, names, limit=limit
    )

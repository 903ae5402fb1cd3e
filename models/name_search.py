"""Find people by name the way people type names: typos, no diacritics, Cyrillic, word endings."""

from collections.abc import Mapping

from rapidfuzz import fuzz

from models.text import fold

# Latvian name endings that change with gender and diminutives: Ozols, Ozoliņš, Ozoliņa.
_ENDINGS = ("ins", "ina", "ene", "is", "us", "as", "es", "ja", "s", "a", "e")
FUZZY_CUTOFF = 82


def stem(word: str) -> str:
    """Cut a folded name's ending: 'ozolins' and 'ozols' both give 'ozol'."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def match_names(query: str, names: Mapping[int, str], *, limit: int = 5) -> list[int]:
    """Return the ids whose folded name (or one of its words) the query means, best first."""
    folded = fold(query)
    if not folded:
        return []
    wanted = {stem(word) for word in folded.split()}
    exact = [
        ident for ident, name in names.items()
        if folded == name or wanted <= {stem(word) for word in name.split()}
    ]  # fmt: skip
    if exact:
        return exact[:limit]
    scores: dict[int, float] = {}
    for ident, name in names.items():  # a typo in one word: "ozls" for "ozols"
        words = name.split()
        best = (
            min(max(fuzz.ratio(part, word) for word in words) for part in folded.split())
            if words
            else 0.0
        )
        best = max(best, fuzz.WRatio(folded, name))
        if best >= FUZZY_CUTOFF:
            scores[ident] = best
    return sorted(scores, key=lambda ident: -scores[ident])[:limit]


def find_names(query: str, names: Mapping[int, str], *, limit: int = 5) -> list[int]:
    """Match a query against many folded names: those sharing a word stem with it, else all."""
    stems = [stem(word) for word in fold(query).split() if len(stem(word)) >= 3]
    chosen = {ident: name for ident, name in names.items() if any(s in name for s in stems)}
    return match_names(query, chosen or names, limit=limit)

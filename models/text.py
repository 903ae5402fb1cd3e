"""Text keys for tolerant matching: folded names and normalised group codes."""

import re
import unicodedata

# Russian Cyrillic -> Latvian-style Latin, so "Озолс" folds like "Ozols".
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "z",
    "з": "z", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c",
    "ч": "c", "ш": "s", "щ": "sc", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "ju",
    "я": "ja", "і": "i", "ї": "ji", "є": "je", "ў": "u",
}  # fmt: skip  # the alphabet reads as a table, eight letters a line
# Cyrillic letters that look like Latin ones, for codes typed on a Russian keyboard layout.
_HOMOGLYPHS = str.maketrans("АВЕКМНОРСТУХ", "ABEKMHOPCTYX")
_GROUP_CODE = re.compile(r"^([A-Z]+)[\s\-_./]*([0-9]*)$")


def fold(text: str) -> str:
    """Casefold, transliterate Cyrillic and drop diacritics: 'Ozoliņš' -> 'ozolins'."""
    lowered = text.casefold()
    transliterated = "".join(_CYRILLIC.get(char, char) for char in lowered)
    decomposed = unicodedata.normalize("NFKD", transliterated)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.split())


def group_key(code: str) -> str:
    """Return the matching key of a group code: 'am 21', 'AM-21', 'ам21' -> 'AM21'."""
    upper = code.strip().upper().translate(_HOMOGLYPHS)
    return re.sub(
        r"[^0-9A-Z]", "", unicodedata.normalize("NFKD", upper).encode("ascii", "ignore").decode()
    )


def canonical_group_code(code: str) -> str | None:
    """Return the display form of a group code ('am21' -> 'AM-21'), or None if it is no code."""
    upper = code.strip().upper().translate(_HOMOGLYPHS)
    match = _GROUP_CODE.match(upper)
    if match is None:
        return None
    letters, digits = match.groups()
    return f"{letters}-{digits}" if digits else letters

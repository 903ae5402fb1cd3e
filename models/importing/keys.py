"""Matching keys for the codes, names and column headers found in import files."""

import re
import unicodedata
from functools import lru_cache

from models.text import fold

# Files repeat the same codes and names thousands of times: remember the keys.
CACHE_SIZE = 1 << 16
# Cyrillic capitals that look like Latin ones, for codes typed on a Russian keyboard layout.
_HOMOGLYPHS = str.maketrans("АВЕКМНОРСТУХ", "ABEKMHOPCTYX")
_CODE_SEPARATORS = re.compile(r"[\s\-_./]+")
_HEADER_SEPARATORS = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=CACHE_SIZE)
def code_key(code: str) -> str:
    """Return the matching key of a code: 'str16-204', 'STR16 204', 'СТR16204' -> 'STR16204'."""
    if code.isascii() and code.isalnum():  # most codes, such as student numbers: nothing to undo
        return code.upper()
    upper = code.strip().upper().translate(_HOMOGLYPHS)
    decomposed = unicodedata.normalize("NFKD", upper)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _CODE_SEPARATORS.sub("", stripped)


@lru_cache(maxsize=CACHE_SIZE)
def name_key(name: str) -> str:
    """Return the matching key of a name or title (folded: case, diacritics, Cyrillic)."""
    return fold(name)


@lru_cache(maxsize=CACHE_SIZE)
def header_key(header: str) -> str:
    """Return the matching key of a column header: 'Audzēkņa nr.' -> 'audzekna_nr'."""
    return _HEADER_SEPARATORS.sub("_", fold(header)).strip("_")

"""Find the text encoding of a CSV file: UTF-8, or one of the Baltic and Cyrillic code pages."""

import re

from charset_normalizer import from_bytes

from models.importing import problems
from models.importing.problems import ImportRefused

# The code pages Latvian offices save CSV in, after UTF-8 (with or without a BOM).
LEGACY = ("cp1257", "cp1251", "iso8859_13")
TRIED = "UTF-8, UTF-8 BOM, Windows-1257, Windows-1251, ISO-8859-13"

# Control characters never found in a real CSV file: their presence means binary data.
BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_WORD = re.compile(r"[^\W\d_]+")  # letters only: linear, whatever the text
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Letters Latvian (and the ASCII it borrows) writes with; other accented Latin letters in a
# word are what Cyrillic text read with a Baltic code page turns into.
_LATVIAN = set("āčēģīķļņōŗšūžĀČĒĢĪĶĻŅŌŖŠŪŽ")
# Share of non-ASCII words that must read as one real script for a decoding to be believed.
_PLAUSIBLE = 0.9


def decode(data: bytes, file_name: str) -> str:
    """Return the file's text; refuse binary data, and text whose encoding is not clear."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export
        return _checked(_try(data, "utf-16"), file_name)
    if data.startswith(b"\xef\xbb\xbf"):
        return _checked(_try(data, "utf-8-sig"), file_name)
    text = _try(data, "utf-8")
    if text is not None:
        return _checked(text, file_name)
    if b"\x00" in data:
        raise ImportRefused(file_name, problems.NOT_A_TABLE)
    candidates = {
        str(match) for match in from_bytes(data, cp_isolation=list(LEGACY), threshold=0.3)
    }
    believed = [text for text in candidates if not BINARY.search(text) and plausible(text)]
    if len(believed) != 1:
        raise ImportRefused(file_name, problems.UNSURE_ENCODING, encodings=TRIED)
    return believed[0]


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None


def _checked(text: str | None, file_name: str) -> str:
    if text is None or BINARY.search(text):
        raise ImportRefused(file_name, problems.NOT_A_TABLE)
    return text


def plausible(text: str) -> bool:
    """Tell whether the words with non-ASCII letters read as Latvian or Russian, not mojibake."""
    words = [word for word in _WORD.findall(text) if not word.isascii()]
    if not words:
        return True
    clean = sum(1 for word in words if _clean(word))
    return clean >= _PLAUSIBLE * len(words)


def _clean(word: str) -> bool:
    cyrillic = bool(_CYRILLIC.search(word))
    if cyrillic:
        return not _LATIN.search(word)  # "Jвnis": Latvian read as Cyrillic
    accented = [letter for letter in word if not letter.isascii()]
    if any(letter not in _LATVIAN for letter in accented):
        return False  # "Äģčņščé": Russian read as Latvian
    return len(accented) <= 0.75 * len(word)

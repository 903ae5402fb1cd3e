"""What a link code looks like: its alphabet, how it is typed, read and shown."""

import re
import secrets

# No 0/O, 1/I/L: a code read off paper is typed right the first time.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_DIGITS = "23456789"
_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
CODE_CHAR = "[2-9A-HJKMNP-Za-hjkmnp-z]"
# A whole message that is, or is typed like, a code: "K7QM-4XPA", "k7qm4xpa", "AAAA-BBBB".
# Typed in two halves it is taken for a code whatever its characters (it gets the code answer,
# and counts as a guess); run together it needs a digit and a letter, so that an eight-letter
# name ("Kristaps") stays a name. Group codes ("AM-21") never match.
CODE_PATTERN = re.compile(
    rf"^\s*(?:{CODE_CHAR}{{4}}-{CODE_CHAR}{{4}}"
    rf"|(?=[^0-9]*[2-9])(?=[^A-Za-z]*[A-Za-z]){CODE_CHAR}{{8}})\s*$"
)


def normalize_code(text: str) -> str | None:
    """Return the canonical 8-character code in a message, or None if it is not one."""
    if CODE_PATTERN.match(text) is None:
        return None
    return text.strip().replace("-", "").upper()


def display_code(code: str) -> str:
    """Group a code for reading: 'K7QM4XPA' -> 'K7QM-4XPA'."""
    return f"{code[:4]}-{code[4:]}"


def new_code() -> str:
    """Draw a random code with at least one digit and one letter."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if any(c in _DIGITS for c in code) and any(c in _LETTERS for c in code):
            return code

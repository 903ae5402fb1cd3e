"""A seeded generator of malformed import files, made by mutating the valid example files."""

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tests.security.crafted import SHEET, STRINGS, pack, parts

NASTY = [
    "",
    " ",
    "\x00",
    "\x00A",
    "9" * 40,
    "-1",
    "0",
    "31.02.2025",
    "2025-13-01",
    "25:99",
    "1e309",
    "NaN",
    "Infinity",
    "٣",
    "１２",
    "\u202e",
    "<b>x</b>",
    "&amp;",
    '"',
    "'",
    "\n",
    "\r\n",
    "\u2028",
    "Ā" * 300,
    "2147483648",
    "-9223372036854775809",
    "0x10",
    "1_000",
    "true",
    "jā",
    "да",
    "=1+1",
    '=HYPERLINK("http://x.invalid","x")',
    "@SUM(1)",
    "+1",
    "-2+3",
    "\t=1",
    "😀",
    "\ud800",
    "DT-31; DROP TABLE student",
    "%s%s%n",
    "{0}{name}",
    "x" * 5000,
]


@dataclass(frozen=True)
class Mutant:
    """One malformed file and how it was made (printed when it breaks the importer)."""

    name: str
    data: bytes
    how: str


def _cells(text: str) -> list[list[str]]:
    return [line.split(";") for line in text.splitlines()]


def _join(rows: list[list[str]]) -> str:
    return "\r\n".join(";".join(row) for row in rows) + "\r\n"


def _csv_text(rng: random.Random, text: str) -> tuple[str, str]:
    rows = _cells(text)
    row = rng.randrange(len(rows))
    column = rng.randrange(len(rows[row]))
    choice = rng.randrange(7)
    if choice == 0:
        rows[row][column] = rng.choice(NASTY).replace(";", ",")
        return _join(rows), f"nasty value at {row + 1}:{column + 1}"
    if choice == 1:
        rows[row][column] = "x" * rng.choice([1000, 100_000, 140_000])
        return _join(rows), f"huge cell at {row + 1}:{column + 1}"
    if choice == 2:
        extra = rng.randrange(1, 300)
        rows = [cells + [f"junk{n}" for n in range(extra)] for cells in rows]
        return _join(rows), f"{extra} junk columns"
    if choice == 3:
        rows[0][column] = rows[0][(column + 1) % len(rows[0])]
        return _join(rows), "repeated header"
    if choice == 4:
        rows[row][column] = '"' + rows[row][column]
        return _join(rows), f"unbalanced quote at {row + 1}:{column + 1}"
    if choice == 5:
        return _join(rows[1:] or rows), "no header"
    rows += [rows[-1]] * rng.randrange(1, 500)
    return _join(rows), "repeated rows"


def _bytes(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    choice = rng.randrange(4)
    if choice == 0:
        cut = rng.randrange(len(data))
        return data[:cut], f"truncated at {cut}"
    if choice == 1:
        flipped = bytearray(data)
        spots = [rng.randrange(len(data)) for _ in range(rng.randrange(1, 6))]
        for spot in spots:
            flipped[spot] ^= 1 << rng.randrange(8)
        return bytes(flipped), f"bits flipped at {spots}"
    if choice == 2:
        spot = rng.randrange(len(data))
        return data[:spot] + b"\x00" * rng.randrange(1, 4) + data[spot:], f"NUL at {spot}"
    spot = rng.randrange(len(data))
    return data[:spot] + rng.randbytes(rng.randrange(1, 64)) + data[spot:], f"junk at {spot}"


def mutate_csv(rng: random.Random, name: str, data: bytes) -> Mutant:
    """Return a CSV file broken in its text, its encoding or its bytes."""
    text = data.decode("utf-8-sig")
    choice = rng.randrange(4)
    if choice == 0:
        changed, how = _csv_text(rng, text)
        return Mutant(name, changed.encode("utf-8"), how)
    if choice == 1:
        encoding = rng.choice(["cp1251", "cp1257", "iso8859_13", "latin-1", "utf-16-le", "cp437"])
        changed, how = _csv_text(rng, text)
        encoded = changed.encode(encoding, errors="replace")
        return Mutant(name, encoded, f"{how}, saved as {encoding}")
    if choice == 2:
        changed, how = _csv_text(rng, text)
        mixed = changed.encode("utf-8") + changed.encode(
            rng.choice(["cp1251", "cp1257"]), "replace"
        )
        return Mutant(name, mixed, f"{how}, half re-encoded")
    broken, how = _bytes(rng, data)
    return Mutant(name, broken, how)


_CELL = re.compile(rb"<c r=\"([A-Z]+)(\d+)\"[^>]*?(?:/>|>.*?</c>)", re.DOTALL)
_SHARED_VALUE = re.compile(rb"(<c r=\"[A-Z]+\d+\"[^>]*t=\"s\"[^>]*><v>)(\d+)(</v>)")


def _sheet(rng: random.Random, sheet: bytes) -> tuple[bytes, str]:
    cells = list(_CELL.finditer(sheet))
    target = rng.choice(cells)
    ref = target.group(1) + target.group(2)
    start, end = target.span()
    choice = rng.randrange(8)
    replacements: list[tuple[bytes, str]] = [
        (
            b'<c r="%s" t="d"><v>%s</v></c>' % (ref, rng.choice([b"junk", b"2025-02-31", b""])),
            "bad date cell",
        ),
        (b'<c r="%s" t="n"><v>abc</v></c>' % ref, "text in a number cell"),
        (b'<c r="%s" t="b"><v>7</v></c>' % ref, "bad boolean cell"),
        (b'<c r="%s" t="%s"><v>1</v></c>' % (ref, rng.choice([b"zz", b"e", b"str"])), "odd type"),
        (b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, b"y" * 200_000), "huge cell"),
        (b'<c r="%s"><f>SUM(1)</f><v>1</v></c>' % ref, "formula"),
        (
            b'<c r="%s"><v>1</v></c>' % rng.choice([b"A0", b"ZZZZ1", b"-1", b"1A", b"XFD1"]),
            "odd reference",
        ),
        (sheet[start:end][: rng.randrange(1, end - start)], "cut cell"),
    ]
    new, how = replacements[choice]
    return sheet[:start] + new + sheet[end:], f"{how} at {ref.decode()}"


def _xml(rng: random.Random, xml: bytes) -> tuple[bytes, str]:
    spot = rng.randrange(len(xml))
    choice = rng.randrange(4)
    if choice == 0:
        return xml[:spot] + rng.choice([b"<", b"&", b'"', b"\x00", b"]]>"]) + xml[spot + 1 :], (
            f"bad character at {spot}"
        )
    if choice == 1:
        return xml[:spot] + xml[spot + rng.randrange(1, 200) :], f"slice removed at {spot}"
    if choice == 2:
        return xml[:spot], f"cut at {spot}"
    return xml[:spot] + xml[spot : spot + 300] + xml[spot:], f"slice repeated at {spot}"


def mutate_xlsx(rng: random.Random, name: str, data: bytes) -> Mutant:
    """Return a workbook broken in its zip, in one part's XML, or in one cell."""
    members = parts(data)
    choice = rng.randrange(6)
    if choice == 0:
        broken, how = _bytes(rng, data)
        return Mutant(name, broken, how)
    if choice in (1, 2):
        sheet, how = _sheet(rng, members[SHEET])
        return Mutant(name, pack({**members, SHEET: sheet}), how)
    if choice == 3 and STRINGS in members:
        sheet = members[SHEET]
        found = list(_SHARED_VALUE.finditer(sheet))
        if found:
            hit = rng.choice(found)
            index = rng.choice([b"-1", b"999999", b"abc", b"", b"1.5", b"99999999999999999999"])
            changed = sheet[: hit.start(2)] + index + sheet[hit.end(2) :]
            return Mutant(name, pack({**members, SHEET: changed}), f"string index {index!r}")
    if choice == 4:
        part = rng.choice(list(members))
        if rng.random() < 0.3:
            rest = {key: value for key, value in members.items() if key != part}
            return Mutant(name, pack(rest), f"part {part} removed")
        xml, how = _xml(rng, members[part])
        return Mutant(name, pack({**members, part: xml}), f"{part}: {how}")
    sheet, how = _xml(rng, members[SHEET])
    return Mutant(name, pack({**members, SHEET: sheet}), f"sheet: {how}")


def mutants(seed: int, count: int, files: dict[str, bytes]) -> Iterator[Mutant]:
    """Yield `count` malformed files, each a mutation of one of the valid `files`."""
    rng = random.Random(seed)
    names = sorted(files)
    makers: dict[bool, Callable[[random.Random, str, bytes], Mutant]] = {
        True: mutate_xlsx,
        False: mutate_csv,
    }
    for _ in range(count):
        name = rng.choice(names)
        yield makers[name.endswith(".xlsx")](rng, name, files[name])

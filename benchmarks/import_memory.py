"""Peak memory of reading the worst import files the limits let through, one process each.

    .venv/bin/python -m benchmarks.import_memory

Builds files at the edge of the default limits (IMPORT_MAX_BYTES, IMPORT_MAX_ROWS,
IMPORT_MAX_UNPACKED_BYTES): a workbook whose shared strings unpack to just under the limit in
tiny distinct strings, one whose sheet holds the most rows, a 20 MB CSV of the most rows, and
a zip bomb. Each is read (row by row, as an import reads it) in a fresh process, which prints
its peak resident memory (Linux's VmHWM, imports included); the goal is under 400 MB for each.
"""

import multiprocessing
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from bot.config import Settings
from models.importing.engine import _open
from models.importing.problems import ImportRefused

LIMITS = Settings().import_limits
HEADER = (
    b'<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
    b'<c r="D1" t="s"><v>3</v></c>'
)


def _workbook(path: Path, sheet_rows: bytes, strings: bytes, padding: int = 0) -> None:
    """Pack a minimal workbook whose first sheet and shared strings are given."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    doc = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    members = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{doc}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{doc}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{doc}.sharedStrings+xml"/>'
            "</Types>"
        ).encode(),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ).encode(),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="students" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ).encode(),
        "xl/worksheets/sheet1.xml": b'<worksheet xmlns="%s"><sheetData>' % main.encode()
        + sheet_rows
        + b"</sheetData></worksheet>",
        "xl/sharedStrings.xml": b'<sst xmlns="%s">' % main.encode() + strings + b"</sst>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
        if padding:  # streamed, so that building the bomb does not need its size in memory
            with archive.open("xl/padding.xml", "w", force_zip64=True) as part:
                for _ in range(padding // 2**20):
                    part.write(b" " * 2**20)


def _names() -> bytes:
    return (
        b"<si><t>student_number</t></si><si><t>first_name</t></si><si><t>last_name</t></si>"
        b"<si><t>group</t></si><si><t>DT-31</t></si>"
    )


def many_strings(path: Path) -> None:
    """Shared strings of tiny distinct texts, unpacking to just under the limit."""
    budget = LIMITS.max_unpacked_bytes - 200_000
    strings, size, n = [_names()], 0, 0
    while size < budget:
        item = b"<si><t>%x</t></si>" % n
        strings.append(item)
        size += len(item)
        n += 1
    _workbook(path, b'<row r="1">' + HEADER + b"</row>", b"".join(strings))


def many_rows(path: Path) -> None:
    """As many rows as the limits let through, each with three distinct inline strings."""
    rows = [b'<row r="1">' + HEADER + b"</row>"]
    budget, size = LIMITS.max_unpacked_bytes - 100_000, 0
    for n in range(2, LIMITS.max_rows + 2):
        row = (
            b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>S-%d</t></is></c>'
            b'<c r="B%d" t="inlineStr"><is><t>Name%d</t></is></c>'
            b'<c r="C%d" t="inlineStr"><is><t>Surname%d</t></is></c>'
            b'<c r="D%d" t="s"><v>4</v></c></row>' % ((n,) * 8)
        )
        size += len(row)
        if size > budget:
            break
        rows.append(row)
    _workbook(path, b"".join(rows), _names())


def big_csv(path: Path) -> None:
    """A CSV of the most rows, padded with an ignored column to IMPORT_MAX_BYTES."""
    rows = LIMITS.max_rows
    pad = max(0, LIMITS.max_bytes // rows - 40)
    lines = [b"student_number;first_name;last_name;group;note"]
    lines += [b"S-%d;Name%d;Surname%d;DT-31;%s" % (n, n, n, b"x" * pad) for n in range(rows)]
    path.write_bytes(b"\n".join(lines)[: LIMITS.max_bytes])


def bomb(path: Path) -> None:
    """A part of a gigabyte of spaces, a megabyte packed."""
    _workbook(path, b'<row r="1">' + HEADER + b"</row>", _names(), padding=2**30)


def _peak_megabytes() -> float:
    """Return this process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited)."""
    status = Path("/proc/self/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def _measure(name: str, path: Path, queue: "multiprocessing.Queue[str]") -> None:
    data = path.read_bytes()
    start = time.perf_counter()
    try:
        opened = _open(data, "students.xlsx" if data[:2] == b"PK" else "students.csv", None, LIMITS)
        count = sum(1 for _ in opened.sheet.rows)  # row by row, as an import reads them
        outcome = f"read {count} rows"
    except ImportRefused as refusal:
        outcome = f"refused: {refusal}"
    seconds = time.perf_counter() - start
    peak = _peak_megabytes()
    queue.put(
        f"{name:12} {len(data) / 2**20:6.1f} MB file  peak {peak:6.0f} MB  "
        f"{seconds:5.1f} s  {outcome[:90]}"
    )


def main() -> None:
    context = multiprocessing.get_context("spawn")  # a fresh process: its own peak memory
    builds: list[tuple[Callable[[Path], None], str]] = [
        (many_strings, ".xlsx"),
        (many_rows, ".xlsx"),
        (big_csv, ".csv"),
        (bomb, ".xlsx"),
    ]
    directory = Path(tempfile.mkdtemp())
    for build, suffix in builds:
        path = directory / f"{build.__name__}{suffix}"
        build(path)
        queue: multiprocessing.Queue[str] = context.Queue()
        process = context.Process(target=_measure, args=(build.__name__, path, queue))
        process.start()
        print(queue.get(), flush=True)
        process.join()
        path.unlink()


if __name__ == "__main__":
    main()

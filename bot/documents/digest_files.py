"""The digest's attachments: an XLSX table of the group's month and a PNG chart of absences."""

from __future__ import annotations

import io
import math
from functools import cache, lru_cache
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING

from bot.documents.safe_cells import safe_row
from bot.i18n import gettext_for
from models.digest_figures import GroupDigest

if TYPE_CHECKING:  # xlsxwriter and Pillow load with the first digest, not with the bot
    from PIL import Image, ImageFont


def digest_xlsx(digest: GroupDigest, language: str, *, limit: int) -> bytes:
    """One row per student: absences by week and in total, marks per subject, flags."""
    _ = gettext_for(language)
    header = [_("Student")]
    header += [_("Week {week}").format(week=w) for w in digest.weeks]
    header += [_("Excused"), _("Unexcused"), _("Not decided"), _("Total")]
    for subject in digest.subjects:
        header += [
            _("{subject}: average").format(subject=subject),
            _("{subject}: attestation").format(subject=subject),
        ]
    header.append(_("Flags"))
    rows: list[list[str | int | float | None]] = [list(header)]
    for line in digest.students:
        row: list[str | int | float | None] = [line.name]
        row += [line.weeks[w].total if w in line.weeks else 0 for w in digest.weeks]
        counts = line.absences
        row += [counts.excused, counts.unexcused, counts.pending, counts.total]
        for subject in digest.subjects:
            average = line.averages.get(subject)
            attestation = line.attestations.get(subject, "")
            row += [
                round(average, 2) if average is not None else None,
                int(attestation) if attestation.isdigit() else attestation or None,
            ]
        flags = []
        if counts.unexcused > limit:
            flags.append(_("over the limit"))
        if line.failing:
            flags.append(_("failing: {subjects}").format(subjects=", ".join(line.failing)))
        if line.missing:
            flags.append(_("no mark: {subjects}").format(subjects=", ".join(line.missing)))
        if line.on_practice:
            flags.append(_("on practice"))
        row.append("; ".join(flags))
        rows.append(row)
    buffer = io.BytesIO()
    # Names and flags are text from the school's files: never formulas, never links.
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    import xlsxwriter

    with xlsxwriter.Workbook(buffer, options) as book:
        sheet = book.add_worksheet(f"{digest.code} {digest.month}"[:31])
        sheet.write_row(0, 0, safe_row(header), book.add_format({"bold": True}))
        for number, row in enumerate(rows[1:], start=1):
            sheet.write_row(number, 0, safe_row(row))
        sheet.freeze_panes(1, 1)
        sheet.autofilter(0, 0, len(rows) - 1, len(header) - 1)
        for index, column in enumerate(zip(*rows, strict=True)):
            width = max(len(str(value)) for value in column if value is not None)
            sheet.set_column(index, index, min(max(width + 2, 8), 50))
    return buffer.getvalue()


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans, shipped with the bot: it has Latvian and Cyrillic letters."""
    from PIL import ImageFont

    return ImageFont.truetype(str(Path(__file__).with_name("fonts") / "DejaVuSans.ttf"), size)


# The chart is drawn in one byte a pixel (greys, where Pillow smooths text) and saved with a
# palette: a third of RGB's bytes to encode, the slowest part of a chart. Entries 1 and 2 are the
# bars' colours; every other entry n is the grey (n, n, n). Text is drawn in 3, so its smoothed
# edges blend through 4-254 and never take the bars' entries.
UNEXCUSED, OTHER, INK, AXIS, LIMIT, PAPER = 1, 2, 3, 0x55, 0x33, 0xFF
NAME_ANGLE = 60  # degrees: the names under the bars rise to the right
_PALETTE = [n for grey in range(256) for n in (grey, grey, grey)]
_PALETTE[3 * UNEXCUSED : 3 * UNEXCUSED + 3] = (0xD9, 0x53, 0x4F)
_PALETTE[3 * OTHER : 3 * OTHER + 3] = (0x9D, 0xC3, 0xE6)


@lru_cache(maxsize=4096)
def _words(text: str, size: int = 11) -> Image.Image:
    """Text as a mask (255 where it is ink), one line high, drawn from its top left.

    Drawing text is most of a chart's time, and a school's names share most of their words.
    """
    from PIL import Image, ImageDraw

    font = _font(size)
    mask = Image.new("L", (int(font.getlength(text)) + 2, sum(font.getmetrics())))
    ImageDraw.Draw(mask).text((0, 0), text, fill=255, font=font)
    return mask


@lru_cache(maxsize=4096)
def _turned(word: str) -> Image.Image:
    return _words(word).rotate(NAME_ANGLE, expand=True)


@lru_cache(maxsize=4096)
def _advance(text: str) -> int:
    return round(_font(11).getlength(text))


def _paste_name(image: Image.Image, name: str, right: int, top: int) -> None:
    """Paste a name turned by NAME_ANGLE, its bounding box's top right corner at (right, top).

    Each word is turned once (and cached), then put where it falls along the turned line.
    """
    words = name.split(" ")
    starts = [0, *accumulate(_advance(word + " ") for word in words[:-1])]
    length, height = starts[-1] + _words(words[-1]).width, _words(words[-1]).height
    cos, sin = math.cos(math.radians(NAME_ANGLE)), math.sin(math.radians(NAME_ANGLE))
    centre_x = right - (length * cos + height * sin) / 2  # of the turned name's bounding box
    centre_y = top + (length * sin + height * cos) / 2
    for start, word in zip(starts, words, strict=True):
        along = start + _words(word).width / 2 - length / 2  # the word's centre from the name's
        turned = _turned(word)
        x = centre_x + along * cos - turned.width / 2
        y = centre_y - along * sin - turned.height / 2
        image.paste(INK, (round(x), round(y)), turned)


def digest_chart(digest: GroupDigest, language: str, *, limit: int) -> bytes:
    """Absences per student, unexcused and excused stacked, with the limit as a dashed line."""
    from PIL import Image, ImageDraw

    _ = gettext_for(language)
    students = digest.students
    bar, gap, left, top, bottom = 22, 8, 60, 70, 190
    width = max(640, left + len(students) * (bar + gap) + 40)
    height = top + 300 + bottom
    image = Image.new("L", (width, height), PAPER)
    draw = ImageDraw.Draw(image)
    small, label = _font(11), _font(14)
    highest = max([limit, *(s.absences.total for s in students), 1])
    scale = 300 / highest
    base = top + 300
    title = _("Absences in {group}, {month}").format(group=digest.code, month=digest.month)
    draw.text((left, 15), title, fill=INK, font=label)
    draw.line([(left, top), (left, base), (width - 20, base)], fill=AXIS)
    for value in range(0, highest + 1, max(1, highest // 5)):
        y = base - value * scale
        number = _words(str(value))  # right-aligned to the axis, centred on its line
        image.paste(AXIS, (left - 8 - _advance(str(value)), round(y - number.height / 2)), number)
    for index, student in enumerate(students):
        x = left + gap + index * (bar + gap)
        unexcused = student.absences.unexcused * scale
        other = (student.absences.excused + student.absences.pending) * scale
        if unexcused:
            draw.rectangle([x, base - unexcused, x + bar, base], fill=UNEXCUSED)
        if other:
            draw.rectangle([x, base - unexcused - other, x + bar, base - unexcused], fill=OTHER)
        _paste_name(image, student.name[:30], x + bar // 2, base + 4)  # its end under its bar
    y = base - limit * scale
    for x in range(left, width - 20, 12):
        draw.line([(x, y), (x + 6, y)], fill=LIMIT, width=2)
    legend = [
        (UNEXCUSED, _("Unexcused")),
        (OTHER, _("Excused or not decided")),
        (LIMIT, _("Limit of unexcused lessons")),
    ]
    x = left
    for color, text in legend:
        draw.rectangle([x, 42, x + 12, 54], fill=color)
        image.paste(INK, (x + 16, 41), _words(text))
        x += 30 + int(draw.textlength(text, font=small))
    image.putpalette(_PALETTE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()

"""The digest's attachments: an XLSX table of the group's month and a PNG chart of absences."""

import io

from matplotlib.figure import Figure  # the object API: no global state, no screen needed
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from bot.i18n import gettext_for
from models.month_digest import GroupDigest


def digest_xlsx(digest: GroupDigest, language: str, *, limit: int) -> bytes:
    """One row per student: absences by week and in total, marks per subject, flags."""
    _ = gettext_for(language)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{digest.code} {digest.month}"[:31]
    header = [_("Student")]
    header += [_("Week {week}").format(week=w) for w in digest.weeks]
    header += [_("Excused"), _("Unexcused"), _("Not decided"), _("Total")]
    for subject in digest.subjects:
        header += [_("{subject}: average").format(subject=subject),
                   _("{subject}: attestation").format(subject=subject)]  # fmt: skip
    header.append(_("Flags"))
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in digest.students:
        row: list[object] = [line.name]
        row += [line.weeks[w].total if w in line.weeks else 0 for w in digest.weeks]
        counts = line.absences
        row += [counts.excused, counts.unexcused, counts.pending, counts.total]
        for subject in digest.subjects:
            average = line.average(subject)
            attestation = line.attestations.get(subject, "")
            row += [round(average, 2) if average is not None else None,
                    int(attestation) if attestation.isdigit() else attestation or None]  # fmt: skip
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
        sheet.append(row)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(sheet.columns, start=1):
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 50)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def digest_chart(digest: GroupDigest, language: str, *, limit: int) -> bytes:
    """Absences per student, excused and unexcused stacked, with the limit as a line."""
    _ = gettext_for(language)
    names = [line.name for line in digest.students]
    excused = [line.absences.excused + line.absences.pending for line in digest.students]
    unexcused = [line.absences.unexcused for line in digest.students]
    figure = Figure(figsize=(max(6.0, 0.35 * len(names) + 2), 4.5), dpi=100)
    axes = figure.subplots()
    positions = range(len(names))
    axes.bar(positions, unexcused, color="#d9534f", label=_("Unexcused"))
    axes.bar(positions, excused, bottom=unexcused, color="#9dc3e6",
             label=_("Excused or not decided"))  # fmt: skip
    axes.axhline(limit, color="#333333", linestyle="--", linewidth=1,
                 label=_("Limit of unexcused lessons"))  # fmt: skip
    axes.set_xticks(list(positions), names, rotation=70, ha="right", fontsize=8)
    axes.set_ylabel(_("Lessons missed"))
    axes.set_title(_("Absences in {group}, {month}").format(group=digest.code, month=digest.month))
    axes.legend(fontsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()

"""Problems found in an import file, and the refusal of a whole file, in the admin's language."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from models.i18n import N_, Gettext

# Line breaks and other control characters in a cell would split a problem over lines.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
SHOWN_CHARS = 80
SHOWN_LIST_CHARS = 600  # a refusal may list every kind or every missing column


def one_line(value: object, limit: int = SHOWN_CHARS) -> object:
    """Return text quoted from a file on one short line; other values as they are."""
    if not isinstance(value, str):
        return value
    text = _CONTROL.sub(" ", value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown(params: Mapping[str, object], limit: int = SHOWN_CHARS) -> dict[str, object]:
    return {name: one_line(value, limit) for name, value in params.items()}


@dataclass(frozen=True)
class Problem:
    """One bad cell or row: where it is (as Excel shows it) and why, as a gettext msgid."""

    file_name: str
    row: int
    column: str
    reason: str
    params: Mapping[str, object] = field(default_factory=dict)
    suggestion: str | None = None

    def message(self, _: Gettext) -> str:
        """Return the reason alone, translated."""
        text = _(self.reason).format(**_shown(self.params))
        if self.suggestion:
            suggestion = one_line(self.suggestion)
            text += " " + _("Did you mean {suggestion}?").format(suggestion=suggestion)
        return text

    def render(self, _: Gettext) -> str:
        """Return 'Row 4, column group: Unknown group: XX-1.' in the given language."""
        return _("Row {row}, column {column}: {reason}").format(
            row=self.row, column=one_line(self.column), reason=self.message(_)
        )


class ImportRefused(Exception):
    """The whole file is refused: not CSV/XLSX, too big, empty, unknown kind, missing columns."""

    def __init__(self, file_name: str, reason: str, **params: object) -> None:
        super().__init__(f"{file_name}: {reason.format(**params)}")
        self.file_name = file_name
        self.reason = reason
        self.params = params

    def render(self, _: Gettext) -> str:
        """Return the refusal as one line in the given language."""
        return _("{file}: not imported. {reason}").format(
            file=one_line(self.file_name),
            reason=_(self.reason).format(**_shown(self.params, limit=SHOWN_LIST_CHARS)),
        )


NOT_A_TABLE = N_("This is not a CSV or XLSX file.")
EMPTY_FILE = N_("The file is empty.")
NO_DATA_ROWS = N_("The file has a header row but no data rows.")
TOO_BIG = N_("The file is too big ({size}); the limit is {limit}.")
UNPACKS_TOO_BIG = N_("The workbook unpacks to {size}, more than a table of data can need.")
TOO_MANY_ROWS = N_("The file has more than {limit} rows.")
UNKNOWN_KIND = N_("Unknown import kind {kind}. Known kinds: {kinds}.")
UNDETECTED_KIND = N_(
    "Cannot tell what the file holds: name it after its kind or choose the kind. "
    "Known kinds: {kinds}."
)
AMBIGUOUS_KIND = N_(
    "The columns fit several kinds ({kinds}): name the file after its kind or choose the kind."
)
MISSING_COLUMNS = N_("Required columns are missing: {columns}.")
REPEATED_COLUMN = N_("The column {column} appears more than once.")
DAMAGED = N_("The file is damaged at row {row} and cannot be read.")
TOO_MANY_PARTS = N_("The workbook has {count} parts, more than a table of data can need.")
TOO_MANY_COLUMNS = N_("The file has more than {limit} columns.")
UNSURE_ENCODING = N_(
    "Cannot tell the file's text encoding (tried {encodings}): save it as CSV UTF-8 and "
    "send it again."
)


def size_text(size: int) -> str:
    """Format a byte count for people: '512 B', '20 KB', '20.5 MB'."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"

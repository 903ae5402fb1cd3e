"""Problems found in an import file, and the refusal of a whole file, in the admin's language."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.i18n import N_, gettext_for


@dataclass(frozen=True)
class Problem:
    """One bad cell or row: where it is (as Excel shows it) and why, as a gettext msgid."""

    file_name: str
    row: int
    column: str
    reason: str
    params: Mapping[str, object] = field(default_factory=dict)
    suggestion: str | None = None

    def message(self, language: str) -> str:
        """Return the reason alone, translated."""
        _ = gettext_for(language)
        text = _(self.reason).format(**self.params)
        if self.suggestion:
            text += " " + _("Did you mean {suggestion}?").format(suggestion=self.suggestion)
        return text

    def render(self, language: str) -> str:
        """Return 'Row 4, column group: Unknown group: XX-1.' in the given language."""
        _ = gettext_for(language)
        return _("Row {row}, column {column}: {reason}").format(
            row=self.row, column=self.column, reason=self.message(language)
        )


class ImportRefused(Exception):
    """The whole file is refused: not CSV/XLSX, too big, empty, unknown kind, missing columns."""

    def __init__(self, file_name: str, reason: str, **params: object) -> None:
        super().__init__(f"{file_name}: {reason.format(**params)}")
        self.file_name = file_name
        self.reason = reason
        self.params = params

    def render(self, language: str) -> str:
        """Return the refusal as one line in the given language."""
        _ = gettext_for(language)
        return _("{file}: not imported. {reason}").format(
            file=self.file_name, reason=_(self.reason).format(**self.params)
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


def size_text(size: int) -> str:
    """Format a byte count for people: '512 B', '20 KB', '20.5 MB'."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"

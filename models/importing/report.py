"""The result of one import: counts or problems, rendered for the admin in their language."""

from dataclasses import dataclass, field

from models.i18n import Gettext
from models.importing.problems import Problem

SHOWN_PROBLEMS = 20


@dataclass
class ImportReport:
    """What an import did (or, with problems, why it wrote nothing)."""

    kind: str
    file_name: str
    rows: int
    title: str = ""  # gettext msgid naming the kind, e.g. "students"
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)  # the first ones, in file order
    more_problems: int = 0  # found beyond those kept in `problems`
    dry_run: bool = False
    ignored_columns: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def render(self, _: Gettext, *, limit: int = SHOWN_PROBLEMS) -> str:
        """Return the report for people: a summary, then up to `limit` problems."""
        lines = [
            _("{file}: {kind}, rows: {count}.").format(
                file=self.file_name, kind=_(self.title or self.kind), count=self.rows
            )
        ]
        if self.ignored_columns:
            columns = ", ".join(self.ignored_columns)
            lines.append(_("Ignored columns: {columns}.").format(columns=columns))
        count = len(self.problems) + self.more_problems
        if count:
            lines.append(_("Nothing was imported; problems found: {count}.").format(count=count))
            lines += [problem.render(_) for problem in self.problems[:limit]]
            if count > limit:
                lines.append(_("…and {count} more.").format(count=count - limit))
            return "\n".join(lines)
        if self.dry_run:
            lines.append(_("Checked only: nothing was written."))
        lines.append(
            _("New: {inserted}, changed: {updated}, unchanged: {unchanged}.").format(
                inserted=self.inserted, updated=self.updated, unchanged=self.unchanged
            )
        )
        return "\n".join(lines)

"""The README's import reference, written from the import kinds so it never drifts from them."""

import sys
from pathlib import Path

from models.importing.registry import KIND_CLASSES
from models.importing.spec import Kind
from models.importing.templates import csv_text

START = "<!-- import-formats:start (written by `make docs`) -->"
END = "<!-- import-formats:end -->"


def _cell(value: object) -> str:
    return csv_text(value).replace("|", "\\|") if value is not None else ""


def kind_section(number: int, kind: type[Kind]) -> str:
    """Return one kind's Markdown: file names, natural key, and a table of its columns."""
    example = kind.examples[0] if kind.examples else {}
    other_names = ", ".join(f"`{name}`" for name in kind.file_names)
    lines = [
        f"#### {number}. `{kind.name}`",
        "",
        f"File `{kind.name}.xlsx` or `.csv`"
        + (f" (also recognised: {other_names})" if other_names else "")
        + f". Rows are matched by **{', '.join(kind.key_columns)}**.",
        "",
        "| column | type | required | example |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{column.name}` | {column.type_name} | {'yes' if column.required else ''} "
        f"| {_cell(example.get(column.name))} |"
        for column in kind.columns
    ]
    return "\n".join(lines)


def import_reference() -> str:
    """Return the Markdown of every kind, in import order, between the README markers."""
    sections = [kind_section(n, kind) for n, kind in enumerate(KIND_CLASSES, start=1)]
    return "\n".join([START, "", "\n\n".join(sections), "", END])


def rewrite_readme(path: Path) -> bool:
    """Replace the README's import reference with the current one; return whether it changed."""
    text = path.read_text(encoding="utf-8")
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    updated = before + import_reference() + after
    path.write_text(updated, encoding="utf-8")
    return updated != text


if __name__ == "__main__":
    changed = rewrite_readme(Path(sys.argv[1] if len(sys.argv) > 1 else "README.md"))
    print("README import reference", "updated" if changed else "already current")

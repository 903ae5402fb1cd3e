"""The README documents every import kind exactly as the importer reads it."""

from pathlib import Path

from models.importing.docs import END, START, import_reference
from models.importing.registry import KIND_CLASSES

README = Path(__file__).parents[2] / "README.md"


def test_readme_import_reference_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert START in text and END in text
    current = text[text.index(START) : text.index(END) + len(END)]
    assert current == import_reference(), "run `make docs` to rewrite the README's reference"


def test_every_kind_and_required_column_is_documented() -> None:
    reference = import_reference()
    for kind in KIND_CLASSES:
        assert f"`{kind.name}`" in reference
        for column in kind.columns:
            assert f"| `{column.name}` |" in reference

"""A migration that has landed is history: its file never changes again (a new revision does)."""

import hashlib
from pathlib import Path

MIGRATIONS = Path(__file__).parent.parent / "migrations"
RELEASED = MIGRATIONS / "released.txt"


def _checksums() -> dict[str, str]:
    lines = RELEASED.read_text().splitlines()
    return {name: digest for digest, name in (line.split() for line in lines if line.strip())}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_released_migrations_are_unchanged() -> None:
    changed = [
        name
        for name, digest in _checksums().items()
        if not (MIGRATIONS / "versions" / name).exists()
        or _digest(MIGRATIONS / "versions" / name) != digest
    ]
    assert changed == [], "released migrations are never edited or removed: add a new revision"


def test_every_migration_is_listed_as_released() -> None:
    files = sorted(path.name for path in (MIGRATIONS / "versions").glob("[0-9]*.py"))
    unlisted = [name for name in files if name not in _checksums()]
    assert unlisted == [], (
        "list a new migration in migrations/released.txt when it lands: `make migration-checksums`"
    )

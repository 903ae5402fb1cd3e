"""Batches kept on disk between the passes of an import: checked records, then plans.

Writing starts only when every row is checked, as an import is all or nothing; until then the
records wait in a temporary file, not in memory, so memory stays flat whatever the file's size,
and SQLite's write lock is taken only for the writing, not while a big workbook is read. The
plans (what to insert and update) wait the same way until every batch is compared with the
database: SQLite reads slowly between writes of the same transaction, so reads go first.
"""

import pickle
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any, Generic, TypeVar

Batch = TypeVar("Batch")


@contextmanager
def staging() -> Iterator["Staging[Any]"]:
    """Yield an empty staging area in an unnamed temporary file, gone when done (or crashed)."""
    with tempfile.TemporaryFile() as file:
        yield Staging(file)


class Staging(Generic[Batch]):
    """Batches appended to a file, read back in order."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file
        self.batches = 0

    def add(self, batch: Batch) -> None:
        """Append a batch."""
        pickle.dump(batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.batches += 1

    def rewind(self) -> Iterator[Batch]:
        """Return the batches in the order they were added; read one at a time."""
        self._file.seek(0)
        # Only this process wrote the file, moments ago: unpickling it is safe.
        return (pickle.load(self._file) for _ in range(self.batches))

    def close(self) -> None:
        self._file.close()

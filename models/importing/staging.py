"""A file's checked records, kept on disk in batches between checking them and writing them.

Writing starts only when every row is checked, as an import is all or nothing; until then the
records wait in a temporary file, not in memory, so memory stays flat whatever the file's size,
and SQLite's write lock is taken only for the writing, not while a big workbook is read.
"""

import pickle
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from models.importing.spec import Record


@contextmanager
def staging() -> Iterator["Staging"]:
    """Yield an empty staging area in an unnamed temporary file, gone when done (or crashed)."""
    with tempfile.TemporaryFile() as file:
        yield Staging(file)


class Staging:
    """Batches of records appended to a file, read back in order."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file
        self.batches = 0

    def add(self, records: list[Record]) -> None:
        """Append a batch."""
        pickle.dump(records, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.batches += 1

    def rewind(self) -> Iterator[list[Record]]:
        """Return the batches in the order they were added; read one at a time."""
        self._file.seek(0)
        # Only this process wrote the file, moments ago: unpickling it is safe.
        return (pickle.load(self._file) for _ in range(self.batches))

    def close(self) -> None:
        self._file.close()

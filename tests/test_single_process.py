"""A second bot process on the same SQLite file is refused, naming the first one."""

import os
from pathlib import Path

import pytest

from bot.ops.single_process import AnotherProcess, hold_sqlite_lock


def test_a_second_process_on_one_sqlite_file_is_refused(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'schoolbot.db'}"
    first = hold_sqlite_lock(url)
    assert first is not None
    with pytest.raises(AnotherProcess, match=f"pid {os.getpid()}.*use PostgreSQL"):
        hold_sqlite_lock(url)  # its own open file, as another process's would be
    first.close()
    again = hold_sqlite_lock(url)  # free once the first has stopped
    assert again is not None
    again.close()


def test_postgresql_takes_no_file_lock() -> None:
    assert hold_sqlite_lock("postgresql+asyncpg://u@127.0.0.1/x") is None

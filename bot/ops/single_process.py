"""On SQLite only one bot process may use a database file: the second is refused in one line."""

import fcntl
import os
from pathlib import Path
from typing import IO

from sqlalchemy.engine import make_url


class AnotherProcess(Exception):
    """Another process holds the database; the message says which and what to do."""


def hold_sqlite_lock(database_url: str) -> IO[str] | None:
    """Lock `<database>.lock` for as long as the returned file stays open (None: not SQLite).

    Two processes on one SQLite file would both send the outbox and run every job; PostgreSQL
    is the database for several processes.
    """
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite") or not url.database or url.database == ":memory:":
        return None
    path = Path(url.database).resolve().with_name(Path(url.database).name + ".lock")
    lock = path.open("a+")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        holder = lock.read().strip() or "another process"
        lock.close()
        raise AnotherProcess(
            f"{url.database} is in use by schoolbot (pid {holder}). On SQLite only one process "
            "may run; stop the other one, or use PostgreSQL to run several."
        ) from None
    lock.truncate(0)
    lock.write(str(os.getpid()))
    lock.flush()
    return lock

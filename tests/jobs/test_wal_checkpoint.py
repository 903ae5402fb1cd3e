"""SQLite's write-ahead log is copied into the database by the job, not inside commits."""

from sqlalchemy import text

from bot.db import create_engine, make_sessionmaker
from jobs.wal_checkpoint import checkpoint
from models.audit import AuditEntry


async def test_commits_leave_the_log_to_the_job_which_copies_all_of_it(database_url: str) -> None:
    engine = create_engine(database_url, checkpoint_in_background=True)
    sessionmaker = make_sessionmaker(engine)
    try:
        for n in range(600):  # enough pages that SQLite would have checkpointed by itself
            async with sessionmaker.begin() as session:
                session.add(AuditEntry(action="test", detail="x" * 900, target=str(n)))
        result = await checkpoint(sessionmaker)
        if database_url.startswith("postgresql"):
            assert result is None  # PostgreSQL looks after its own log
            return
        assert result is not None
        log_pages, copied = result
        assert log_pages > 1500 and copied == log_pages  # nothing was checkpointed before
        async with sessionmaker() as session:
            count = await session.scalar(text("SELECT count(*) FROM audit_log"))
        assert count == 600
    finally:
        await engine.dispose()

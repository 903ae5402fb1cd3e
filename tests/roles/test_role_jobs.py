"""Each role runs its own jobs: web only its view log, a worker the leader's jobs while it leads."""

import pytest

from bot.app import SchoolApplication, build_application
from bot.chat.context import Role
from bot.config import Settings
from bot.db import SessionMaker
from bot.ops.health import check_health
from bot.schedule import jobs_for, start_leading, stop_leading
from tests.fake_telegram import RecordingRequest

LEADERS = {
    "outbox-sender",
    "change-notices",
    "ack-reminders",
    "digests",
    "adult-consent",
    "retention",
}
POSTGRES = "postgresql+asyncpg://u@127.0.0.1/x"
SQLITE = "sqlite+aiosqlite:///school.db"
SEVERAL: list[Role] = ["web", "worker"]


def _names(application: SchoolApplication) -> set[str]:
    assert application.job_queue is not None
    return {job.name for job in application.job_queue.jobs() if job.name}


def test_run_on_sqlite_runs_every_job() -> None:
    assert {job.name for job in jobs_for("run", database_url=SQLITE)} == {
        *LEADERS,
        "view-log",
        "wal-checkpoint",
    }


def test_run_on_postgresql_needs_no_checkpoint() -> None:
    assert {job.name for job in jobs_for("run", database_url=POSTGRES)} == {*LEADERS, "view-log"}


@pytest.mark.parametrize("role", SEVERAL)
def test_web_and_a_waiting_worker_only_flush_their_view_log(role: Role) -> None:
    assert [job.name for job in jobs_for(role, database_url=POSTGRES)] == ["view-log"]


async def test_a_worker_takes_on_the_leaders_jobs_while_it_leads(
    settings: Settings, sessionmaker: SessionMaker
) -> None:
    application = build_application(
        settings, sessionmaker=sessionmaker, request=RecordingRequest(), role="worker"
    )
    async with application:
        await application.start()
        try:
            assert "view-log" in _names(application) and not LEADERS & _names(application)
            assert not application.bot_data.leading
            registry = application.bot_data.metrics.registry
            assert registry.get_sample_value("schoolbot_leader") == 0
            await start_leading(application)
            assert _names(application) >= LEADERS and application.bot_data.leading
            assert registry.get_sample_value("schoolbot_leader") == 1
            await stop_leading(application)
            assert not LEADERS & _names(application)
            assert registry.get_sample_value("schoolbot_leader") == 0
            assert application.bot_data.sender_task is None
        finally:
            await application.stop()


async def test_health_names_the_role_and_whether_a_worker_leads(
    settings: Settings, sessionmaker: SessionMaker
) -> None:
    application = build_application(
        settings, sessionmaker=sessionmaker, request=RecordingRequest(), role="worker"
    )
    standby = await check_health(application.bot_data)
    assert standby.checks["role"] == "worker" and standby.checks["leader"] == "no"
    assert standby.healthy, standby.checks  # a standby runs no sender, and need not
    application.bot_data.leading = True
    leading = await check_health(application.bot_data)
    assert leading.checks["leader"] == "yes"
    assert not leading.healthy  # the leader must run the sender: it has not started it
    web = build_application(
        settings, sessionmaker=sessionmaker, request=RecordingRequest(), role="web"
    )
    answer = await check_health(web.bot_data)
    assert answer.checks["role"] == "web" and "leader" not in answer.checks and answer.healthy

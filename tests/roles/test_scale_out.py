"""Two web replicas and two workers on PostgreSQL: each update answered once, each row sent once."""

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from bot.db import SessionMaker
from bot.sandbox import Sandbox
from bot.sandbox.state import SandboxUser
from models.outbox import enqueue
from tests.roles.balancer import round_robin
from tests.roles.processes import Process, environment, free_port, start, until

SECRET = "scale-out_Secret-1"
PEOPLE = [SandboxUser(930_000 + n, f"Visitor {n}", language_code="en") for n in range(8)]
LEADER_JOBS = ("change-notices", "ack-reminders", "digests", "adult-consent", "retention")
HANDOVER = 15.0  # seconds: the goal of issue 16


@dataclass
class Cluster:
    webs: list[Process]
    workers: list[Process]

    @property
    def everyone(self) -> list[Process]:
        return [*self.webs, *self.workers]

    async def leaders(self) -> list[Process]:
        return [process for process in self.workers if await process.leads()]


@pytest.fixture
async def cluster(
    postgres_url: str, sessionmaker: SessionMaker, sandbox: Sandbox, tmp_path: Path
) -> AsyncIterator[Cluster]:
    """Two `web` behind a round-robin balancer the webhook points at, and two `worker`."""
    ports = [free_port(), free_port()]
    async with round_robin("/telegram", ports) as url:
        env = environment(postgres_url, sandbox, WEBHOOK_URL=url, WEBHOOK_SECRET=SECRET)
        webs = [
            await start(
                "web", {**env, "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(port)}, tmp_path
            )
            for port in ports
        ]
        workers = [await start("worker", env, tmp_path) for _ in range(2)]
        cluster = Cluster(webs, workers)
        try:
            for process in cluster.everyone:
                await until(process.health, seconds=90, what="serves /healthz", logs=[process])
            yield cluster
        finally:
            await asyncio.gather(*(process.stop() for process in cluster.everyone))


async def _queue(sessionmaker: SessionMaker, key: str) -> None:
    async with sessionmaker.begin() as session:
        for person in PEOPLE:
            await enqueue(
                session, chat_id=person.id, dedupe_key=f"{key}:{person.id}", text=key, urgent=True
            )


def _texts(sandbox: Sandbox, person: SandboxUser) -> list[str]:
    return [message.text or "" for message in sandbox.emulator.messages_for(person.id)]


async def _updates_handled(process: Process) -> float:
    async with (
        aiohttp.ClientSession() as client,
        client.get(f"http://127.0.0.1:{process.ops_port}/metrics") as answer,
    ):
        metrics = await answer.text()
    counts = re.findall(r"^schoolbot_updates_total\{.*\} (\S+)$", metrics, re.MULTILINE)
    return sum(float(count) for count in counts)


async def _jobs_ran(process: Process) -> set[str]:
    health = await process.health() or {}
    return set(health.get("jobs_last_run", {})) & set(LEADER_JOBS)


async def test_two_web_replicas_and_two_workers_share_the_work_once(
    cluster: Cluster, sandbox: Sandbox, sessionmaker: SessionMaker
) -> None:
    for person in PEOPLE:
        sandbox.emulator.register_user(person)
    await until(
        lambda: sandbox.emulator.state.webhook.config is not None, seconds=30, what="webhook set"
    )

    async def one_leads() -> bool:
        return len(await cluster.leaders()) == 1

    await until(one_leads, seconds=30, what="one worker leads", logs=cluster.workers)

    # Updates: each person asks twice; the balancer alternates between the replicas.
    for _ in range(2):
        for person in PEOPLE:
            await sandbox.emulator.user_sends(person, "/help")
    await until(
        lambda: all(len(_texts(sandbox, p)) >= 2 for p in PEOPLE), seconds=30, what="answers"
    )
    handled = [await _updates_handled(web) for web in cluster.webs]
    assert sum(handled) == 2 * len(PEOPLE) and all(handled)  # each update once, both replicas

    # The outbox: sent by the leader, once each.
    await _queue(sessionmaker, "first")
    await until(lambda: all("first" in _texts(sandbox, p) for p in PEOPLE), seconds=30, what="sent")
    (leader,) = await cluster.leaders()
    await until(lambda: _ran_somewhere(cluster), seconds=30, what="a leader's job ran")
    ran = {process.ops_port: await _jobs_ran(process) for process in cluster.everyone}
    assert [port for port, jobs in ran.items() if jobs] == [leader.ops_port]

    # The leader dies; the other worker leads within seconds and sends what follows.
    leader.kill()
    await _queue(sessionmaker, "second")
    standby = next(worker for worker in cluster.workers if worker is not leader)
    took = await until(standby.leads, seconds=HANDOVER, what="the standby leads", logs=[standby])
    print(f"the standby worker led {took:.1f} s after the leader was killed")
    await until(
        lambda: all("second" in _texts(sandbox, p) for p in PEOPLE), seconds=30, what="sent"
    )
    for person in PEOPLE:
        texts = _texts(sandbox, person)
        assert texts.count("first") == 1 and texts.count("second") == 1, texts


async def _ran_somewhere(cluster: Cluster) -> bool:
    return any([await _jobs_ran(process) for process in cluster.everyone])

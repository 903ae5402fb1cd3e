"""One worker leads: the advisory lock goes to exactly one contender and passes on when it dies."""

import asyncio
import contextlib

from sqlalchemy import text

from bot.db import create_engine
from bot.ops.leader import LOCK_KEY, LeaderLock, lead_while_elected


async def _terminate_holder(database_url: str) -> int:
    """End the server process of the connection holding the lock, as a dropped network would."""
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        holder = await connection.scalar(
            text(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = :key AND granted"
            ),
            {"key": LOCK_KEY},
        )
        await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": holder})
    await engine.dispose()
    return int(holder)


async def test_exactly_one_contender_takes_the_lock(postgres_url: str) -> None:
    first, second = LeaderLock(postgres_url), LeaderLock(postgres_url)
    try:
        assert await first.try_acquire()
        assert not await second.try_acquire()
        assert await first.holds()
        assert not await second.holds()
    finally:
        await first.release()
        await second.release()


async def test_a_released_lock_goes_to_the_next_contender(postgres_url: str) -> None:
    first, second = LeaderLock(postgres_url), LeaderLock(postgres_url)
    try:
        assert await first.try_acquire()
        await first.release()
        assert await second.try_acquire()
        assert not await first.try_acquire()
    finally:
        await first.release()
        await second.release()


async def test_a_leader_whose_connection_is_dropped_loses_the_lock(postgres_url: str) -> None:
    first, second = LeaderLock(postgres_url), LeaderLock(postgres_url)
    try:
        assert await first.try_acquire()
        await _terminate_holder(postgres_url)
        assert not await first.holds()
        assert await second.try_acquire()
    finally:
        await first.release()
        await second.release()


async def test_a_contender_leads_stands_down_and_hands_over(postgres_url: str) -> None:
    events: list[str] = []
    stopping = asyncio.Event()

    def contender(name: str) -> "asyncio.Task[None]":
        async def elected() -> None:
            events.append(f"{name} leads")

        async def deposed() -> None:
            events.append(f"{name} stands down")

        return asyncio.create_task(
            lead_while_elected(
                LeaderLock(postgres_url),
                stopping=stopping,
                on_elected=elected,
                on_deposed=deposed,
                poll=0.1,
                check=0.1,
            )
        )

    tasks = [contender("a"), contender("b")]
    try:
        await _until(lambda: len(events) == 1)
        leader = events[0].split()[0]
        await asyncio.sleep(0.5)  # time for the other to try, several times
        assert events == [f"{leader} leads"]
        await _terminate_holder(postgres_url)
        await _until(lambda: f"{leader} stands down" in events)
        await _until(lambda: sum(event.endswith("leads") for event in events) == 2)
    finally:
        stopping.set()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, 10)
    assert events[0] == f"{leader} leads"  # nobody led twice, nobody led before the first
    assert events[-1].endswith("stands down")  # stopping ends the leader's work too


async def _until(condition: object, seconds: float = 20.0) -> None:
    for _ in range(int(seconds * 20)):
        if callable(condition) and condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("not reached in time")

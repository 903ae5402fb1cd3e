"""Updates run many at once, each sender's in arrival order; the per-sender locks go when idle."""

import asyncio
from collections import defaultdict
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Any

from telegram import Bot, Chat, Message, Update

from bot.ops.update_order import OrderedUpdateProcessor, sender_key
from tests.fake_telegram import make_user, text_update

ANNA = make_user(7001, first_name="Anna")
BORIS = make_user(7002, first_name="Boris")
BOT = Bot("123456:TEST")


def _update(user_id: int) -> Update:
    return text_update(BOT, "hi", ANNA if user_id == ANNA.id else BORIS)


class Journal:
    """What the updates did, in the order they did it; a gate holds the slow ones."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.gate = asyncio.Event()
        self._seen: defaultdict[str, asyncio.Event] = defaultdict(asyncio.Event)

    async def work(self, name: str, *, slow: bool = False) -> None:
        self._note(f"{name} started")
        if slow:
            await self.gate.wait()
        self._note(f"{name} done")

    def _note(self, event: str) -> None:
        self.events.append(event)
        self._seen[event].set()

    async def until(self, event: str) -> None:
        await self._seen[event].wait()


async def _arrive(
    processor: OrderedUpdateProcessor, update: Update, work: Coroutine[Any, Any, None]
) -> "asyncio.Task[None]":
    task = asyncio.create_task(processor.process_update(update, work))
    await asyncio.sleep(0)  # the update arrives: it takes its place in line
    return task


async def test_another_sender_is_answered_while_one_update_is_slow() -> None:
    processor, journal = OrderedUpdateProcessor(4), Journal()
    slow = await _arrive(processor, _update(ANNA.id), journal.work("anna", slow=True))
    quick = await _arrive(processor, _update(BORIS.id), journal.work("boris"))
    await quick
    assert journal.events == ["anna started", "boris started", "boris done"]
    journal.gate.set()
    await slow
    assert journal.events[-1] == "anna done"


async def test_one_senders_updates_run_one_after_another_in_arrival_order() -> None:
    processor, journal = OrderedUpdateProcessor(4), Journal()
    tasks = [await _arrive(processor, _update(ANNA.id), journal.work("first", slow=True))]
    tasks += [await _arrive(processor, _update(ANNA.id), journal.work(f"#{n}")) for n in range(5)]
    await journal.until("first started")
    assert journal.events == ["first started"]  # the later ones wait their turn
    assert processor.turns.waiting(ANNA.id) == 6
    journal.gate.set()
    await asyncio.gather(*tasks)
    started = [event.split()[0] for event in journal.events if event.endswith("started")]
    assert started == ["first", "#0", "#1", "#2", "#3", "#4"]
    assert journal.events == [f"{name} {step}" for name in started for step in ("started", "done")]


async def test_a_flood_from_one_sender_leaves_room_for_others() -> None:
    processor, journal = OrderedUpdateProcessor(2), Journal()
    anna = _update(ANNA.id)
    tasks = [await _arrive(processor, anna, journal.work("anna", slow=True))]
    tasks += [await _arrive(processor, anna, journal.work(f"anna{n}")) for n in range(40)]
    async with asyncio.timeout(10):  # a guard: a processor that lets the flood block hangs here
        await (await _arrive(processor, _update(BORIS.id), journal.work("boris")))
    assert "boris done" in journal.events
    assert "anna0 started" not in journal.events  # Anna's second is still behind her first
    journal.gate.set()
    await asyncio.gather(*tasks)


async def test_no_more_than_the_limit_run_at_once() -> None:
    processor, journal = OrderedUpdateProcessor(2), Journal()
    users = [make_user(7100 + n) for n in range(5)]
    tasks = [
        await _arrive(processor, text_update(BOT, "hi", u), journal.work(str(u.id), slow=True))
        for u in users
    ]
    await journal.until("7101 started")
    await asyncio.sleep(0)
    assert journal.events == ["7100 started", "7101 started"]
    journal.gate.set()
    await asyncio.gather(*tasks)
    assert len([event for event in journal.events if event.endswith("done")]) == 5


async def test_the_lock_map_empties_when_nobody_waits() -> None:
    processor, journal = OrderedUpdateProcessor(4), Journal()
    tasks = [
        await _arrive(processor, _update(user_id), journal.work(f"{user_id}-{n}", slow=n == 0))
        for n in range(3)
        for user_id in (ANNA.id, BORIS.id)
    ]
    assert len(processor.turns) == 2
    journal.gate.set()
    await asyncio.gather(*tasks)
    assert len(processor.turns) == 0


async def test_a_failing_update_lets_the_next_one_run() -> None:
    processor, journal = OrderedUpdateProcessor(4), Journal()

    async def fail() -> None:
        raise RuntimeError("handler broke")

    failed = await _arrive(processor, _update(ANNA.id), fail())
    after = await _arrive(processor, _update(ANNA.id), journal.work("next"))
    await asyncio.gather(failed, after, return_exceptions=True)
    assert journal.events == ["next started", "next done"]
    assert len(processor.turns) == 0


def test_updates_wait_for_their_user_else_their_chat() -> None:
    channel = Chat(-100123, Chat.CHANNEL)
    post = Update(1, channel_post=Message(1, datetime.now(UTC), channel, text="news"))
    assert sender_key(_update(ANNA.id)) == ANNA.id
    assert sender_key(post) == channel.id
    assert sender_key(Update(1)) is None
    assert sender_key("not an update") is None

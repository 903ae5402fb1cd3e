"""Injected faults reach the bot as PTB's own exceptions: 429, 403, 5xx, slow answers."""

from datetime import timedelta

import aiohttp
import pytest
from telegram import Bot
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut

from bot.sandbox import Sandbox
from tests.sandbox.conftest import ADMIN, STUDENT, TUTOR


class FakeClock:
    """A monotonic clock the test moves by hand, so rate limits do not depend on speed."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(sandbox: Sandbox) -> FakeClock:
    clock = FakeClock()
    sandbox.emulator.faults.clock = clock
    return clock


async def test_rate_limits_are_off_by_default(bot: Bot, clock: FakeClock) -> None:
    for _ in range(3):
        await bot.send_message(STUDENT.telegram_id, "burst")


async def test_second_message_to_a_chat_within_a_second_gets_retry_after(
    sandbox: Sandbox, bot: Bot, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    sandbox.emulator.faults.rate_limits = True
    await bot.send_message(STUDENT.telegram_id, "one")
    clock.now += 0.4
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(STUDENT.telegram_id, "two")
    assert caught.value.retry_after == timedelta(seconds=1)
    await bot.send_message(TUTOR.telegram_id, "another chat is fine")
    clock.now += 0.6
    await bot.send_message(STUDENT.telegram_id, "two, later")
    assert sandbox.emulator.delivered(STUDENT.telegram_id) == 2


async def test_more_than_30_messages_a_second_overall_get_retry_after(
    sandbox: Sandbox, bot: Bot, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    sandbox.emulator.faults.rate_limits = True
    for index in range(30):
        sandbox.emulator.register_chat(-1000 - index, type="supergroup")
        await bot.send_message(-1000 - index, "hi")
    sandbox.emulator.register_chat(-2000, type="supergroup")
    with pytest.raises(RetryAfter):
        await bot.send_message(-2000, "one too many")
    clock.now += 1.0
    await bot.send_message(-2000, "after a second")


async def test_flood_pauses_every_chat_for_the_given_time(
    sandbox: Sandbox, bot: Bot, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    sandbox.emulator.faults.flood(3600)
    clock.now += 100
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(ADMIN.telegram_id, "digest")
    assert caught.value.retry_after == timedelta(seconds=3500)
    clock.now += 3500
    await bot.send_message(ADMIN.telegram_id, "digest")


async def test_blocked_chat_answers_forbidden(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.emulator.faults.block(STUDENT.telegram_id)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(STUDENT.telegram_id, "news")
    with pytest.raises(Forbidden):
        await bot.send_chat_action(STUDENT.telegram_id, "typing")
    sandbox.emulator.faults.unblock(STUDENT.telegram_id)
    await bot.send_message(STUDENT.telegram_id, "news")
    assert sandbox.emulator.delivered(STUDENT.telegram_id) == 1


async def test_next_requests_fail_with_a_server_error(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.emulator.faults.server_errors_next = 2
    for _ in range(2):
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_message(STUDENT.telegram_id, "x")
    await bot.send_message(STUDENT.telegram_id, "x")
    assert sandbox.emulator.delivered(STUDENT.telegram_id) == 1
    assert len(sandbox.emulator.messages_for(STUDENT.telegram_id)) == 1


async def test_a_fraction_of_requests_fail(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.emulator.faults.server_error_fraction = 0.5
    sandbox.emulator.faults.server_error_code = 502
    failures = 0
    for _ in range(40):
        try:
            await bot.send_message(STUDENT.telegram_id, "x")
        except NetworkError:
            failures += 1
    assert 5 < failures < 35
    assert sandbox.emulator.delivered(STUDENT.telegram_id) == 40 - failures


async def test_slow_answers_time_out_in_the_client(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.emulator.faults.delay = 0.5
    with pytest.raises(TimedOut):
        await bot.send_message(STUDENT.telegram_id, "late", read_timeout=0.05)


async def test_faults_are_switched_over_http(sandbox: Sandbox, bot: Bot) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(
            sandbox.url + "api/faults",
            json={"rate_limits": True, "blocked": {str(TUTOR.telegram_id): ""}},
        ) as response:
            assert response.status == 200
            body = await response.json()
        assert body["faults"]["rate_limits"] is True
        with pytest.raises(Forbidden):
            await bot.send_message(TUTOR.telegram_id, "x")
        async with session.post(sandbox.url + "api/faults", json={"blocked": {}}) as response:
            assert response.status == 200
        await bot.send_message(TUTOR.telegram_id, "x")
        async with session.get(sandbox.url + "api/faults") as response:
            assert (await response.json())["delivered"] == {str(TUTOR.telegram_id): 1}
        async with session.post(sandbox.url + "api/faults", json={"nonsense": 1}) as response:
            assert response.status == 400

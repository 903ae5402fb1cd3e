"""The outbox's pace: a new sender's first send waits out the window its predecessor filled."""

import time

from jobs.outbox_pace import Pace


async def test_a_new_senders_first_slot_waits_for_the_window_before_it() -> None:
    pace = Pace(30.0, start_after=0.3)
    started = time.monotonic()
    await pace.slot()
    assert time.monotonic() - started >= 0.3  # never sooner: the old sender's sends still count


async def test_slots_follow_each_other_at_the_rate() -> None:
    pace = Pace(10.0)
    await pace.slot()  # the first slot is at once
    started = time.monotonic()
    await pace.slot()
    assert time.monotonic() - started >= 0.09  # one interval (0.1 s), less the clock's grain

"""How busy the machine was during a measurement, and what the process itself cost.

CPU time the host took away (steal), the process's resident memory (now and its peak), and a
loop-lag probe: the longest time the event loop was kept from running anything else.
"""

import asyncio
import contextlib
import time
from pathlib import Path

_STAT = Path("/proc/stat")
_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def cpu_times() -> tuple[int, int]:
    """Return (all CPU ticks, stolen ticks) so far, or zeros where /proc/stat is missing."""
    try:
        fields = _STAT.read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0, 0
    ticks = [int(value) for value in fields]
    steal = ticks[7] if len(ticks) > 7 else 0
    return sum(ticks[:8]), steal


def steal_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    """The share of CPU time the host gave to others between two readings (0 to 1)."""
    total, steal = after[0] - before[0], after[1] - before[1]
    return steal / total if total > 0 else 0.0


def _status_mb(field: str) -> float:
    try:
        lines = _STATUS.read_text().splitlines()
    except OSError:
        return 0.0
    for line in lines:
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # kB
    return 0.0


def rss_mb() -> float:
    """The process's resident memory now, in MB (0 where /proc is missing)."""
    return _status_mb("VmRSS")


def peak_rss_mb() -> float:
    """The process's highest resident memory since start or the last reset_peak_rss()."""
    return _status_mb("VmHWM")


def reset_peak_rss() -> None:
    """Start the peak over from the current RSS (Linux; elsewhere the probe's samples count)."""
    with contextlib.suppress(OSError):
        _CLEAR_REFS.write_text("5")


class LoopProbe:
    """Wake every few milliseconds; a late wake-up is time the loop was blocked by something.

    A wake-up can be late because code held the loop, or because the machine gave the process
    no CPU (a busy shared host): the CPU time the loop's thread used between two wake-ups tells
    the first from the second, so both are kept. It also samples the RSS now and then, so a
    peak is seen where VmHWM cannot be reset.
    """

    def __init__(self, interval: float = 0.002) -> None:
        self.interval = interval
        self.longest = 0.0  # seconds of wall-clock time, since the last take_longest()
        self.longest_cpu = 0.0  # seconds of the loop thread's CPU time in one late wake-up
        self.rss_peak = 0.0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def take_longest(self) -> tuple[float, float]:
        """Return the longest block (wall, CPU seconds) since the last call, and start over."""
        longest, self.longest, self.longest_cpu = (self.longest, self.longest_cpu), 0.0, 0.0
        return longest

    async def _run(self) -> None:
        ticks = 0
        while True:
            before, cpu_before = time.perf_counter(), time.thread_time()
            await asyncio.sleep(self.interval)
            self.longest = max(self.longest, time.perf_counter() - before - self.interval)
            self.longest_cpu = max(self.longest_cpu, time.thread_time() - cpu_before)
            ticks += 1
            if ticks % 25 == 0:
                self.rss_peak = max(self.rss_peak, rss_mb())

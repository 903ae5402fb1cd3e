"""How busy the machine was during a measurement: CPU time the host took away (steal)."""

from pathlib import Path

_STAT = Path("/proc/stat")


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

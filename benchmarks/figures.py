"""The figures of a query benchmark run, printed beside the goals of issue 12."""

import statistics
from dataclasses import dataclass

from benchmarks.live import LiveWork

ECHO = "echo handler (floor)"
# The goals at scale 40 (issue 12).
ECHO_FACTOR_GOAL = 2.0  # worst question's p50 against the echo handler's
LIVE_FACTOR_GOAL = 2.0  # each question's live p99 against its idle p99
SLOWEST_GOAL_MS = 100.0  # no single live answer slower
BLOCK_GOAL_MS = 50  # longest event-loop block
RSS_STEADY_GOAL, RSS_PEAK_GOAL = 120, 200  # MB


@dataclass
class Run:
    """What one benchmark run measured."""

    idle: dict[str, list[float]]
    live: dict[str, list[float]] | None = None
    work: LiveWork | None = None
    block_idle: tuple[float, float] = (0.0, 0.0)  # wall-clock and CPU seconds
    block_live: tuple[float, float] = (0.0, 0.0)
    rss_start: float = 0.0
    rss_steady: float = 0.0
    rss_peak: float = 0.0
    rss_end: float = 0.0


def p99_ms(samples: list[float]) -> tuple[float, float]:
    """Return the median and the 99th percentile in milliseconds."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples) * 1000, cuts[98] * 1000


def _ms(block: tuple[float, float]) -> str:
    return f"{block[0] * 1000:.0f} / {block[1] * 1000:.0f} ms"


def report(result: Run) -> None:
    """Print every figure beside its goal."""
    echo_p50, echo_p99 = p99_ms(result.idle[ECHO])
    live_echo = p99_ms(result.live[ECHO]) if result.live else None
    print(
        f"{'question':38} {'idle p50':>8} {'p99':>7} {'live p50':>8} {'p99':>7} "
        f"{'max':>7} {'live/idle p99':>13}"
    )
    print(
        f"{ECHO:38} {echo_p50:8.2f} {echo_p99:7.2f}"
        + (
            f" {live_echo[0]:8.2f} {live_echo[1]:7.2f} {max(result.live[ECHO]) * 1000:7.1f}"
            if result.live and live_echo
            else ""
        )
    )
    worst_p50, worst_ratio, slowest = 0.0, 0.0, 0.0
    for label, timings in result.idle.items():
        if label == ECHO:
            continue
        p50, p99 = p99_ms(timings)
        worst_p50 = max(worst_p50, p50)
        line = f"{label:38} {p50:8.2f} {p99:7.2f}"
        if result.live:
            live_p50, live_p99 = p99_ms(result.live[label])
            longest = max(result.live[label]) * 1000
            worst_ratio, slowest = max(worst_ratio, live_p99 / p99), max(slowest, longest)
            line += f" {live_p50:8.2f} {live_p99:7.2f} {longest:7.1f} {live_p99 / p99:12.1f}×"
        print(line)
    print(f"\nworst p50 / echo p50: {worst_p50 / echo_p50:.1f}× (goal ≤ {ECHO_FACTOR_GOAL}×)")
    print(
        f"longest event-loop block (wall clock / the loop's CPU time in it): idle "
        f"{_ms(result.block_idle)}",
        end="",
    )
    if result.live and result.work:
        work = result.work
        print(f", live {_ms(result.block_live)} (goal ≤ {BLOCK_GOAL_MS} ms)")
        print(
            f"worst live p99 / idle p99: {worst_ratio:.1f}× (goal ≤ {LIVE_FACTOR_GOAL}×); "
            f"slowest live answer: {slowest:.1f} ms (goal ≤ {SLOWEST_GOAL_MS} ms)"
        )
        print(
            f"live work: {len(work.notice_runs)} change-notice runs (longest "
            f"{max(work.notice_runs, default=0):.2f} s, {work.notices_queued} queued); "
            f"digest {work.digest_seconds:.1f} s, {work.digest_rows} outbox rows"
        )
    else:
        print()
    print(
        f"RSS: after start {result.rss_start:.0f} MB; steady {result.rss_steady:.0f} MB "
        f"(goal ≤ {RSS_STEADY_GOAL} MB); peak {result.rss_peak:.0f} MB "
        f"(goal ≤ {RSS_PEAK_GOAL} MB); at the end {result.rss_end:.0f} MB"
    )

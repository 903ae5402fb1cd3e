"""Prometheus metrics of one process: updates, answer latency, jobs, the outbox, Telegram's 429s."""

import time
from collections.abc import Awaitable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from telegram import Update

from bot.ops.update_order import OrderedUpdateProcessor

# Answers take milliseconds; the tail that matters to people is seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """Every metric the process exports, in a registry of its own (one per application)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.updates = Counter(
            "schoolbot_updates",
            "Updates handled, by kind and outcome.",
            ["kind", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "schoolbot_answer_seconds",
            "Time from an update's arrival to its last reply.",
            ["kind"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.job_runs = Counter(
            "schoolbot_job_runs",
            "Scheduled job runs, by job and outcome.",
            ["job", "outcome"],
            registry=self.registry,
        )
        self.job_last_run = Gauge(
            "schoolbot_job_last_run_timestamp_seconds",
            "When each job last finished.",
            ["job"],
            registry=self.registry,
        )
        self.outbox = Gauge(
            "schoolbot_outbox_messages",
            "Outbox messages by status (read at each scrape).",
            ["status"],
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "schoolbot_telegram_rate_limited",
            "429 answers from Telegram (the queue paused).",
            registry=self.registry,
        )
        self.errors = Counter(
            "schoolbot_update_errors", "Updates whose handler failed.", registry=self.registry
        )
        self.last_runs: dict[str, float] = {}  # job -> wall-clock time of its last finish

    def job_finished(self, job: str, *, ok: bool) -> None:
        """Count a run of a scheduled job and remember when it finished."""
        self.job_runs.labels(job, "ok" if ok else "error").inc()
        self.last_runs[job] = time.time()
        self.job_last_run.labels(job).set(self.last_runs[job])


def update_kind(update: object) -> str:
    """Name an update by what it carries: message, callback_query, inline_query, ..."""
    if not isinstance(update, Update):
        return "other"
    for kind in Update.ALL_TYPES:
        if getattr(update, kind, None) is not None:
            return kind
    return "other"


class MeasuredUpdateProcessor(OrderedUpdateProcessor):
    """Process updates many at once (each sender's in order), timing each and counting it by kind.

    The time runs from the update's arrival, so waiting for the sender's earlier updates counts.
    """

    def __init__(self, metrics: Metrics, running: int = 1) -> None:
        super().__init__(running)
        self.metrics = metrics

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        kind = update_kind(update)
        started = time.perf_counter()
        outcome = "ok"
        try:
            await super().do_process_update(update, coroutine)
        except Exception:
            outcome = "error"
            raise
        finally:
            self.metrics.latency.labels(kind).observe(time.perf_counter() - started)
            self.metrics.updates.labels(kind, outcome).inc()

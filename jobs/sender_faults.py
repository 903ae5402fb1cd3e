"""Faults the sender rides out: reported in one line (the traceback at debug), waited out longer."""

import logging


def describe(exc: BaseException) -> str:
    """Name the error in one short line (its first line; SQL and tracebacks left out)."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0][:200]}" if lines else type(exc).__name__


def log_fault(logger: logging.Logger, what: str, exc: BaseException, pause: float) -> None:
    """Log a fault that will be tried again: one warning line, and the traceback at debug."""
    logger.warning("%s (%s); trying again in %.1f s", what, describe(exc), pause)
    logger.debug("%s: the traceback", what, exc_info=exc)


class Backoff:
    """Pauses that double after each fault in a row, up to `longest`; reset after a success."""

    def __init__(self, first: float, longest: float) -> None:
        self.first, self.longest = first, longest
        self._next = first

    def next(self) -> float:
        """Return the pause before the next try, and double the one after it."""
        pause = self._next
        self._next = min(self._next * 2, self.longest)
        return pause

    def reset(self) -> None:
        self._next = self.first

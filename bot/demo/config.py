"""The demo school's data files: REAL facts, ASSUMED values and name pools, read with tomllib."""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent


@dataclass(frozen=True)
class DemoConfig:
    """The three data files, as parsed TOML tables."""

    school: dict[str, Any]  # school.toml: REAL facts from the report
    assumed: dict[str, Any]  # assumptions.toml: everything the school should correct
    names: dict[str, Any]  # names.toml: name pools and the real-name blocklist


def _read(name: str) -> dict[str, Any]:
    with (DATA_DIR / name).open("rb") as file:
        return tomllib.load(file)


@cache
def load_config() -> DemoConfig:
    """Read the data files once per process."""
    return DemoConfig(
        school=_read("school.toml"), assumed=_read("assumptions.toml"), names=_read("names.toml")
    )


def pair_range(value: Any) -> tuple[float, float]:
    """Read a two-number TOML array as a (low, high) tuple."""
    low, high = value
    return float(low), float(high)


def int_range(value: Any) -> tuple[int, int]:
    """Read a two-integer TOML array as a (low, high) tuple."""
    low, high = value
    return int(low), int(high)


def weights(value: Any) -> tuple[list[str], list[float]]:
    """Split a TOML table of weights into keys and numbers, in file order."""
    assert isinstance(value, dict)
    return list(value), [float(weight) for weight in value.values()]

"""Fictional Latvian-spelling names with gender agreement, unique where the caller asks."""

import random
from dataclasses import dataclass
from typing import Any

from bot.demo.config import DemoConfig, weights
from models.text import fold

ORIGINS = ("lv", "ru", "pl", "byua")


@dataclass(frozen=True)
class Name:
    first: str
    last: str
    origin: str  # the surname's bucket

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def key(self) -> str:
        return fold(self.full)

    @property
    def email(self) -> str:
        """firstname.lastname@demo.invalid, ASCII only."""
        local = f"{fold(self.first)}.{fold(self.last)}".replace(" ", "-")
        return f"{local}@demo.invalid"


def _surnames(table: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    pairs: dict[str, list[tuple[str, str]]] = {}
    for origin in ORIGINS:
        pairs[origin] = []
        for entry in table[origin]:
            male, _, female = entry.partition("/")
            pairs[origin].append((male, female or male))
    return pairs


def family_forms(config: DemoConfig) -> dict[str, tuple[str, str]]:
    """Map each surname, in either form, to its (male, female) pair: a family's surnames."""
    forms: dict[str, tuple[str, str]] = {}
    for pairs in _surnames(config.names["surnames"]).values():
        for male, female in pairs:
            forms.setdefault(male, (male, female))
            forms.setdefault(female, (male, female))
    return forms


class NameMaker:
    """Draw names for students or staff from the pools of names.toml."""

    def __init__(self, config: DemoConfig, rng: random.Random, *, kind: str) -> None:
        pools = config.names
        self._rng = rng
        self._kind = kind
        self._origins, self._weights = weights(pools["weights"][kind])
        self._cross = float(pools["weights"]["cross_combination"])
        self._surnames = _surnames(pools["surnames"])
        self._blocked = {fold(name) for name in pools["blocklist"]["full_names"]}
        self._first: dict[tuple[str, str], list[str]] = {}
        for gender, section in (("M", "male"), ("F", "female")):
            for origin in ORIGINS:
                names = list(pools[kind][section][origin])
                if kind == "staff":  # younger staff, and enough combinations for large scales
                    names += [n for n in pools["students"][section][origin] if n not in names]
                self._first[gender, origin] = names

    def origin(self) -> str:
        """Draw a surname bucket by the configured weights."""
        return self._rng.choices(self._origins, self._weights)[0]

    def make(
        self, gender: str, *, origin: str | None = None, taken: set[str] | None = None
    ) -> Name:
        """Draw a name of the given gender, not blocked and not in `taken` (which it extends)."""
        rng = self._rng
        for attempt in range(200):
            bucket = origin or self.origin()
            first_bucket = bucket
            if origin is None and rng.random() < self._cross:
                first_bucket = rng.choice([o for o in ORIGINS if o != bucket])
            male, female = rng.choice(self._surnames[bucket])
            first = rng.choice(self._first[gender, first_bucket])
            name = Name(first, male if gender == "M" else female, bucket)
            if name.key in self._blocked or (taken is not None and name.key in taken):
                if attempt > 100:
                    origin = None  # the bucket is exhausted: widen to every bucket
                continue
            if taken is not None:
                taken.add(name.key)
            return name
        raise RuntimeError(f"no unique {self._kind} name left for gender {gender}")

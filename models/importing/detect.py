"""Decide which kind a file holds: the kind asked for, else the file name, else the headers."""

from collections.abc import Sequence
from pathlib import PurePath

from models.importing import problems
from models.importing.headers import match_headers
from models.importing.keys import header_key
from models.importing.problems import ImportRefused
from models.importing.registry import BY_NAME, KIND_CLASSES, KINDS
from models.importing.spec import Kind


def _names(kind: type[Kind]) -> list[str]:
    return [header_key(name) for name in (kind.name, *kind.file_names)]


def kind_by_name(name: str) -> type[Kind] | None:
    """Return the kind called `name` (or one of its Latvian or Russian names)."""
    key = header_key(name)
    for kind in KIND_CLASSES:
        if key in _names(kind):
            return kind
    return None


def kind_from_file_name(file_name: str) -> type[Kind] | None:
    """Find a kind's name in a file name: 'students-2025.csv', 'audzekni.xlsx'."""
    stem = header_key(PurePath(file_name).stem)
    padded = f"_{stem}_"
    found = [
        (len(name), kind) for kind in KIND_CLASSES for name in _names(kind) if f"_{name}_" in padded
    ]
    return max(found, key=lambda pair: pair[0])[1] if found else None


def kind_from_headers(headers: Sequence[str], file_name: str) -> type[Kind] | None:
    """Return the kind whose columns fit the headers best; refuse a tie."""
    scored: list[tuple[int, float, type[Kind]]] = []
    for kind in KIND_CLASSES:
        positions, _ = match_headers(kind, headers)
        required = {column.name for column in kind.columns if column.required}
        if positions and required <= positions.keys():
            scored.append((len(positions), len(positions) / len(kind.columns), kind))
    if not scored:
        return None
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    if len(scored) > 1 and scored[0][:2] == scored[1][:2]:
        tied = ", ".join(item[2].name for item in scored if item[:2] == scored[0][:2])
        raise ImportRefused(file_name, problems.AMBIGUOUS_KIND, kinds=tied)
    return scored[0][2]


def choose_kind(kind: str | None, file_name: str, headers: Sequence[str]) -> type[Kind]:
    """Return the kind to import the file as, or refuse, listing the known kinds."""
    known = ", ".join(KINDS)
    if kind is not None:
        chosen = BY_NAME.get(kind) or kind_by_name(kind)
        if chosen is None:
            raise ImportRefused(file_name, problems.UNKNOWN_KIND, kind=kind, kinds=known)
        return chosen
    found = kind_from_file_name(file_name) or kind_from_headers(headers, file_name)
    if found is None:
        raise ImportRefused(file_name, problems.UNDETECTED_KIND, kinds=known)
    return found

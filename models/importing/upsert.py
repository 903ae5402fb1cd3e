"""Compare a file's records with the database and write the difference in bulk."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.importing.spec import Children, Key, Kind, Record, table_of

CHUNK = 500  # ids per IN (...) list


@dataclass
class Existing:
    ident: int
    values: dict[str, object]


@dataclass
class Plan:
    """What an import will do: rows to insert and update, child rows to add and remove."""

    inserts: list[Record] = field(default_factory=list)
    updates: list[tuple[int, Record]] = field(default_factory=list)
    child_adds: list[tuple[int, object]] = field(default_factory=list)  # (parent id, value)
    child_removes: list[int] = field(default_factory=list)  # child row ids
    updated: int = 0
    unchanged: int = 0


class Upsert:
    """Plan and write a file's records batch by batch.

    Each batch reads the rows it can touch (Kind.scope); a kind without a scope compares with
    its whole table, read once for the whole file. Batches never share a key (a repeated key
    is a problem of the file), so what one batch writes is nothing a later one compares with.
    """

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self._whole: dict[Key, Existing] | None = None

    async def plan(self, session: AsyncSession, records: Sequence[Record]) -> Plan:
        """Sort a batch of records into what to insert, update, and leave."""
        existing = await self._existing(session, records)
        return await plan_changes(session, self.kind, records, existing)

    async def _existing(
        self, session: AsyncSession, records: Sequence[Record]
    ) -> dict[Key, Existing]:
        filters = self.kind.scope(records)
        if filters is not None:
            return await _load_existing(session, self.kind, filters)
        if self._whole is None:
            self._whole = await _load_existing(session, self.kind, None)
        return self._whole


async def plan_changes(
    session: AsyncSession,
    kind: Kind,
    records: Sequence[Record],
    existing: dict[Key, Existing],
) -> Plan:
    """Sort records into a plan, given the rows they can touch (their children are read)."""
    matched = [found.ident for record in records if (found := existing.get(record.key))]
    children = await _load_children(session, kind.children, matched) if kind.children else {}
    plan = Plan()
    for record in records:
        found = existing.get(record.key)
        if found is None:
            plan.inserts.append(record)
            continue
        changed = any(found.values[name] != value for name, value in record.values.items())
        if changed:
            plan.updates.append((found.ident, record))
        children_changed = False
        if record.children is not None:
            current = children.get(found.ident, {})
            added = record.children - current.keys()
            removed = [child for value, child in current.items() if value not in record.children]
            plan.child_adds += [(found.ident, value) for value in added]
            plan.child_removes += removed
            children_changed = bool(added or removed)
        if changed or children_changed:
            plan.updated += 1
        else:
            plan.unchanged += 1
    return plan


async def apply_plan(session: AsyncSession, kind: Kind, plan: Plan) -> None:
    """Write a plan: bulk inserts, bulk updates by id, then the child rows."""
    table = table_of(kind.model)
    child_adds = list(plan.child_adds)
    by_fields: dict[tuple[str, ...], list[Record]] = defaultdict(list)
    for record in plan.inserts:
        by_fields[tuple(record.values)].append(record)
    for records in by_fields.values():
        # Plain executemany: RETURNING in parameter order makes SQLite insert row by row.
        await session.execute(insert(table), [record.values for record in records])
    if kind.children and any(record.children for record in plan.inserts):
        inserted = await _load_existing(session, kind, kind.scope(plan.inserts))
        for record in plan.inserts:
            ident = inserted[record.key].ident
            child_adds += [(ident, value) for value in record.children or ()]
    updates: dict[tuple[str, ...], list[dict[str, object]]] = defaultdict(list)
    for ident, record in plan.updates:
        params = {f"new_{name}": value for name, value in record.values.items()}
        updates[tuple(record.values)].append({"row_id": ident, **params})
    for names, batch in updates.items():
        updating = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({name: bindparam(f"new_{name}") for name in names})
        )
        await session.execute(updating, batch)
    if kind.children:
        await _write_children(session, kind.children, child_adds, plan.child_removes)


async def _load_existing(
    session: AsyncSession, kind: Kind, filters: Sequence[ColumnElement[bool]] | None
) -> dict[Key, Existing]:
    """Read the rows the filters select (None: the whole table) by their natural keys."""
    table = table_of(kind.model)
    query = select(table.c.id, *(table.c[name] for name in kind.fields))
    queries = [query] if filters is None else [query.where(where) for where in filters]
    existing: dict[Key, Existing] = {}
    for statement in queries:
        for row in (await session.execute(statement)).mappings():
            values = dict(row)
            ident = values.pop("id")
            assert isinstance(ident, int)
            existing[kind.key(values)] = Existing(ident, values)
    return existing


async def _load_children(
    session: AsyncSession, children: Children, parents: Sequence[int]
) -> dict[int, dict[object, int]]:
    table = table_of(children.model)
    found: dict[int, dict[object, int]] = defaultdict(dict)
    for start in range(0, len(parents), CHUNK):
        query = select(table.c.id, table.c[children.parent], table.c[children.value]).where(
            table.c[children.parent].in_(parents[start : start + CHUNK])
        )
        for ident, parent, value in await session.execute(query):
            found[parent][value] = ident
    return found


async def _write_children(
    session: AsyncSession,
    children: Children,
    adds: Sequence[tuple[int, object]],
    removes: Sequence[int],
) -> None:
    table = table_of(children.model)
    for start in range(0, len(removes), CHUNK):
        await session.execute(delete(table).where(table.c.id.in_(removes[start : start + CHUNK])))
    if adds:
        rows = [{children.parent: parent, children.value: value} for parent, value in adds]
        await session.execute(insert(table), rows)

"""Carry out a checked plan through the ORM, so the audit log records every row it touches."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from epmo.db import Base, utcnow
from epmo.errors import Conflict, FieldError
from epmo.imports import repository
from epmo.imports.core import Extras, Item

# link name -> owner id -> target id -> stored association row
StoredLinks = dict[str, dict[int, dict[int, Any]]]


@dataclass(frozen=True, slots=True)
class LinkSpec:
    """An association table filled from a list column (e.g. goal_codes -> ProjectGoal)."""

    name: str
    model: type[Base]
    owner: str
    target: str


@dataclass(slots=True)
class Plan:
    """Every write a file asks for, checked and ready; ``tree`` rows may refer to each other."""

    model: type[Base]
    items: list[Item]
    links: tuple[LinkSpec, ...] = ()
    stored: StoredLinks = field(default_factory=dict)
    tree: bool = False

    def load_links(self, session: Session, owners: list[int]) -> None:
        """Read the stored association rows of the rows (by id) this plan may update."""
        for spec in self.links:
            self.stored[spec.name] = repository.links_by_owner(
                session, spec.model, spec.owner, spec.target, owners)


def execute(session: Session, plan: Plan) -> None:
    """Write every planned row (parents before children), then its association rows.

    Links of stored rows are synced before their columns are written, so an updated row gets
    one UPDATE and one version bump however much of it changed.
    """
    try:
        _execute(session, plan)
    except StaleDataError:
        raise Conflict("Some of these records were changed by someone else during the import; "
                       "nothing was imported, import the file again",
                       [FieldError("file", "records changed during the import")]) from None


def _execute(session: Session, plan: Plan) -> None:
    creates = [item for item in plan.items if item.obj is None]
    updates = [item for item in plan.items if item.obj is not None]
    for spec in plan.links:
        _write_links(session, spec, updates, plan.stored.get(spec.name, {}), bump=True)
    written: dict[str, int] = {}
    for level in _levels(plan.items) if plan.tree else [plan.items]:
        for item in level:
            if item.parent is not None:
                item.values["parent_id"] = written[item.parent]
        _write_rows(session, plan.model, level)
        written.update((item.code, _stored(item).id) for item in level)
    for spec in plan.links:
        _write_links(session, spec, creates, {}, bump=False)
    session.flush()


def _levels(items: list[Item]) -> list[list[Item]]:
    """Group rows so each one's new parent is written in an earlier group."""
    by_code = {item.code: item for item in items}
    depth: dict[str, int] = {}

    def depth_of(item: Item) -> int:
        if item.code not in depth:
            parent = by_code.get(item.parent) if item.parent else None
            depth[item.code] = 0 if parent is None else depth_of(parent) + 1
        return depth[item.code]

    levels: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        levels[depth_of(item)].append(item)
    return [levels[key] for key in sorted(levels)]


def _write_rows(session: Session, model: type[Base], items: list[Item]) -> None:
    for item in items:
        if item.obj is None:
            item.obj = model(**item.values)
            session.add(item.obj)
        else:
            for key, value in item.values.items():
                if getattr(item.obj, key) != value:
                    setattr(item.obj, key, value)
    session.flush()


def _stored(item: Item) -> Any:
    if item.obj is None:
        raise RuntimeError(f"row {item.row} was not written")
    return item.obj


def _write_links(session: Session, spec: LinkSpec, items: list[Item],
                 stored: Mapping[int, Mapping[int, Any]], bump: bool) -> None:
    for item in items:
        wanted = item.links.get(spec.name)
        if wanted is None:
            continue
        obj = _stored(item)
        if _sync(session, spec, obj.id, stored.get(obj.id, {}), wanted) and bump:
            obj.updated_at = utcnow()  # bumps the version, as the domain services do


def _sync(session: Session, spec: LinkSpec, owner: int, stored: Mapping[int, Any],
          wanted: Mapping[int, Extras]) -> bool:
    changed = False
    for target, row in stored.items():
        if target not in wanted:
            session.delete(row)
            changed = True
    for target, extra in wanted.items():
        row = stored.get(target)
        if row is None:
            session.add(spec.model(**{spec.owner: owner, spec.target: target}, **extra))
            changed = True
        elif any(getattr(row, name) != value for name, value in extra.items()):
            for name, value in extra.items():
                setattr(row, name, value)
            changed = True
    return changed

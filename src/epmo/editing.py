"""Shared write helpers every domain service uses: version checks, unique codes, paging."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from epmo.db import Base
from epmo.errors import Conflict, FieldError, Invalid, label_of

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list plus the total number of matches."""

    items: Sequence[T]
    total: int
    limit: int
    offset: int


def paginate(session: Session, query: Select[T], limit: int, offset: int) -> Page[T]:
    """Run ``query`` for one page and count all its matches."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = session.scalars(query.limit(limit).offset(offset)).all()
    return Page(items=items, total=total or 0, limit=limit, offset=offset)


def check_version(obj: Any, expected: int) -> None:
    """Refuse an update based on a stale read, naming the current version."""
    if obj.version != expected:
        raise Conflict(
            f"This {_kind(obj)} was changed by someone else after you opened it (you read "
            f"version {expected}, it is now at version {obj.version}); reload the page and "
            "apply your change again",
            [FieldError("version", f"Someone else saved a newer version ({obj.version}) "
                                   "meanwhile; reload and apply your change again")],
            {"current_version": obj.version},
        )


def _kind(obj: Any) -> str:
    """A row's kind in words: ``StatusReport`` -> "status report"."""
    name = type(obj).__name__
    return "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()


def ensure_unique(
    session: Session, column: InstrumentedAttribute[Any], value: Any, *,
    exclude_id: int | None = None, field: str = "code",
) -> None:
    """Raise Conflict when another row already holds ``value`` in ``column``."""
    model = column.class_
    query = select(model.id).where(column == value)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    if session.scalar(query.limit(1)) is not None:
        raise Conflict(f"{label_of(field)} {value!r} is already used",
                       [FieldError(field, "already used")])


def apply(obj: Base, changes: Mapping[str, Any]) -> None:
    """Copy changed fields onto a row (the audit listener records before/after)."""
    for key, value in changes.items():
        setattr(obj, key, value)


def require(session: Session, model: type[Base], ident: int | None, field: str) -> None:
    """Raise Invalid naming ``field`` when ``ident`` refers to no row of ``model``."""
    if ident is not None and session.get(model, ident) is None:
        raise Invalid(f"{label_of(field)} refers to nothing that exists",
                      [FieldError(field, f"no such record (id {ident})")])


def no_cycle(parents: Mapping[int, int | None], node: int, new_parent: int | None,
             field: str = "parent_id") -> None:
    """Refuse a parent that would make ``node`` its own ancestor."""
    seen = {node}
    current = new_parent
    while current is not None:
        if current in seen:
            raise Invalid("The hierarchy would loop", [FieldError(field, "would create a cycle")])
        seen.add(current)
        current = parents.get(current)


def changes_of(data: Any, nullable: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Return the fields an update schema sets (minus version); refuse null where not allowed."""
    changes: dict[str, Any] = data.model_dump(exclude_unset=True, exclude={"version"})
    nulls = [key for key, value in changes.items() if value is None and key not in nullable]
    if nulls:
        raise Invalid("Fields may not be empty" if len(nulls) > 1 else "Field may not be empty",
                      [FieldError(key, "may not be empty") for key in nulls])
    return changes


def depth_first(
    items: Iterable[T], key: Callable[[T], int], parent: Callable[[T], int | None]
) -> list[tuple[T, int]]:
    """Items as an indented tree: each followed by its subtree, with its depth.

    Siblings keep the order they came in; an item whose parent is not among the items is a
    root, so a filtered subset still shows as a tree.
    """
    listed = list(items)
    known = {key(item) for item in listed}
    below: dict[int | None, list[T]] = {}
    for item in listed:
        up = parent(item)
        below.setdefault(up if up in known else None, []).append(item)
    rows: list[tuple[T, int]] = []
    stack = [(item, 0) for item in reversed(below.get(None, []))]
    while stack:
        item, depth = stack.pop()
        rows.append((item, depth))
        stack += [(child, depth + 1) for child in reversed(below.get(key(item), []))]
    return rows


def as_int(value: Any) -> Any:
    """Forms send text; the strict schemas want numbers. Junk stays for the schema to name."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def form_text(form: Mapping[str, Any], key: str) -> str:
    """A posted field's text, stripped ("" when absent or not text)."""
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""

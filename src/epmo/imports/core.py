"""The vocabulary of an import: planned writes and what every entity planner needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.files.entities import Entity
from epmo.files.problems import Problems, Row

Extras = dict[str, Any]


@dataclass(slots=True)
class Item:
    """The write one row asks for: create (``obj`` None) or update ``obj``."""

    row: int
    code: str
    obj: Any | None
    values: dict[str, Any] = field(default_factory=dict)
    links: dict[str, dict[int, Extras]] = field(default_factory=dict)
    parent: str | None = None  # a parent this file creates; its id is known only after writing

    def changed(self, current: Mapping[str, Mapping[int, Any]]) -> bool:
        """True when writing would change the stored row or its links."""
        if self.obj is None:
            return True
        if any(getattr(self.obj, key) != value for key, value in self.values.items()):
            return True
        return self.parent is not None or any(
            _links_differ(current.get(name, {}).get(self.obj.id, {}), wanted)
            for name, wanted in self.links.items())


def _links_differ(stored: Mapping[int, Any], wanted: Mapping[int, Extras]) -> bool:
    if stored.keys() != wanted.keys():
        return True
    return any(getattr(stored[key], name) != value
               for key, extra in wanted.items() for name, value in extra.items())


@dataclass(slots=True)
class Context:
    """What every entity planner needs: the session, the actor, the entity and the problems."""

    session: Session
    actor: Actor
    entity: Entity
    problems: Problems
    # departments this import creates: code -> a placeholder (negative) id until written
    new_departments: dict[str, int] = field(default_factory=dict)

    def error(self, row: Row | Item, field: str, message: str) -> None:
        """Record a problem with ``field`` on ``row``."""
        self.problems.add(row.number if isinstance(row, Row) else row.row, field, message)

    def warn(self, row: Row, field: str, message: str) -> None:
        """Record a warning with ``field`` on ``row``."""
        self.problems.warn(row.number, field, message)

    def scalars(self, row: Row, obj: Any | None, fields: tuple[str, ...]) -> dict[str, Any]:
        """The plain (non-reference) values of ``row`` to write, applying empty-cell rules."""
        out: dict[str, Any] = {}
        for name in fields:
            if name not in row.values:
                continue
            value = row.values[name]
            if value is None:
                rule = self.entity.column(name).empty
                if rule == "required":
                    self.error(row, name, "may not be empty")
                    continue
                if rule == "keep":
                    continue
                value = "" if rule == "blank" else None
            out[name] = value
        return out

    def require_for_create(self, row: Row, obj: Any | None) -> bool:
        """A new row needs every required column; report the ones the file lacks."""
        if obj is not None:
            return True
        missing = [c.name for c in self.entity.columns if c.required and not row.has(c.name)]
        for name in missing:
            self.error(row, name, f"needed to create {row.code}, but the file has no {name} "
                                  "column")
        return not missing

    def reference(self, row: Row, field: str, lookup: Mapping[str, int], what: str,
                  out: dict[str, Any], attribute: str) -> None:
        """Resolve the code in ``field`` to an id in ``out[attribute]``, or report it unknown."""
        if field not in row.values:
            return
        code = row.values[field]
        if code is None:
            if self.entity.column(field).required:
                self.error(row, field, "may not be empty")
            else:
                out[attribute] = None
            return
        ident = lookup.get(code)
        if ident is None:
            self.error(row, field, f"no {what} {code}")
        else:
            out[attribute] = ident

    def link_set(self, row: Row, field: str, lookup: Mapping[str, int],
                 what: str) -> dict[int, Extras] | None:
        """Resolve a list of codes to ids; None when the file has no such column."""
        if field not in row.values:
            return None
        wanted: dict[int, Extras] = {}
        for code in row.values[field] or ():
            ident = lookup.get(code)
            if ident is None:
                self.error(row, field, f"no {what} {code}")
            else:
                wanted[ident] = {}
        return wanted

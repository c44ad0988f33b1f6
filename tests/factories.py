"""The one place tests make portfolio records.

Two ways, with different meanings:

* ``Maker`` goes through the API as a user (the EPMO admin unless told), so the charter,
  tiering, validation and the audit trail apply as in real use; it returns the JSON answer.
* ``add_project``, ``add_programme``, ``add_portfolio`` and ``add_goal`` add rows straight to the
  test's session (flushed, rolled back with the test): data as it may already exist, even where
  today's rules would refuse it, or in numbers the API would make slow.

Codes are numbered when not given (``T-001``...); names default to "Project <code>" and alike.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from epmo.portfolio.models import Portfolio, Programme, Project
from epmo.strategy.models import Goal
from tests.world import World

API = "/api/v1"
Row = TypeVar("Row")
_numbers = itertools.count(1)


class Maker:
    """Creates projects, programmes and portfolios through the API and returns their JSON.

    ``client_for(user)`` gives a signed-in test client: the ``as_`` fixture, or a live one.
    """

    def __init__(self, client_for: Callable[[str], Any], world: World,
                 user: str = "admin") -> None:
        self.client_for, self.world, self.user = client_for, world, user
        self.count = 0

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST ``body`` to ``/api/v1{path}`` as the maker's user; it must answer 201."""
        r = self.client_for(self.user).post(f"{API}{path}", json=body)
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]

    def _body(self, prefix: str, what: str, dept: str | None,
              fields: dict[str, Any]) -> dict[str, Any]:
        self.count += 1
        code = fields.get("code", f"{prefix}-{self.count:03d}")
        department = self.world.departments[dept] if dept else None
        return {"code": code, "name": f"{what} {code}", "department_id": department} | fields

    def project(self, dept: str = "IT", **fields: Any) -> dict[str, Any]:
        """A project owned by ``dept`` (department code); ``fields`` override the defaults."""
        return self.post("/projects", self._body("T", "Project", dept, fields))

    def programme(self, dept: str = "IT", **fields: Any) -> dict[str, Any]:
        """A programme owned by ``dept``."""
        return self.post("/programs", self._body("PRG", "Programme", dept, fields))

    def portfolio(self, dept: str | None = None, **fields: Any) -> dict[str, Any]:
        """A portfolio of ``dept``, or the enterprise one when None."""
        return self.post("/portfolios", self._body("PF", "Portfolio", dept, fields))


def add(db: Session, row: Row) -> Row:
    """Add ``row`` to the session and flush it (its id is set)."""
    db.add(row)
    db.flush()
    return row


def _named(prefix: str, what: str, code: str | None,
           fields: dict[str, Any]) -> dict[str, Any]:
    code = code or f"{prefix}-R{next(_numbers):04d}"
    return {"code": code, "name": f"{what} {code}"} | fields


def add_project(db: Session, world: World, dept: str = "IT", code: str | None = None,
                **fields: Any) -> Project:
    """A project row owned by ``dept``; ``fields`` are Project columns (department_id too)."""
    values = {"department_id": world.departments[dept]} | fields
    return add(db, Project(**_named("T", "Project", code, values)))


def add_programme(db: Session, world: World, dept: str = "IT", code: str | None = None,
                  **fields: Any) -> Programme:
    """A programme row owned by ``dept``."""
    values = {"department_id": world.departments[dept]} | fields
    return add(db, Programme(**_named("PRG", "Programme", code, values)))


def add_portfolio(db: Session, world: World, dept: str | None = None, code: str | None = None,
                  **fields: Any) -> Portfolio:
    """A portfolio row of ``dept``, or an enterprise one when None."""
    values = {"department_id": world.departments[dept] if dept else None} | fields
    return add(db, Portfolio(**_named("PF", "Portfolio", code, values)))


def add_goal(db: Session, code: str | None = None, **fields: Any) -> Goal:
    """A goal row (``parent_id`` for a sub-goal)."""
    return add(db, Goal(**_named("G", "Goal", code, fields)))

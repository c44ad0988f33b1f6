"""Helpers for portfolio tests: projects made through the API, goals added in the test transaction."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from epmo.strategy.models import Goal
from tests.conftest import Clients
from tests.world import World

API = "/api/v1"


class Maker:
    """Creates portfolio objects through the API as the EPMO admin and returns their JSON."""

    def __init__(self, as_: Clients, world: World) -> None:
        self.as_, self.world = as_, world
        self.count = 0

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        r = self.as_("admin").post(f"{API}{path}", json=body)
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]

    def project(self, dept: str = "IT", **fields: Any) -> dict[str, Any]:
        """A project owned by ``dept`` (department code); ``fields`` override the defaults."""
        self.count += 1
        body = {"code": f"T-{self.count:03d}", "name": f"Test project {self.count}",
                "department_id": self.world.departments[dept]} | fields
        return self._post("/projects", body)

    def programme(self, dept: str = "IT", **fields: Any) -> dict[str, Any]:
        """A programme owned by ``dept``."""
        self.count += 1
        body = {"code": f"PRG-{self.count:03d}", "name": f"Programme {self.count}",
                "department_id": self.world.departments[dept]} | fields
        return self._post("/programs", body)

    def portfolio(self, dept: str | None = None, **fields: Any) -> dict[str, Any]:
        """A portfolio of ``dept``, or the enterprise one when None."""
        self.count += 1
        body = {"code": f"PF-{self.count:03d}", "name": f"Portfolio {self.count}",
                "department_id": self.world.departments[dept] if dept else None} | fields
        return self._post("/portfolios", body)


@pytest.fixture
def make(as_: Clients, world: World) -> Maker:
    """``make.project("FIN", manager_id=...)`` and friends."""
    return Maker(as_, world)


@pytest.fixture
def goals(db: Session) -> dict[str, int]:
    """Goals GROW (with sub-goal DIGI) and COST; goals belong to another domain, so added directly."""
    made: dict[str, int] = {}
    for code, parent in (("GROW", None), ("DIGI", "GROW"), ("COST", None)):
        goal = Goal(code=code, name=f"Goal {code}", parent_id=made.get(parent or ""))
        db.add(goal)
        db.flush()
        made[code] = goal.id
    return made

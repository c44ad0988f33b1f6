"""Helpers for charter tests: charter bodies and versions published through the API."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Clients
from tests.world import World

API = "/api/v1/charter"
STATEMENT = "The EPMO connects the departments' projects.\nIt advises, requires or runs."


def levels(pg: str = "supportive", pl: str = "supportive", ppm: str = "supportive") -> dict[str, str]:
    """A full set of levels, one per practice."""
    return {"portfolio_governance": pg, "project_leadership": pl, "ppm_administration": ppm}


class Charters:
    """Builds charter bodies for the world's departments and publishes them as the admin."""

    def __init__(self, as_: Clients, world: World) -> None:
        self.as_, self.world = as_, world

    def dept(self, code: str) -> str:
        """The JSON key of a world department."""
        return str(self.world.departments[code])

    def body(self, statement: str = STATEMENT, reason: str = "Agreed with the board",
             defaults: dict[str, str] | None = None,
             departments: dict[str, dict[str, str]] | None = None,
             services: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """A valid CharterCreate body; ``departments`` is keyed by department code."""
        overrides = {self.dept(code): entry for code, entry in (departments or {}).items()}
        catalogue = services if services is not None else [
            {"code": "GATES", "name": "Gate reviews", "practice": "portfolio_governance",
             "description": "Chairs gate reviews", "department_ids": []},
        ]
        return {"statement": statement, "reason": reason, "content": {
            "defaults": defaults or levels(), "departments": overrides, "services": catalogue}}

    def publish(self, **kwargs: Any) -> dict[str, Any]:
        """POST a charter version as the admin and return the CharterRead."""
        r = self.as_("admin").post(API, json=self.body(**kwargs))
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]


@pytest.fixture
def charters(as_: Clients, world: World) -> Charters:
    """Charter bodies and publishing for the test's world."""
    return Charters(as_, world)


def row(charter: dict[str, Any], code: str) -> dict[str, Any]:
    """The resolved authority row of department ``code`` in a CharterRead."""
    return next(r for r in charter["authority"] if r["code"] == code)

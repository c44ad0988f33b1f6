"""Helpers for intake tests: request bodies, requests submitted through the API, goals."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from epmo.strategy.models import Goal
from tests.conftest import Clients
from tests.world import World

API = "/api/v1/intake/requests"


class Requests:
    """Builds request bodies for the world's departments and submits them through the API."""

    def __init__(self, as_: Clients, world: World) -> None:
        self.as_, self.world = as_, world

    def body(self, dept: str = "IT", **fields: Any) -> dict[str, Any]:
        """A valid RequestCreate body for department ``dept``; ``fields`` override."""
        return {"title": "New data platform", "problem": "Reports take a week",
                "department_id": self.world.departments[dept],
                "costs": [{"period": "2027", "amount": "50000"},
                          {"period": "2028", "amount": "20000.5"}],
                "demand": [{"role": "Lead", "period": "2027-Q1", "fte_months": "3"}],
                "duration_months": 6, "desired_start": "2027-01-01"} | fields

    def submit(self, user: str = "it_member", dept: str = "IT", **fields: Any) -> dict[str, Any]:
        """POST a request as ``user`` and return the RequestRead."""
        r = self.as_(user).post(API, json=self.body(dept, **fields))
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]

    def move(self, request: dict[str, Any], stage: str, user: str = "admin") -> dict[str, Any]:
        """Move a request to ``stage`` and return it."""
        r = self.as_(user).post(f"{API}/{request['id']}/stage",
                                json={"stage": stage, "version": request["version"]})
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    def decide(self, request: dict[str, Any], decision: str, user: str = "admin",
               **fields: Any) -> Any:
        """POST a decision and return the response."""
        body = {"decision": decision, "version": request["version"]} | fields
        return self.as_(user).post(f"{API}/{request['id']}/decision", json=body)


@pytest.fixture
def requests(as_: Clients, world: World) -> Requests:
    """``requests.submit(...)`` and friends."""
    return Requests(as_, world)


@pytest.fixture
def goals(db: Session) -> dict[str, int]:
    """Goals GROW and COST; goals belong to another domain, so added directly."""
    made: dict[str, int] = {}
    for code in ("GROW", "COST"):
        goal = Goal(code=code, name=f"Goal {code}")
        db.add(goal)
        db.flush()
        made[code] = goal.id
    return made


def fields_of(response: Any) -> list[str]:
    """The field names of a problem+json response's errors."""
    return [e["field"] for e in response.json()["errors"]]

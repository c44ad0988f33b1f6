"""Scoring fixtures: intake requests written through the ORM, and model helpers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from epmo.intake.models import IntakeRequest, RequestCost, RequestGoal
from epmo.strategy.models import Goal
from tests.conftest import Clients
from tests.world import World

THREE = [
    {"key": "value", "name": "Value", "weight": 50,
     "rubric": ["none", "little", "some", "much", "huge"]},
    {"key": "risk", "name": "Risk", "weight": 30, "higher_is_better": False},
    {"key": "urgency", "name": "Urgency", "weight": 20},
]
# Saaty-style example: value 3x risk and 5x urgency, risk 3x urgency (CR about 0.033).
TEXTBOOK: list[list[float]] = [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]
# Every judgement contradicts another: value beats risk, risk beats urgency, urgency beats value.
CIRCULAR: list[list[float]] = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]


@dataclass
class Requests:
    """Helper writing intake requests (and their costs and goal links) through the ORM."""

    db: Session
    world: World

    def add(self, code: str, dept: str = "IT", cost: int = 0, risk: int = 1,
            goals: dict[int, int] | None = None, **extra: Any) -> IntakeRequest:
        """A submitted request of ``dept`` with an optional cost in 2027 and goal links."""
        request = IntakeRequest(code=code, title=f"Request {code}", risk_rating=risk,
                                department_id=self.world.departments[dept], **extra)
        self.db.add(request)
        self.db.flush()
        if cost:
            self.db.add(RequestCost(request_id=request.id, period="2027", amount=Decimal(cost)))
        for goal_id, contribution in (goals or {}).items():
            self.db.add(RequestGoal(request_id=request.id, goal_id=goal_id,
                                    contribution=Decimal(contribution)))
        self.db.flush()
        return request

    def goal(self, code: str, weight: int, parent_id: int | None = None) -> int:
        """A strategic goal with a weight among its siblings."""
        goal = Goal(code=code, name=f"Goal {code}", weight=Decimal(weight), parent_id=parent_id)
        self.db.add(goal)
        self.db.flush()
        return goal.id


@pytest.fixture
def requests(db: Session, world: World) -> Requests:
    """Write intake requests and goals inside the test's transaction."""
    return Requests(db, world)


def create_model(as_: Clients, code: str = "m", **extra: Any) -> dict[str, Any]:
    """A draft model through the API (three criteria weighted 50/30/20 unless given)."""
    body = {"code": code, "name": f"Model {code}", "criteria": THREE, **extra}
    r = as_("admin").post("/api/v1/scoring-models", json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def activate(as_: Clients, model: dict[str, Any]) -> dict[str, Any]:
    """Activate a draft model through the API."""
    r = as_("admin").post(f"/api/v1/scoring-models/{model['id']}/activate",
                          json={"version": model["version"]})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def active_model(as_: Clients, code: str = "m", **extra: Any) -> dict[str, Any]:
    """A model created and activated through the API."""
    return activate(as_, create_model(as_, code, **extra))


def score(as_: Clients, user: str, request_id: int, scores: dict[str, int],
          **extra: Any) -> Any:
    """PUT a sheet as ``user``; returns the response."""
    return as_(user).put(f"/api/v1/intake/requests/{request_id}/scores",
                         json={"scores": scores, **extra})


def fields(response: Any) -> set[str]:
    """The field names of a problem+json response's errors."""
    return {e["field"] for e in response.json().get("errors", [])}

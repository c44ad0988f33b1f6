"""Fixtures of the selection tests: requests, people, projects and score sheets through the ORM."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from epmo.intake.models import (
    IntakeRequest,
    RequestCost,
    RequestDemand,
    RequestDependency,
    RequestGoal,
)
from epmo.org.models import Person
from epmo.portfolio.models import ProjectDemand
from epmo.scoring.models import RequestScore, ScoringCriterion, ScoringModel
from tests.conftest import Clients
from tests.factories import add_project
from tests.world import World

ROLE = "Data engineer"


@dataclass
class Env:
    """Builds intake data directly and drives scenarios through the API as the admin."""

    db: Session
    world: World
    as_: Clients
    counter: list[int] = field(default_factory=lambda: [0])

    def request(self, code: str, costs: Mapping[str, float] | None = None,
                demand: Mapping[tuple[str, str], float] | None = None, benefit: float = 0,
                **extra: Any) -> int:
        """An intake request in the decision stage with its cost and demand lines."""
        values: dict[str, Any] = {"title": f"Request {code}", "stage": "decision",
                                  "department_id": self.world.departments["IT"],
                                  "benefit_value": Decimal(str(benefit))} | extra
        request = IntakeRequest(code=code, **values)
        self.db.add(request)
        self.db.flush()
        for year, amount in (costs or {}).items():
            self.db.add(RequestCost(request_id=request.id, period=year,
                                    amount=Decimal(str(amount))))
        for (role, quarter), fte in (demand or {}).items():
            self.db.add(RequestDemand(request_id=request.id, role=role, period=quarter,
                                      fte_months=Decimal(str(fte))))
        self.db.flush()
        return request.id

    def depends(self, request_id: int, on_request: int | None = None,
                on_project: int | None = None) -> None:
        """Record that a request depends on another request or a project."""
        self.db.add(RequestDependency(request_id=request_id, on_request_id=on_request,
                                      on_project_id=on_project))
        self.db.flush()

    def goal(self, request_id: int, goal_id: int) -> None:
        """Link a request to a goal."""
        self.db.add(RequestGoal(request_id=request_id, goal_id=goal_id))
        self.db.flush()

    def person(self, role: str = ROLE, hours: float = 40, active: bool = True) -> int:
        """A person with a role and weekly hours."""
        self.counter[0] += 1
        person = Person(code=f"SEL-P{self.counter[0]}", name=f"Person {self.counter[0]}",
                        department_id=self.world.departments["IT"], role=role,
                        weekly_capacity_hours=Decimal(str(hours)), active=active)
        self.db.add(person)
        self.db.flush()
        return person.id

    def project(self, code: str, demand: Mapping[tuple[str, str], float] | None = None,
                **extra: Any) -> int:
        """A project in the register (executing unless told), with its role demand."""
        project = add_project(self.db, self.world, "IT", code, **{"stage": "executing"} | extra)
        for (role, quarter), fte in (demand or {}).items():
            self.db.add(ProjectDemand(project_id=project.id, role=role, period=quarter,
                                      fte_months=Decimal(str(fte))))
        self.db.flush()
        return project.id

    def scores(self, levels: Mapping[int, int]) -> int:
        """An active one-criterion model with one admin sheet per request (level 1..5)."""
        model = ScoringModel(code="SEL", name="Selection test", status="active")
        self.db.add(model)
        self.db.flush()
        self.db.add(ScoringCriterion(model_id=model.id, key="impact", name="Impact",
                                     weight=Decimal(100), rubric=["1", "2", "3", "4", "5"]))
        for request_id, level in levels.items():
            self.db.add(RequestScore(request_id=request_id, model_id=model.id,
                                     scorer_id=self.world.users["admin"],
                                     scores={"impact": level}))
        self.db.flush()
        return model.id

    def scenario(self, name: str = "Plan A", **body: Any) -> dict[str, Any]:
        """Create a scenario through the API (budget 2027: 100 unless given)."""
        payload = {"name": name, "budgets": {"2027": 100}, "objective": "benefit"} | body
        response = self.as_("admin").post("/api/v1/scenarios", json=payload)
        assert response.status_code == 201, response.text
        return dict(response.json())

    def add(self, scenario: dict[str, Any], request_ids: list[int] | None = None,
            project_ids: list[int] | None = None) -> dict[str, Any]:
        """Add candidates through the API; the scenario as returned."""
        response = self.as_("admin").post(
            f"/api/v1/scenarios/{scenario['id']}/candidates",
            json={"version": scenario["version"], "request_ids": request_ids or [],
                  "project_ids": project_ids or []})
        assert response.status_code == 200, response.text
        return dict(response.json())

    def solve(self, scenario: dict[str, Any]) -> Any:
        """Solve through the API; the raw response."""
        return self.as_("admin").post(f"/api/v1/scenarios/{scenario['id']}/solve")

    def knapsack(self) -> tuple[dict[str, Any], dict[str, int]]:
        """Budget 100 in 2027; A 60/100, B 50/70, C 40/50, D 30/10: the optimum is A + C."""
        ids = {code: self.request(code, {"2027": cost}, benefit=benefit)
               for code, cost, benefit in (("A", 60, 100), ("B", 50, 70), ("C", 40, 50),
                                           ("D", 30, 10))}
        scenario = self.add(self.scenario(), list(ids.values()))
        return scenario, ids


@pytest.fixture
def env(db: Session, world: World, as_: Clients) -> Env:
    """The selection test helper."""
    return Env(db, world, as_)


def by_code(scenario: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The scenario's candidates keyed by code."""
    return {c["code"]: c for c in scenario["candidates"]}


def day(text: str) -> date:
    """A date from ISO text."""
    return date.fromisoformat(text)

"""An IT project managed by it_pm finishing 2027-03-31 with a go-live milestone, and "today"
fixed at 2027-07-15 so "to date" is January to June 2027."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from epmo.benefits import schedule
from tests.conftest import Clients
from tests.factories import Maker
from tests.intake.conftest import Requests
from tests.world import World

API = "/api/v1"
TODAY = date(2027, 7, 15)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> date:
    """Every benefits module asks ``schedule.today``: fix it."""
    monkeypatch.setattr(schedule, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def project(make: Maker, world: World) -> dict[str, Any]:
    """IT's project, managed by it_pm."""
    return make.project("IT", code="BEN-IT", name="Invoice automation",
                        manager_id=world.people["it_pm"], planned_start="2026-06-01",
                        planned_finish="2027-03-31")


@pytest.fixture
def golive(as_: Clients, project: dict[str, Any]) -> dict[str, Any]:
    """The project's go-live milestone, forecast 2027-01-15."""
    r = as_("admin").post(f"{API}/projects/{project['id']}/milestones",
                          json={"name": "Go-live", "forecast_date": "2027-01-15"})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def body(project_id: int, **extra: Any) -> dict[str, Any]:
    """A money benefit of 600 spread over January to June 2027 (100 a month)."""
    return {"name": "Fewer invoice clerks", "project_id": project_id, "unit": "money",
            "kind": "cash_releasing", "hard": True, "target": "600",
            "plan": [{"period": f"2027-{m:02d}", "amount": "100"} for m in range(1, 7)]} | extra


def create(as_: Clients, user: str, project_id: int, **extra: Any) -> dict[str, Any]:
    """Create a benefit as ``user``; assert it was made."""
    r = as_(user).post(f"{API}/benefits", json=body(project_id, **extra))
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


@pytest.fixture
def requests(as_: Clients, world: World) -> Requests:
    """The intake tests' request helper."""
    return Requests(as_, world)

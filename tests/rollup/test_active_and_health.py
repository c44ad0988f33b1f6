"""Issue 10 items 6 and 7 in the roll-up and the executive pack.

Closed and cancelled work is left out by default (``status=closed|all`` shows it); the colour
that counts follows the charter's ``health_basis``: a project reporting green while 60 days
late and 25% over budget is red under controlling authority and flagged everywhere.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy.orm import Session

from epmo.reporting import health_store
from epmo.reporting.models import StatusReport
from tests.charter.conftest import Charters, levels
from tests.conftest import Clients
from tests.factories import add_project
from tests.reporting.conftest import Governance
from tests.world import World

API = "/api/v1/rollup"
MARCH = date(2025, 3, 3)
BASELINE = date(2025, 3, 31)


@pytest.fixture
def charters(as_: Clients, world: World) -> Charters:
    """Charters published through the API."""
    return Charters(as_, world)


def _project(db: Session, world: World, code: str, dept: str, overall: str,
             stage: str = "executing", slip: int = 0, cost: str = "1000.00") -> int:
    project = add_project(db, world, dept, code, stage=stage, health=overall,
                          budget_planned=Decimal("1000.00"), budget_forecast=Decimal(cost),
                          baseline_finish=BASELINE)
    db.add(StatusReport(project_id=project.id, period_start=MARCH,
                        period_end=MARCH + timedelta(days=6), overall=overall,
                        schedule=overall, cost=overall,
                        forecast_finish=BASELINE + timedelta(days=slip),
                        forecast_cost=Decimal(cost)))
    db.flush()
    health_store.refresh_projects(db, [project.id])  # written past the services
    return int(project.id)


@pytest.fixture
def statuses(db: Session, world: World) -> None:
    """LATE (IT) reports green while derived red/red; OK (FIN) is on plan; GONE (HR) is a
    cancelled project whose last report was red."""
    Governance(db, world).contract()  # schedule amber 10 / red 30; cost amber 5 / red 15
    _project(db, world, "LATE", "IT", "green", slip=60, cost="1250.00")
    _project(db, world, "OK", "FIN", "green")
    _project(db, world, "GONE", "HR", "red", stage="cancelled")


def _rows(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["code"]: row for row in body["rows"]}


def _rollup(as_: Clients, **params: Any) -> dict[str, Any]:
    r = as_("admin").get(API, params={"level": "department", "period": "2025-03", **params})
    assert r.status_code == 200, r.text
    return dict(r.json())


@pytest.mark.usefixtures("statuses")
def test_closed_and_cancelled_work_is_apart_by_default(as_: Clients) -> None:
    body = _rollup(as_)
    assert (body["status"], body["closed"]) == ("active", 1)
    assert (_rows(body)["HR"]["count"], _rows(body)["HR"]["colour"]) == (0, "unknown")
    closed = _rollup(as_, status="closed")
    assert (_rows(closed)["HR"]["count"], _rows(closed)["HR"]["colour"]) == (1, "red")
    assert _rows(closed)["IT"]["count"] == 0 and closed["closed"] is None
    everything = _rollup(as_, status="all")
    assert [_rows(everything)[d]["count"] for d in ("HR", "IT", "FIN")] == [1, 1, 1]


@pytest.mark.usefixtures("statuses")
def test_controlling_authority_makes_the_late_project_red(
        as_: Clients, charters: Charters) -> None:
    charters.publish(departments={"IT": {"ppm_administration": "controlling"}})
    body = _rollup(as_)
    it = _rows(body)["IT"]
    assert (it["colour"], it["counts"]["red"], it["disagreements"]) == ("red", 1, 1)
    assert _rows(body)["FIN"]["colour"] == "green"
    assert (body["health_basis"], body["disagreements"]) == ("auto", 1)


@pytest.mark.usefixtures("statuses")
def test_supportive_authority_keeps_reported_and_flags_it(
        as_: Clients, charters: Charters) -> None:
    charters.publish(defaults=levels(ppm="supportive"))
    body = _rollup(as_)
    it = _rows(body)["IT"]
    assert (it["colour"], it["disagreements"], body["disagreements"]) == ("green", 1, 1)
    html = as_("admin").get("/rollup", params={"level": "department", "period": "2025-03"}).text
    assert 'id="rollup-disagreements"' in html and 'data-differs="1"' in html
    assert "1 closed or cancelled projects" in html


@pytest.mark.usefixtures("statuses")
def test_derived_basis_in_the_charter_counts_derived(as_: Clients, charters: Charters) -> None:
    body = charters.body(defaults=levels(ppm="none"))
    body["content"]["health_basis"] = "derived"
    assert as_("admin").post("/api/v1/charter", json=body).status_code == 201
    rolled = _rollup(as_, level="goal")
    assert rolled["health_basis"] == "derived"
    assert _rows(_rollup(as_))["IT"]["colour"] == "red"


@pytest.mark.usefixtures("statuses")
def test_pack_shows_reported_derived_and_what_counts(
        as_: Clients, charters: Charters, world: World) -> None:
    charters.publish(departments={"IT": {"ppm_administration": "controlling"}})
    r = as_("admin").get(f"{API}/pack", params={
        "department_id": world.departments["IT"], "period": "2025-03", "format": "xlsx"})
    assert r.status_code == 200, r.text
    book = CalamineWorkbook.from_filelike(io.BytesIO(r.content))
    matrix = book.get_sheet_by_name("RAG matrix").to_python()
    assert matrix[0][3:6] == ["Overall", "Reported", "Derived"]
    assert [row[0] for row in matrix[1:]] == ["LATE"]
    assert matrix[1][3:6] == ["red", "green", "red"]
    summary = {row[0]: row[1] for row in book.get_sheet_by_name("Summary").to_python()
               if row and row[0]}
    assert summary["Health that counts"] == "auto"
    assert summary["Reported differs from derived"] in (1, 1.0)
    page = as_("admin").get("/rollup", params={"period": "2025-03",
                                               "department_id": world.departments["IT"]})
    assert 'data-project="LATE"' in page.text
    assert "reported green, derived red (counts red)" in page.text


@pytest.mark.usefixtures("statuses")
def test_closed_pack_lists_the_cancelled_project(as_: Clients, world: World) -> None:
    r = as_("admin").get(f"{API}/pack", params={
        "department_id": world.departments["HR"], "period": "2025-03", "format": "xlsx"})
    book = CalamineWorkbook.from_filelike(io.BytesIO(r.content))
    assert [row[0] for row in book.get_sheet_by_name("RAG matrix").to_python()[1:]] == []
    r = as_("admin").get(f"{API}/pack", params={
        "department_id": world.departments["HR"], "period": "2025-03", "format": "xlsx",
        "status": "closed"})
    book = CalamineWorkbook.from_filelike(io.BytesIO(r.content))
    assert [row[0] for row in book.get_sheet_by_name("RAG matrix").to_python()[1:]] == ["GONE"]

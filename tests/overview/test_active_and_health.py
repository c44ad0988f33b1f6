"""Issue 10 items 6 and 7 in the overview: active work by default, and the health that counts.

Closed and cancelled projects are left out of the default view and totalled apart; the
charter's ``health_basis`` chooses between the reported health, the one derived from schedule
slip and cost overrun, and the worse of the two (by default: the worse under controlling or
directive authority, the reported one with the difference flagged elsewhere).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from epmo.portfolio.models import Project
from epmo.reporting import health_store
from tests.charter.conftest import Charters, levels
from tests.conftest import Clients
from tests.factories import add_project
from tests.reporting.conftest import Governance
from tests.world import World

URL = "/api/v1/overview"
BASELINE = date(2026, 6, 30)


@pytest.fixture
def charters(as_: Clients, world: World) -> Charters:
    """Charters published through the API."""
    return Charters(as_, world)


@pytest.fixture
def gov(db: Session, world: World) -> Governance:
    """Reporting contracts with RAG thresholds for every tier."""
    return Governance(db, world)


def _project(db: Session, world: World, code: str, dept: str, stage: str = "executing",
             health: str = "green", planned: str = "1000.00", forecast: str = "1000.00",
             slip: int | None = None) -> int:
    pid = add_project(db, world, dept, code, stage=stage, health=health,
                       budget_planned=Decimal(planned), budget_forecast=Decimal(forecast),
                       baseline_finish=BASELINE, forecast_finish=None if slip is None
                       else BASELINE + timedelta(days=slip)).id
    health_store.refresh_projects(db, [pid])  # written past the services
    return pid


@pytest.fixture
def finished(db: Session, world: World) -> None:
    """Two active projects (one red) and a closed red and a cancelled amber one."""
    _project(db, world, "A1", "IT", health="green", planned="100.00")
    _project(db, world, "A2", "FIN", stage="on_hold", health="red", planned="200.00")
    _project(db, world, "C1", "IT", stage="closed", health="red", planned="400.00")
    _project(db, world, "C2", "HR", stage="cancelled", health="amber", planned="800.00")


def _totals(body: dict[str, Any]) -> tuple[int, str, dict[str, int]]:
    t = body["totals"]
    return t["count"], t["planned"], {k: v for k, v in t["health_counts"].items() if v}


@pytest.mark.usefixtures("finished")
def test_default_view_is_active_work_with_closed_work_apart(as_: Clients) -> None:
    body = as_("admin").get(URL).json()
    assert body["status"] == "active"
    assert _totals(body) == (2, "300.00", {"green": 1, "red": 1})
    closed = body["closed"]
    assert (closed["count"], closed["planned"]) == (2, "1200.00")
    assert closed["health_counts"]["red"] == 1
    assert {s["stage"]: s["count"] for s in body["by_stage"]}["closed"] == 0


@pytest.mark.usefixtures("finished")
def test_status_filter_shows_closed_or_all(as_: Clients, world: World) -> None:
    closed = as_("admin").get(URL, params={"status": "closed"}).json()
    assert _totals(closed) == (2, "1200.00", {"amber": 1, "red": 1})
    assert closed["closed"] is None
    everything = as_("admin").get(URL, params={"status": "all"}).json()
    assert _totals(everything) == (4, "1500.00", {"green": 1, "amber": 1, "red": 2})
    it = as_("admin").get(URL, params={"department_id": world.departments["IT"]}).json()
    assert (it["totals"]["count"], it["closed"]["count"]) == (1, 1)
    assert as_("admin").get(URL, params={"status": "open"}).status_code == 422


@pytest.mark.usefixtures("finished")
def test_restricted_reader_gets_active_work_and_closed_apart(as_: Clients) -> None:
    body = as_("it_member").get(URL).json()
    assert body["restricted"] is True
    assert all(row["rolled"]["count"] == 0 for row in body["by_department"]
               if row["code"] in ("HR", "FIN"))
    assert (body["totals"]["count"], body["closed"]["count"]) == (1, 1)  # IT's A1 and C1


@pytest.mark.usefixtures("finished")
def test_overview_page_offers_the_status_filter(as_: Clients, world: World) -> None:
    html = as_("admin").get("/").text
    assert 'data-testid="closed-work"' in html
    assert "2 closed or cancelled projects" in html
    closed = as_("admin").get("/", params={"status": "closed"}).text
    assert 'data-status="closed" aria-current="page"' in closed
    assert 'data-testid="closed-work"' not in closed
    it = as_("admin").get(f"/overview/departments/{world.departments['IT']}",
                          params={"status": "all"})
    assert it.status_code == 200 and 'data-status="all" aria-current="page"' in it.text


# --- the health that counts -------------------------------------------------------------


@pytest.fixture
def late(db: Session, world: World, gov: Governance) -> int:
    """A project reporting green while 60 days late and 25% over budget (derived red/red),
    and one whose reported health agrees with the derived one."""
    gov.contract()  # schedule amber 10 / red 30 days; cost amber 5 / red 15 percent
    _project(db, world, "OK", "FIN", health="green", planned="1000.00", forecast="1000.00",
             slip=0)
    return _project(db, world, "LATE", "IT", health="green", planned="1000.00",
                    forecast="1250.00", slip=60)


def _red(body: dict[str, Any]) -> int:
    return int(body["totals"]["health_counts"]["red"])


def test_controlling_authority_counts_the_worse_health(
        as_: Clients, charters: Charters, late: int) -> None:
    charters.publish(departments={"IT": {"ppm_administration": "controlling"}})
    body = as_("admin").get(URL).json()
    assert body["health_basis"] == "auto"
    assert _red(body) == 1 and body["totals"]["health_counts"]["green"] == 1
    assert body["disagreement_count"] == 1
    assert body["disagreements"] == [{"reported": "green", "derived": "red", "count": 1}]
    it = next(r for r in body["by_department"] if r["code"] == "IT")
    assert it["own"]["worst"] == "red"


def test_supportive_authority_counts_reported_and_flags_the_difference(
        as_: Clients, charters: Charters, late: int) -> None:
    charters.publish(defaults=levels(ppm="supportive"))
    body = as_("admin").get(URL).json()
    assert _red(body) == 0 and body["totals"]["health_counts"]["green"] == 2
    assert body["disagreement_count"] == 1
    html = as_("admin").get("/").text
    assert 'data-reported="green" data-derived="red"' in html
    assert "reported green, derived red: 1" in html


@pytest.mark.parametrize(("basis", "ppm", "red"), [
    ("reported", "controlling", 0), ("derived", "supportive", 1), ("worse", "none", 1)])
def test_charter_setting_chooses_the_health_that_counts(
        as_: Clients, charters: Charters, late: int, basis: str, ppm: str, red: int) -> None:
    body = charters.body(defaults=levels(ppm=ppm))
    body["content"]["health_basis"] = basis
    r = as_("admin").post("/api/v1/charter", json=body)
    assert r.status_code == 201, r.text
    assert r.json()["content"]["health_basis"] == basis
    overview = as_("admin").get(URL).json()
    assert (overview["health_basis"], _red(overview)) == (basis, red)
    assert overview["disagreement_count"] == 1


def test_derived_falls_back_to_reported_where_nothing_is_derivable(
        as_: Clients, charters: Charters, db: Session, world: World, gov: Governance) -> None:
    gov.contract()
    _project(db, world, "NOFACTS", "IT", health="amber", planned="0.00", forecast="10.00")
    body = charters.body()
    body["content"]["health_basis"] = "derived"
    assert as_("admin").post("/api/v1/charter", json=body).status_code == 201
    overview = as_("admin").get(URL).json()
    assert overview["totals"]["health_counts"]["amber"] == 1
    assert overview["disagreement_count"] == 0


def test_closed_late_project_is_not_counted_in_active_health(
        as_: Clients, charters: Charters, db: Session, world: World, late: int) -> None:
    charters.publish(departments={"IT": {"ppm_administration": "controlling"}})
    project = db.get(Project, late)
    assert project is not None
    project.stage = "closed"
    db.flush()
    body = as_("admin").get(URL).json()
    assert _red(body) == 0
    assert body["closed"]["health_counts"]["red"] == 1
    assert body["disagreement_count"] == 0


def test_unknown_health_basis_is_refused(as_: Clients, charters: Charters) -> None:
    body = charters.body()
    body["content"]["health_basis"] = "optimistic"
    r = as_("admin").post("/api/v1/charter", json=body)
    assert r.status_code == 422
    assert any("health_basis" in e["field"] for e in r.json()["errors"])

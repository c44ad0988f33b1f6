"""The stored derived colour equals the rule, recomputed in Python, after every kind of write.

After each write below (projects through the API, a page and the import; status reports
through the API, the page and the upload; a contract's thresholds; a reclassification of
tiers; the charter's basis) every project's and every status report's ``derived_health`` is
compared with ``engines.rag.derive`` over the same figures and the tier contract's thresholds.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.contracts.models import ReportingContract
from epmo.engines.rag import COLOURS, Facts, Thresholds, derive, thresholds_from
from epmo.portfolio.models import Project
from epmo.reporting import health_store
from epmo.reporting.models import StatusReport
from tests.charter.conftest import Charters
from tests.conftest import Clients
from tests.contracts.conftest import contract_body, rules_body
from tests.factories import Maker
from tests.imports.files import csv_file, upload
from tests.reporting.conftest import Governance, report, this_month
from tests.reporting.files import good_row, post, rows_file
from tests.web.helpers import login
from tests.world import World

API = "/api/v1"
BASELINE = date(2026, 6, 30)
Mismatch = tuple[str, int, str | None, str | None]


def _worst(facts: Facts, thresholds: Thresholds) -> str | None:
    derived = derive(facts, thresholds)
    known = [c for c in (derived.schedule, derived.cost) if c is not None]
    return max(known, key=COLOURS.index) if known else None


def mismatches(db: Session) -> list[Mismatch]:
    """Every project and status report whose stored colour is not the rule's (none: good)."""
    db.expire_all()
    contracts = db.scalars(select(ReportingContract)).all()
    rule = {c.tier: thresholds_from(c.rag_thresholds or {}) for c in contracts}
    projects = {p.id: p for p in db.scalars(select(Project))}
    found: list[Mismatch] = []
    for p in projects.values():
        want = _worst(Facts(p.baseline_finish, p.forecast_finish, p.budget_planned,
                            p.budget_forecast), rule.get(p.tier, Thresholds()))
        if p.derived_health != want:
            found.append(("project", p.id, p.derived_health, want))
    for r in db.scalars(select(StatusReport)):
        p = projects[r.project_id]
        want = _worst(Facts(p.baseline_finish, r.forecast_finish, p.budget_planned,
                            r.forecast_cost), rule.get(p.tier, Thresholds()))
        if r.derived_health != want:
            found.append(("report", r.id, r.derived_health, want))
    return found


def colours(db: Session) -> dict[str, str | None]:
    """Each project's stored derived colour by code."""
    db.expire_all()
    return dict(db.execute(select(Project.code, Project.derived_health)).all())


def _dates(slip: int | None) -> dict[str, Any]:
    forecast = None if slip is None else (BASELINE + timedelta(days=slip)).isoformat()
    return {"baseline_start": "2026-01-05", "baseline_finish": BASELINE.isoformat(),
            "forecast_start": "2026-01-05", "forecast_finish": forecast}


@pytest.fixture
def projects(make: Maker, gov: Governance) -> dict[str, dict[str, Any]]:
    """Thresholds on every tier (schedule 10/30 days, cost 5/15 %) and four projects."""
    gov.contract()
    return {
        "on-plan": make.project(**_dates(0), budget_planned="1000.00", budget_forecast="1000.00"),
        "late": make.project(**_dates(45), budget_planned="1000.00", budget_forecast="1000.00"),
        "over": make.project(**_dates(None), budget_planned="1000.00", budget_forecast="1080.00"),
        "unknown": make.project(**_dates(None), budget_planned=None, budget_forecast=None),
    }


def _patch(as_: Clients, project: dict[str, Any], **fields: Any) -> dict[str, Any]:
    current = as_("admin").get(f"{API}/projects/{project['id']}").json()
    r = as_("admin").patch(f"{API}/projects/{project['id']}",
                           json={"version": current["version"], **fields})
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_project_writes_store_the_rules_colour(as_: Clients, db: Session,
                                               projects: dict[str, dict[str, Any]]) -> None:
    codes = {name: p["code"] for name, p in projects.items()}
    stored = colours(db)
    assert [stored[codes[n]] for n in ("on-plan", "late", "over", "unknown")] == [
        "green", "red", "amber", None]
    assert mismatches(db) == []
    _patch(as_, projects["on-plan"], forecast_finish=(BASELINE + timedelta(days=12)).isoformat())
    _patch(as_, projects["unknown"], budget_planned="500.00", budget_forecast="600.00")
    _patch(as_, projects["late"], baseline_finish=(BASELINE + timedelta(days=60)).isoformat())
    stored = colours(db)
    assert [stored[codes[n]] for n in ("on-plan", "late", "unknown")] == ["amber", "green", "red"]
    assert mismatches(db) == []


def test_reports_through_api_page_and_upload(app: object, world: World, as_: Clients,
                                            db: Session,
                                            projects: dict[str, dict[str, Any]]) -> None:
    late = projects["over"]["id"]
    r = as_("admin").post(f"{API}/projects/{late}/status-reports", json=report(
        forecast_finish=(BASELINE + timedelta(days=40)).isoformat(), forecast_cost="1000.00"))
    assert r.status_code == 201, r.text
    assert colours(db)[projects["over"]["code"]] == "red" and mismatches(db) == []
    stored = r.json()
    r = as_("admin").patch(f"{API}/status-reports/{stored['id']}", json={
        "version": stored["version"], "forecast_finish": BASELINE.isoformat()})
    assert r.status_code == 200, r.text
    assert colours(db)[projects["over"]["code"]] == "green" and mismatches(db) == []
    rows = [good_row(projects["on-plan"]["code"], forecast_cost="1200"),
            good_row(projects["late"]["code"], forecast_cost="1000")]
    assert post(as_("admin"), rows_file(rows)).status_code == 200
    assert colours(db)[projects["on-plan"]["code"]] == "red" and mismatches(db) == []
    browser = login(app, world, "admin")
    form = {"period_start": this_month().isoformat(), "overall": "amber", "schedule": "amber",
            "cost": "amber", "achievements": "Done",
            "forecast_finish": (BASELINE + timedelta(days=90)).isoformat()}
    r = browser.post_form(f"/projects/{projects['unknown']['id']}/reports", form)
    assert r.status_code == 303, getattr(r, "text", r)
    assert colours(db)[projects["unknown"]["code"]] == "red" and mismatches(db) == []


def test_import_contract_tiers_and_charter(as_: Clients, db: Session, world: World,
                                           projects: dict[str, dict[str, Any]]) -> None:
    header = ["code", "name", "department_code", "baseline_finish", "forecast_finish",
              "budget_planned", "budget_forecast"]
    content = csv_file([header,
                        [projects["on-plan"]["code"], "On plan", "IT", "2026-06-30",
                         "2026-08-30", "1000", "1000"],
                        ["IMP-1", "Imported", "FIN", "2026-06-30", "2026-07-05", "100", "112"]])
    r = upload(as_("admin"), "projects", content)
    assert r.status_code == 200, r.text
    stored = colours(db)
    assert (stored[projects["on-plan"]["code"]], stored["IMP-1"]) == ("red", "amber")
    assert mismatches(db) == []
    tier = int(db.scalars(select(Project.tier).where(Project.code == "IMP-1")).one())
    body = contract_body(as_, tier, rag_thresholds={"cost": {"amber": 20, "red": 40}})
    assert as_("admin").put(f"{API}/reporting-contracts/{tier}", json=body).status_code == 200
    assert colours(db)["IMP-1"] == "green" and mismatches(db) == []
    tiers = rules_body(as_, t1={"min_budget": "50"}, t2={"min_budget": "40"},
                       t3={"min_budget": "30"})
    r = as_("admin").put(f"{API}/tiers", json=tiers)
    assert r.status_code == 200, r.text
    assert mismatches(db) == []
    charters = Charters(as_, world)
    body = charters.body()
    body["content"]["health_basis"] = "derived"
    assert as_("admin").post(f"{API}/charter", json=body).status_code == 201
    assert mismatches(db) == []  # the basis is chosen when read: nothing stored changes


def test_refresh_all_repairs_rows_written_past_the_services(db: Session, world: World,
                                                           gov: Governance) -> None:
    gov.contract()
    for i, slip in enumerate((0, 15, 40)):
        db.add(Project(code=f"RAW-{i}", name="Raw", department_id=world.departments["IT"],
                       baseline_finish=BASELINE, budget_planned=Decimal("10.00"),
                       forecast_finish=BASELINE + timedelta(days=slip)))
    db.flush()
    assert {colours(db)[f"RAW-{i}"] for i in range(3)} == {None}
    health_store.refresh_all(db)
    assert [colours(db)[f"RAW-{i}"] for i in range(3)] == ["green", "amber", "red"]
    assert mismatches(db) == []

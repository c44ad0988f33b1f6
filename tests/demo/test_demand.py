"""The demo's running work holds people (issue 10, items 11 and 13): every running project has
role demand per month, so selection's free capacity is below supply and no running project
is named as carrying none; proposed projects without a report have unknown health."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from epmo.auth import service as auth_service
from epmo.auth.models import User
from epmo.demo.generator import make_plan
from epmo.demo.service import load_demo
from epmo.portfolio.demand_window import period_error, window
from epmo.portfolio.models import Project, ProjectDemand
from epmo.selection.models import Scenario

TODAY = date(2026, 12, 1)
RUNNING = ("approved", "planning", "executing", "closing", "on_hold")


def _client(app: object, db: Session, email: str) -> TestClient:
    user = db.scalar(select(User).where(User.email == email))
    assert user is not None
    _, token = auth_service.create_token(db, user, "test")
    return TestClient(app, headers={"Authorization": f"Bearer {token}"})  # type: ignore[arg-type]


def test_running_projects_hold_a_share_of_each_roles_supply(app: object, db: Session) -> None:
    result = load_demo(db, make_plan(projects=300, seed=6, today=TODAY))
    assert result.counts["project_demand"] > 0
    roles = set(db.scalars(text("SELECT DISTINCT role FROM person")))
    demand = db.execute(text(
        "SELECT p.stage, d.role, d.period, d.fte_months FROM project_demand d "
        "JOIN project p ON p.id = d.project_id")).all()
    assert {stage for stage, *_ in demand} <= set(RUNNING)
    assert {role for _, role, _, _ in demand} <= roles  # the people's exact spellings
    assert all(re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period) for _, _, period, _ in demand)
    dated = db.execute(select(
        ProjectDemand.period, Project.forecast_start, Project.planned_start,
        Project.forecast_finish, Project.planned_finish).join(
        Project, Project.id == ProjectDemand.project_id)).all()
    # every line lies within its project's dates, as a typed write of the demand must
    assert [period_error(period, window(*dates)) for period, *dates in dated
            if period_error(period, window(*dates))] == []
    running = db.scalar(text("SELECT COUNT(*) FROM project WHERE stage IN "
                             "('approved', 'planning', 'executing', 'closing', 'on_hold')"))
    holding = db.scalar(text("SELECT COUNT(DISTINCT project_id) FROM project_demand"))
    assert running and holding == running

    exec_ = _client(app, db, "exec@demo.epmo")
    scenario_id = db.scalars(select(Scenario.id)).one()
    found = exec_.get(f"/api/v1/scenarios/{scenario_id}/capacity")
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["running_without_demand"] == [] and body["note"] == ""
    lines = [ln for ln in body["lines"] if ln["supply"] > 0]
    shares = [ln["committed"] / ln["supply"] for ln in lines]
    # the demand is sized on weekly hours (at most 70 %); supply now counts the demo's holidays
    # and leave (resources), which take up to about a sixth of a quarter's hours
    assert max(shares) <= 0.7 / (5 / 6)
    near = [s for ln, s in zip(lines, shares, strict=True) if ln["period"].startswith("2027")]
    # where running work needs a role next year it takes roughly 40-70% of it (before leave)
    assert sum(1 for s in near if 0.4 <= s <= 0.7 / (5 / 6)) >= len(near) // 3
    assert any(ln["free"] < ln["supply"] for ln in lines)

    page = exec_.get(f"/scenarios/{scenario_id}")
    assert page.status_code == 200, page.text
    assert "no role demand" not in page.text and 'id="capacity-lines"' in page.text


def test_proposed_projects_without_a_report_have_unknown_health(app: object,
                                                                db: Session) -> None:
    load_demo(db, make_plan(projects=200, seed=7, today=TODAY))
    proposed = db.execute(text(
        "SELECT p.id, p.health FROM project p WHERE p.stage = 'proposed' AND NOT EXISTS "
        "(SELECT 1 FROM status_report r WHERE r.project_id = p.id)")).all()
    assert proposed and all(health is None for _, health in proposed)
    exec_ = _client(app, db, "exec@demo.epmo")
    shown = exec_.get(f"/api/v1/projects/{proposed[0][0]}")
    assert shown.status_code == 200, shown.text
    assert shown.json()["health"] is None

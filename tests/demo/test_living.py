"""The demo tells the truth about the product (issue 10, items 13-15): dates relative to today,
reports at each tier's cadence, no findings from fields left empty, a living network, unread
notifications, compliance snapshots over a year, and the sign-ins on every run."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from epmo.auth import service as auth_service
from epmo.auth.models import User
from epmo.compliance import service as compliance_service
from epmo.contracts.terms import load_terms
from epmo.db import UnitOfWork
from epmo.demo.generator import make_plan
from epmo.demo.service import LoadResult, load_demo
from epmo.demo.snapshots import month_ends
from epmo.engines.compliance.periods import period_bounds
from epmo.portfolio.models import Project
from tests.demo.conftest import fresh_engine, load_into

TODAY = date(2026, 9, 16)


def _client(app: object, db: Session, email: str) -> TestClient:
    user = db.scalar(select(User).where(User.email == email))
    assert user is not None
    _, token = auth_service.create_token(db, user, "test")
    return TestClient(app, headers={"Authorization": f"Bearer {token}"})  # type: ignore[arg-type]


def test_dates_are_relative_to_today(tmp_path: Path) -> None:
    """The same seed on two days gives the same projects, every date shifted by the gap."""
    folder = tmp_path
    later = TODAY + timedelta(days=400)
    dates = []
    for name, day in (("now", TODAY), ("later", later)):
        engine = fresh_engine(folder, name)
        load_into(engine, make_plan(projects=60, seed=3, today=day))
        with engine.connect() as conn:
            dates.append(conn.execute(text(
                "SELECT code, planned_start, forecast_finish, actual_start FROM project "
                "ORDER BY id")).all())
            newest = conn.execute(text("SELECT MAX(period_end) FROM status_report")).scalar()
        assert str(day - timedelta(days=31)) <= str(newest) <= str(day + timedelta(days=31))
        engine.dispose()
    gap = later - TODAY
    for one, two in zip(*dates, strict=True):
        assert one[0] == two[0]
        for a, b in zip(one[1:], two[1:], strict=True):
            if a is not None:
                assert date.fromisoformat(str(b)) - date.fromisoformat(str(a)) == gap


def test_default_today_is_today() -> None:
    assert make_plan(projects=10).today == date.today()


def test_reports_follow_each_tiers_cadence_without_gaps(
        loaded: tuple[Engine, LoadResult]) -> None:
    engine, result = loaded
    with UnitOfWork(engine) as session:
        terms = load_terms(session)
        projects = {p.id: p for p in session.scalars(select(Project))}
        reports: dict[int, list[tuple[date, date]]] = {}
        for pid, start, end in session.execute(text(
                "SELECT project_id, period_start, period_end FROM status_report "
                "ORDER BY project_id, period_start")):
            reports.setdefault(pid, []).append((date.fromisoformat(str(start)),
                                                date.fromisoformat(str(end))))
    cadences: Counter[str] = Counter()
    for pid, periods in reports.items():
        project = projects[pid]
        found = terms.for_project(project.department_id, project.tier)
        assert found is not None
        cadences[found.cadence] += 1
        for start, end in periods:
            assert period_bounds(found.cadence, start) == (start, end), (project.code, start)
        for (_, end), (start, _) in pairwise(periods):
            assert start == end + timedelta(days=1), (project.code, start)  # no gaps
        if project.stage in ("planning", "executing", "closing"):
            assert project.actual_start is not None
            assert periods[0][0] <= project.actual_start <= periods[0][1], project.code
    assert {"weekly", "fortnightly", "monthly"} <= set(cadences)
    assert result.plan.today >= max(p[-1][0] for p in reports.values())


def test_no_finding_comes_from_fields_left_empty(loaded: tuple[Engine, LoadResult]) -> None:
    engine, result = loaded
    with UnitOfWork(engine) as session:
        evaluation = compliance_service.evaluate(session, result.plan.today)
        blank = session.scalars(select(Project.code).where(
            (Project.description == "") | Project.description.is_(None))).all()
    assert blank == []
    rules = Counter(f.rule for f in evaluation.findings())
    assert rules["required_field"] == 0
    running = sum(1 for label in evaluation.projects.values()
                  if label.stage in ("planning", "executing", "closing"))
    # a few deliberate late reporters (two per top-level department and a few more), not one
    # finding per project
    assert 0 < rules["status_report"] <= 2 * 11 + 0.1 * running
    assert evaluation.enterprise.score >= 95


def test_the_network_lives(app: object, db: Session) -> None:
    result = load_demo(db, make_plan(projects=200, seed=2, today=TODAY))
    assert result.counts["dependency"] >= 6 and result.counts["change_event"] >= 3
    lead = _client(app, db, "lead.it@demo.epmo")
    deps = lead.get("/api/v1/dependencies", params={"limit": 100}).json()["items"]
    statuses = Counter(d["status"] for d in deps)
    assert statuses["accepted"] >= 4 and statuses["proposed"] >= 2
    assert all(d["predecessor"]["department_id"] != d["successor"]["department_id"]
               for d in deps)
    events = lead.get("/api/v1/change-events", params={"limit": 100})
    assert events.status_code == 200, events.text
    rows = db.execute(text("SELECT r.acknowledged_at IS NOT NULL, r.responded_at IS NOT NULL "
                           "FROM change_response r")).all()
    assert (True, True) in rows and (False, False) in rows  # answered and still open
    assert lead.get("/api/v1/notifications/unread-count").json()["unread"] >= 3


def test_the_it_project_manager_has_schedules(app: object, db: Session) -> None:
    result = load_demo(db, make_plan(projects=200, seed=2, today=TODAY))
    assert result.counts["schedule"] == 2
    pm = _client(app, db, "pm.it@demo.epmo")
    ids = db.scalars(text("SELECT project_id FROM schedule ORDER BY project_id")).all()
    for project_id in ids:
        plan = pm.get(f"/api/v1/projects/{project_id}/schedule").json()
        assert len(plan["activities"]) == 21 and plan["critical_path"]
        tied = [a for a in plan["activities"] if a["milestone_id"]]
        assert {a["name"] for a in tied} == {"Kick-off", "Design approved", "Go/no-go",
                                             "Go-live"}
        demand = pm.get(f"/api/v1/projects/{project_id}/demand").json()["lines"]
        assert {line["role"] for line in demand} >= {"Business analyst", "Data engineer"}


def test_compliance_snapshots_cover_twelve_months(app: object, db: Session) -> None:
    load_demo(db, make_plan(projects=120, seed=4, today=TODAY))
    league = _client(app, db, "exec@demo.epmo").get("/api/v1/compliance/league")
    assert league.status_code == 200, league.text
    enterprise = league.json()[0]
    days = [date.fromisoformat(point["day"]) for point in enterprise["points"]]
    assert len(days) == 12 and days[-1] == TODAY and days[0] == date(2025, 10, 31)
    assert len(enterprise["points"]) == len({*days})


def test_large_demo_snapshots_every_third_month_end() -> None:
    assert make_plan("large", today=TODAY).snapshot_every == 3
    assert make_plan("medium").snapshot_every == 1
    assert month_ends(TODAY, 12, 3) == [date(2025, 12, 31), date(2026, 3, 31),
                                        date(2026, 6, 30)]
    assert len(month_ends(TODAY, 12)) == 11 and month_ends(TODAY, 1) == []

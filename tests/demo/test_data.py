"""The loaded demo is consistent (dates, statuses) and flows through the API and sign-in."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from epmo.auth import service as auth_service
from epmo.demo.generator import make_plan
from epmo.demo.service import LoadResult, load_demo
from epmo.org.models import Department
from epmo.portfolio.models import Milestone, Project
from tests.conftest import Clients
from tests.world import World


def _bad(engine: Engine, condition: str, table: str = "project p") -> Sequence[object]:
    """Codes/ids of rows matching ``condition`` (which should match none)."""
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT * FROM {table} WHERE {condition}")).all()


def test_project_dates_are_consistent_with_stage(loaded: tuple[Engine, LoadResult]) -> None:
    engine, result = loaded
    today = f"'{result.plan.today.isoformat()}'"
    for condition in (
        "planned_start > planned_finish", "baseline_start > baseline_finish",
        "forecast_start > forecast_finish", "actual_start > actual_finish",
        f"actual_start > {today}", f"actual_finish > {today}",
        "stage = 'closed' AND (actual_finish IS NULL OR actual_start IS NULL)",
        "stage IN ('executing', 'closing', 'on_hold') "
        "AND (actual_start IS NULL OR actual_finish IS NOT NULL)",
        f"stage IN ('executing', 'planning', 'on_hold') AND forecast_finish <= {today}",
        "stage = 'proposed' AND actual_start IS NOT NULL",
        "baseline_start IS NULL OR baseline_finish IS NULL",  # the contracts require them
        "budget_actual > budget_forecast",
        "tier NOT BETWEEN 1 AND 4", "risk_rating NOT BETWEEN 1 AND 5", "headcount < 1",
    ):
        assert _bad(engine, condition) == [], condition


def test_health_follows_schedule_variance(loaded: tuple[Engine, LoadResult]) -> None:
    engine, _ = loaded
    with engine.connect() as conn:
        slip: dict[str, float] = dict(conn.execute(text(
            "SELECT health, AVG(julianday(forecast_finish) - julianday(baseline_finish)) "
            "FROM project WHERE stage <> 'proposed' GROUP BY health")).all())
        troubled = conn.execute(text(
            "SELECT AVG(forecast_finish > baseline_finish) FROM project "
            "WHERE health IN ('amber', 'red')")).scalar_one()
    assert slip["green"] < slip["amber"] < slip["red"]
    assert troubled >= 0.8


def test_milestones_are_consistent_with_their_project(loaded: tuple[Engine, LoadResult]) -> None:
    engine, result = loaded
    today = f"'{result.plan.today.isoformat()}'"
    joined = "milestone m JOIN project p ON p.id = m.project_id"
    for condition in (
        "m.planned_date < p.planned_start OR m.planned_date > p.planned_finish",
        "m.status = 'achieved' AND (m.actual_date IS NULL OR m.actual_date > "
        f"{today} OR m.actual_date < p.actual_start)",
        "m.status <> 'achieved' AND m.actual_date IS NOT NULL",
        "p.stage = 'closed' AND m.status <> 'achieved'",
        "p.stage IN ('proposed', 'approved') AND m.status <> 'planned'",
        f"m.status IN ('planned', 'in_progress') AND p.stage <> 'proposed' "
        f"AND m.forecast_date <= {today}",
        "p.stage = 'cancelled' AND m.status = 'achieved' AND m.actual_date > p.actual_finish",
    ):
        assert _bad(engine, condition, joined) == [], condition
    with engine.connect() as conn:
        per_project = conn.execute(text(
            "SELECT MIN(n), MAX(n) FROM (SELECT COUNT(*) n FROM milestone WHERE project_id NOT IN "
            "(SELECT project_id FROM schedule) GROUP BY project_id)")  # a schedule adds its own
        ).one()
    assert tuple(per_project) == (3, 6)


def test_loaded_demo_flows_through_the_api(as_: Clients, db: Session, world: World) -> None:
    result = load_demo(db, make_plan(projects=80, seed=9))
    assert result.reused_departments == 4  # the world's IT, IT-INFRA, FIN and HR
    assert "admin@demo.epmo" not in [login.email for login in result.logins]
    departments = as_("admin").get("/api/v1/departments", params={"limit": 500}).json()
    assert departments["total"] == result.plan.departments
    overview = as_("exec").get("/api/v1/overview", params={"status": "all"})
    assert overview.status_code == 200, overview.text
    body = overview.json()
    assert body["totals"]["count"] == 80
    assert sum(stage["count"] for stage in body["by_stage"]) == 80
    it = next(d for d in body["by_department"] if d["code"] == "IT")
    it_projects = db.scalar(select(func.count()).select_from(Project).join(Department).where(
        Department.code.like("IT%")))
    assert it_projects and it["rolled"]["count"] == it_projects


def test_demo_login_signs_in_and_sees_its_department(app: object, db: Session) -> None:
    load_demo(db, make_plan(projects=40, seed=9))
    user = auth_service.authenticate(db, "lead.it@demo.epmo", "demo-password-lead")
    actor = auth_service.actor_for(db, user)
    it_codes = set(db.scalars(select(Department.code).where(Department.id.in_(actor.scope))))
    assert "IT" in it_codes and "IT-APPS" in it_codes and "FIN" not in it_codes
    assert user.person_id is not None
    _, token = auth_service.create_token(db, user, "test")
    client = TestClient(app, headers={"Authorization": f"Bearer {token}"})  # type: ignore[arg-type]
    me = client.get("/api/v1/users/me")
    assert me.status_code == 200 and me.json()["role"] == "department_lead"


def test_later_orm_inserts_get_fresh_ids(db: Session) -> None:
    load_demo(db, make_plan(projects=30, seed=9))
    top = db.scalar(select(func.max(Project.id)))
    project = Project(code="AFTER-1", name="Added after the demo",
                      department_id=db.scalar(select(Department.id).limit(1)))
    db.add(project)
    db.flush()
    db.add(Milestone(project_id=project.id, name="First"))
    db.flush()
    assert top is not None and project.id > top

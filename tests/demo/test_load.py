"""Loading the demo: same seed same data, counts that scale, refusal to load twice, the CLI."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import sessionmaker
from typer.testing import CliRunner

from epmo.db import SessionFactory, UnitOfWork
from epmo.demo import cli
from epmo.demo.generator import design, make_plan
from epmo.demo.service import LoadResult
from epmo.errors import Conflict
from epmo.models import Base
from tests.demo.conftest import fresh_engine, load_into

CHECKSUMMED = {
    "project": "SELECT code, name, stage, health, tier, budget_planned, budget_forecast, "
               "budget_actual, planned_start, baseline_finish, forecast_finish, actual_start, "
               "actual_finish FROM project ORDER BY code",
    "milestone": "SELECT p.code, m.name, m.status, m.planned_date, m.forecast_date, "
                 "m.actual_date FROM milestone m JOIN project p ON p.id = m.project_id "
                 "ORDER BY p.code, m.planned_date, m.name",
    "person": "SELECT code, name, email, role, weekly_capacity_hours FROM person ORDER BY code",
}


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {name: conn.scalar(select(func.count()).select_from(table)) or 0
                for name, table in Base.metadata.tables.items() if not name.startswith("audit")}


def _checksum(engine: Engine) -> str:
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for query in CHECKSUMMED.values():
            for row in conn.execute(text(query)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def test_same_seed_gives_identical_data(tmp_path: Path) -> None:
    engines = [fresh_engine(tmp_path, name) for name in ("one", "two", "other")]
    for engine, seed in zip(engines, (5, 5, 6), strict=True):
        load_into(engine, make_plan(projects=150, seed=seed, today=date(2026, 2, 27)))
    one, two, other = engines
    assert _counts(one) == _counts(two)
    assert _checksum(one) == _checksum(two)
    assert _checksum(one) != _checksum(other)


def test_counts_scale_with_projects(loaded: tuple[Engine, LoadResult]) -> None:
    engine, result = loaded
    counts, plan = _counts(engine), result.plan
    assert counts["project"] == 400 == plan.projects
    assert counts["department"] == plan.departments == 45
    assert counts["person"] == plan.people + 5  # plus the executives
    assert counts["programme"] == plan.programmes == 20
    assert counts["portfolio"] == 12  # enterprise + one per top-level department
    assert 4.6 * 400 <= counts["milestone"] <= 5.4 * 400
    # one per role, the admin too (the file had none), Finance's lead (the value ledger) and
    # the survey respondents' accounts
    assert counts["user_account"] == 7 + result.counts["survey_respondent"]
    with engine.connect() as conn:
        shares = {stage: share for stage, share in conn.execute(text(
            "SELECT stage, COUNT(*) * 1.0 / 400 FROM project GROUP BY stage"))}
        joined = conn.scalar(text("SELECT COUNT(DISTINCT project_id) FROM project_department"))
        linked = conn.scalar(text("SELECT COUNT(DISTINCT project_id) FROM project_goal"))
    assert 0.22 <= shares["executing"] <= 0.38 and 0.24 <= shares["closed"] <= 0.40
    assert set(shares) == {"proposed", "approved", "planning", "executing", "closing", "closed",
                           "on_hold", "cancelled"}
    assert 0.13 * 400 <= joined <= 0.27 * 400
    assert 0.78 * 400 <= linked <= 0.92 * 400


def test_large_plan_has_three_level_hierarchy() -> None:
    plan = make_plan("large")
    org = design(plan)
    assert plan.projects == 50_000 and len(org.departments) == 150
    assert {d.level for d in org.departments} == {1, 2, 3}
    assert make_plan("medium").projects == 5_000 and make_plan().projects == 120


def test_weights_projects_and_portfolios_hang_together(loaded: tuple[Engine, LoadResult]) -> None:
    engine, _ = loaded
    with engine.connect() as conn:
        sums = conn.execute(text("SELECT COALESCE(parent_id, 0), SUM(weight) FROM goal "
                                 "GROUP BY COALESCE(parent_id, 0)")).all()
        link_sums = conn.execute(text(
            "SELECT SUM(weight) FROM project_goal GROUP BY project_id")).scalars().all()
        homes = conn.execute(text(
            "SELECT COUNT(*) FROM project_portfolio pp JOIN portfolio f ON f.id = pp.portfolio_id "
            "WHERE f.department_id IS NOT NULL GROUP BY pp.project_id")).scalars().all()
        unlisted = conn.scalar(text(
            "SELECT COUNT(*) FROM project p WHERE p.tier <= 2 AND NOT EXISTS (SELECT 1 FROM "
            "project_portfolio pp JOIN portfolio f ON f.id = pp.portfolio_id "
            "WHERE pp.project_id = p.id AND f.department_id IS NULL)"))
    assert {float(total) for _, total in sums} == {100.0}
    assert {float(total) for total in link_sums} == {100.0}
    assert homes == [1] * 400 and unlisted == 0


def test_second_load_refused_and_force_replaces(tmp_path: Path) -> None:
    engine = fresh_engine(tmp_path, "twice")
    plan = make_plan(projects=60, seed=2)
    first = load_into(engine, plan)
    before = _checksum(engine)
    with pytest.raises(Conflict) as refused:
        load_into(engine, make_plan(projects=80, seed=3))
    assert "already holds 60 projects" in refused.value.message
    assert refused.value.errors[0].field == "projects"
    assert _checksum(engine) == before
    again = load_into(engine, plan, force=True)
    assert again.cleared["project"] == 60 and _checksum(engine) == before
    assert _counts(engine)["user_account"] == (first.counts["user_account"]
                                               + first.counts["survey_respondent"])
    assert again.counts["survey_answer"] == first.counts["survey_answer"]


def _run(engine: Engine, *args: str) -> tuple[int, str, BaseException | None]:
    app = typer.Typer()
    cli.register(app)
    app.command("noop", hidden=True)(lambda: None)  # keep "demo" a named sub-command
    SessionFactory.maker = sessionmaker(class_=UnitOfWork, bind=engine, expire_on_commit=False)
    try:
        result = CliRunner().invoke(app, ["demo", *args])
    finally:
        SessionFactory.maker = None
    return result.exit_code, result.output, result.exception


def test_cli_loads_prints_logins_and_refuses_twice(tmp_path: Path) -> None:
    engine = fresh_engine(tmp_path, "cli")
    code, output, _ = _run(engine, "--projects", "40", "--seed", "4", "--today", "2026-03-31")
    assert code == 0, output
    assert "lead.it@demo.epmo" in output and "demo-password-lead" in output
    assert "2026-03-31" in output
    code, output, exc = _run(engine, "--size", "small")
    assert code != 0 and isinstance(exc, Conflict)
    code, output, _ = _run(engine, "--if-empty")
    assert code == 0 and "already holds 40 projects" in output
    # every run of `make run` shows the sign-ins, not only the first one
    assert "lead.it@demo.epmo" in output and "demo-password-lead" in output
    assert _counts(engine)["project"] == 40
    code, output, _ = _run(engine, "--projects", "30", "--force")
    assert code == 0 and "--force: deleting" in output
    assert _counts(engine)["project"] == 30


def test_empty_database_without_schema_is_a_clear_error(tmp_path: Path) -> None:
    engine = fresh_engine(tmp_path, "bare")
    Base.metadata.drop_all(engine)
    code, _, exc = _run(engine)
    assert code != 0 and exc is not None and "epmo init" in str(getattr(exc, "errors", ""))


def test_cli_report_months(tmp_path: Path) -> None:
    engine = fresh_engine(tmp_path, "months_cli")
    code, output, _ = _run(engine, "--projects", "30", "--report-months", "3", "--today",
                           "2025-06-20")
    assert code == 0, output
    assert "3 months of reports" in output and "peak memory" in output
    with engine.connect() as conn:
        months = conn.execute(text(
            "SELECT DISTINCT r.period_start FROM status_report r JOIN project p "
            "ON p.id = r.project_id WHERE p.tier >= 3 AND p.stage IN ('closed', 'on_hold') "
            "ORDER BY r.period_start")).scalars().all()
    assert {str(m) for m in months} <= {"2025-04-01", "2025-05-01", "2025-06-01"}
    assert months
    code, output, _ = _run(engine, "--force", "--report-months", "121")
    assert code == 2 and "--report-months" in output

"""The demo's governance data: charter, tiers and contracts, methods, reports, RAID, gates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from epmo.audit.models import AuditEntry
from epmo.charter.authority import authority_map
from epmo.contracts import tiering, validation
from epmo.contracts.models import DepartmentMethod, ReportingContract
from epmo.contracts.schemas import MethodUpdate
from epmo.db import UnitOfWork
from epmo.demo.generator import make_plan
from epmo.demo.service import LoadResult, load_demo
from epmo.org.models import Department
from epmo.portfolio.models import Project
from epmo.reporting.models import StatusReport
from tests.conftest import Clients
from tests.demo.conftest import fresh_engine, load_into
from tests.reporting.test_health_store import mismatches


def _rows(engine: Engine, query: str) -> Sequence[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(query))]


def _one(engine: Engine, query: str) -> object:
    with engine.connect() as conn:
        return conn.execute(text(query)).scalar_one()


def test_tiers_follow_the_hubs_tier_rules(loaded: tuple[Engine, LoadResult]) -> None:
    engine, _ = loaded
    with UnitOfWork(engine) as session:
        classify = tiering.classifier(session)
        projects = session.scalars(select(Project)).all()
        wrong = [p.code for p in projects if classify(tiering.fields_of(p)) != p.tier]
        tiers = {p.tier for p in projects}
    assert wrong == [] and tiers >= {1, 2, 3, 4}


def test_charter_mixes_authority_levels(loaded: tuple[Engine, LoadResult]) -> None:
    engine, result = loaded
    with UnitOfWork(engine) as session:
        levels = authority_map(session)
        ids = dict(session.execute(select(Department.code, Department.id)).all())
    assert levels[ids["FIN"]]["ppm_administration"] == "controlling"
    assert levels[ids["FIN-ACC"]]["ppm_administration"] == "controlling"  # inherited
    assert levels[ids["OPS"]]["portfolio_governance"] == "directive"
    assert levels[ids["HR"]]["project_leadership"] == "none"
    assert levels[ids["MKT"]] == dict.fromkeys(levels[ids["MKT"]], "supportive")
    assert result.counts["charter_version"] == 1
    assert (result.counts["tier_rule"], result.counts["reporting_contract"]) == (4, 4)


def test_department_methods_meet_the_enterprise_minimum(
        loaded: tuple[Engine, LoadResult]) -> None:
    engine, _ = loaded
    with UnitOfWork(engine) as session:
        contracts = session.scalars(select(ReportingContract)).all()
        cadences = {c.tier: c.cadence for c in contracts}
        taken = {g["code"]: f"tier {c.tier}" for c in contracts for g in c.gates}
        methods = session.scalars(select(DepartmentMethod)).all()
        for method in methods:
            data = MethodUpdate.model_validate({
                "name": method.name, "stage_names": method.stage_names,
                "extra_fields": method.extra_fields, "cadence": method.cadence,
                "extra_gates": method.extra_gates}, strict=False)
            assert validation.method_errors(data, cadences, taken) == [], method.name
    assert {m.name for m in methods} >= {"Lean stage-gate", "Agile marketing"}


def test_status_reports_follow_each_projects_run(loaded: tuple[Engine, LoadResult]) -> None:
    engine, result = loaded
    today = result.plan.today
    first = date(today.year - (today.month <= 5), (today.month - 6) % 12 + 1, 1)
    joined = "status_report r JOIN project p ON p.id = r.project_id"
    for condition in (
        "p.stage IN ('proposed', 'approved')",
        "r.period_start > p.actual_finish", "r.period_end < p.actual_start",
        # running projects report since they started; the others within the window
        f"r.period_end < '{first.isoformat()}' AND p.stage NOT IN "
        "('planning', 'executing', 'closing')", f"r.period_start > '{today.isoformat()}'",
        "r.overall NOT IN ('green', 'amber', 'red')",
    ):
        assert _rows(engine, f"SELECT r.id FROM {joined} WHERE {condition}") == [], condition
    last_differs = _rows(engine, f"""
        SELECT p.code FROM {joined} WHERE r.period_start = (SELECT MAX(period_start)
        FROM status_report WHERE project_id = p.id) AND r.overall <> p.health""")
    assert last_differs == []
    running = _one(engine, "SELECT COUNT(*) FROM project WHERE stage IN "
                           "('planning', 'executing', 'closing', 'on_hold')")
    reporting = _one(engine, f"SELECT COUNT(DISTINCT p.id) FROM {joined} WHERE p.stage IN "
                             "('planning', 'executing', 'closing', 'on_hold')")
    # A few started this month and have not reported yet.
    assert 0.95 * running <= reporting <= running  # type: ignore[operator]
    assert _one(engine, "SELECT COUNT(*) FROM status_report") == result.counts["status_report"]


def test_dimensions_never_beat_the_overall_colour(loaded: tuple[Engine, LoadResult]) -> None:
    engine, _ = loaded
    rank = "CASE {0} WHEN 'green' THEN 0 WHEN 'amber' THEN 1 WHEN 'red' THEN 2 END"
    worst = "MAX(" + ", ".join(rank.format(f"COALESCE({d}, 'green')") for d in (
        "schedule", "cost", "scope", "risk", "resources")) + ")"
    bad = _rows(engine, f"SELECT id FROM status_report WHERE {worst} <> {rank.format('overall')}")
    assert bad == []


def test_stored_derived_colours_follow_the_rule(loaded: tuple[Engine, LoadResult]) -> None:
    engine, _ = loaded
    with UnitOfWork(engine) as session:
        assert mismatches(session) == []
        stored = session.scalars(select(StatusReport.derived_health).distinct()).all()
    assert {"green", "amber", "red"} <= set(stored)


def test_raid_artefacts_and_gates_fit_the_stage(loaded: tuple[Engine, LoadResult]) -> None:
    engine, _ = loaded
    for query in (
        "SELECT id FROM raid_item WHERE kind = 'risk' AND (score <> probability * impact "
        "OR probability NOT BETWEEN 1 AND 5 OR impact NOT BETWEEN 1 AND 5)",
        "SELECT r.id FROM raid_item r JOIN project p ON p.id = r.project_id "
        "WHERE r.status = 'open' AND p.stage IN ('closed', 'cancelled', 'proposed')",
        "SELECT a.id FROM artefact a JOIN project p ON p.id = a.project_id WHERE "
        "(a.kind IN ('closure_report', 'lessons_learned') AND p.stage <> 'closed') "
        "OR (a.kind = 'plan' AND p.stage IN ('approved', 'planning', 'cancelled'))",
        "SELECT g.id FROM gate_review g JOIN project p ON p.id = g.project_id "
        "WHERE g.stage = 'closed' AND g.decision IS NOT NULL AND p.stage <> 'closed'",
    ):
        assert _rows(engine, query) == [], query
    decided = dict(_rows(engine, "SELECT COALESCE(decision, 'pending'), COUNT(*) "
                                 "FROM gate_review GROUP BY COALESCE(decision, 'pending')"))
    assert set(decided) <= {"go", "hold", "pending"}
    assert decided["go"] >= 0.85 * sum(decided.values())  # type: ignore[operator]
    kinds = {k for (k,) in _rows(engine, "SELECT DISTINCT kind FROM raid_item")}
    assert kinds == {"risk", "issue", "decision", "change"}


def test_the_one_audit_entry_records_every_count(loaded: tuple[Engine, LoadResult]) -> None:
    engine, result = loaded
    with UnitOfWork(engine) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "demo",
                                                         AuditEntry.action == "load")).one()
    assert entry.after is not None
    for name in ("status_report", "raid_item", "artefact", "gate_review", "project"):
        assert entry.after[name] == result.counts[name] > 0, name
    assert entry.after["report_months"] == 6


def test_report_months_sets_the_history_length(tmp_path: Path) -> None:
    engine = fresh_engine(tmp_path, "months")
    result = load_into(engine, make_plan(projects=60, seed=3, report_months=2))
    # the window applies to finished and paused projects; running ones report since start
    months = _one(engine, "SELECT COUNT(DISTINCT strftime('%Y-%m', r.period_end)) FROM "
                          "status_report r JOIN project p ON p.id = r.project_id "
                          "WHERE p.stage NOT IN ('planning', 'executing', 'closing')")
    assert months == 2 == result.plan.report_months
    assert make_plan("large").report_months == 24 and make_plan("medium").report_months == 6


def test_demo_rolls_up_through_the_api(as_: Clients, db: Session) -> None:
    result = load_demo(db, make_plan(projects=80, seed=9))
    latest = db.scalar(select(func.max(StatusReport.period_start)))
    assert latest is not None and latest <= result.plan.today
    body = as_("exec").get("/api/v1/rollup", params={"level": "department"}).json()
    assert body["period"] == f"{latest:%Y-%m}"  # by default the latest month reported for
    roots = [row for row in body["rows"] if row["depth"] == 0]
    month_start = latest
    # Every project not finished before the month counts: reported ones with their colour,
    # the rest as unknown.
    counted = db.scalar(select(func.count(func.distinct(Project.id))).where(
        (Project.actual_finish.is_(None)) | (Project.actual_finish >= month_start)))
    assert 0 < sum(row["count"] for row in roots) <= (counted or 0)
    assert {row["trend"] for row in roots} - {None} <= {"improved", "worsened", "unchanged",
                                                         "new"}
    it = next(row for row in roots if row["code"] == "IT")
    pdf = as_("exec").get("/api/v1/rollup/pack", params={"department_id": it["id"]})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

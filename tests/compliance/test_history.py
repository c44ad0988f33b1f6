"""Compliance sees the whole reporting history: every due period without a report is a failed
check, and a project's missing periods are one readable finding, everywhere findings go."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import Session
from typer.testing import CliRunner

from epmo.cli import app
from epmo.reporting.models import StatusReport
from tests.compliance.conftest import API, Env, checks, months_due, next_month, today
from tests.conftest import Clients

runner = CliRunner()


def since() -> date:
    """A first month long due: about 13 months ago."""
    return (today() - timedelta(days=400)).replace(day=1)


def _month(first: date, later: int) -> date:
    for _ in range(later):
        first = next_month(first)
    return first


def first_month(project: dict[str, object]) -> date:
    """The first month a compliant project reports."""
    return date.fromisoformat(str(project["planned_start"])).replace(day=1)


def test_a_silent_project_misses_every_month_since_reporting_began(env: Env,
                                                                   as_: Clients) -> None:
    env.levels("supportive")
    first = since()
    silent = env.project(planned_start=first.isoformat(), description="silent")
    due = months_due(first)
    last = _month(first, due - 1)
    (finding,) = [f for f in env.findings(project_id=silent["id"])
                  if f["rule"] == "status_report"]
    assert finding["message"] == (f"{due} monthly reports missing, {first:%Y-%m} .. "
                                  f"{last:%Y-%m} (no status report yet)")
    assert finding["count"] == due and finding["subject"] == first.isoformat()
    assert finding["periods"] == [_month(first, i).isoformat() for i in range(due)]
    scores = as_("admin").get(f"{API}/compliance/scores",
                              params={"level": "project", "limit": 500}).json()["items"]
    score = next(s for s in scores if s["id"] == silent["id"])
    fields, artefacts, gates = 2, 3, 3  # all passed but the artefacts and gates
    assert (score["checks"], score["warnings"]) == (fields + due + artefacts + gates,
                                                    due + artefacts + gates)
    assert score["score"] == round(100 * fields / score["checks"], 2)
    it = as_("admin").get(f"{API}/compliance/scores", params={"level": "department"}).json()
    assert next(d for d in it["items"] if d["code"] == "IT")["warnings"] == score["warnings"]


def test_a_gap_in_the_middle_of_the_history_is_found(env: Env, db: Session, as_: Clients) -> None:
    env.levels("controlling")
    project = env.compliant()
    gap = [_month(first_month(project), 2), _month(first_month(project), 3)]
    db.query(StatusReport).filter(StatusReport.project_id == project["id"],
                                  StatusReport.period_start.in_(gap)).delete()
    db.flush()
    (finding,) = env.findings(project_id=project["id"])
    assert (finding["rule"], finding["severity"], finding["count"]) == ("status_report",
                                                                         "blocking", 2)
    assert finding["message"] == f"2 monthly reports missing, {gap[0]:%Y-%m} .. {gap[1]:%Y-%m}"
    page = as_("it_lead").get("/compliance", params={"project_id": project["id"]})
    assert 'data-rule="status_report" data-severity="blocking" data-count="2"' in page.text
    assert finding["message"] in page.text
    assert re.search(r'data-count="status_report">[^<]*: 2<', page.text)  # periods, not rows
    gates_page = as_("it_pm").get(f"/projects/{project['id']}/gates")
    assert finding["message"] in gates_page.text
    assert f"{checks() - 2} of {checks()} checks passed" in gates_page.text


def test_snapshots_and_exports_count_every_missing_month(env: Env, as_: Clients) -> None:
    env.levels("controlling")
    first = since()
    silent = env.project(planned_start=first.isoformat(), description="silent")
    due = months_due(first)
    rows = as_("admin").post(f"{API}/compliance/snapshots").json()
    enterprise = rows[0]
    assert enterprise["department_id"] is None and enterprise["blocking"] == due + 3 + 3
    export = as_("admin").get(f"{API}/compliance/export", params={"format": "csv"})
    found = [r for r in csv.DictReader(io.StringIO(export.text))
             if r["project_code"] == silent["code"] and r["rule"] == "status_report"]
    assert len(found) == 1 and found[0]["count"] == str(due)
    assert found[0]["periods"].split() == [_month(first, i).isoformat() for i in range(due)]


def test_the_cli_counts_and_exports_the_whole_history(env: Env, tmp_path: Path) -> None:
    env.levels("supportive")
    env.project(planned_start="2025-11-10", description="silent")
    target = tmp_path / "findings.csv"
    result = runner.invoke(app, ["compliance", "--today", "2026-12-08", "--export", str(target)])
    assert result.exit_code == 0, result.output
    # 13 months (2025-11 .. 2026-11) + 3 artefacts + 3 gates, in 7 rows
    assert "19 findings (0 blocking, 19 warnings) in 1 projects; 7 rows" in result.output
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    report = next(r for r in rows if r["rule"] == "status_report")
    assert report["message"] == ("13 monthly reports missing, 2025-11 .. 2026-11 "
                                 "(no status report yet)")
    assert report["count"] == "13" and report["subject"] == "2025-11-01"


def test_a_late_report_through_the_api_fills_its_period(env: Env, as_: Clients) -> None:
    env.levels("supportive")
    first = since()
    silent = env.project(planned_start=first.isoformat(), description="silent")
    due = months_due(first)
    second = _month(first, 1)
    r = as_("it_pm").post(f"{API}/projects/{silent['id']}/status-reports",
                          json={"period_start": second.isoformat(), "overall": "green",
                                "schedule": "green", "cost": "green"})
    assert r.status_code == 201, r.text
    (finding,) = [f for f in env.findings(project_id=silent["id"])
                  if f["rule"] == "status_report"]
    assert finding["count"] == due - 1 and second.isoformat() not in finding["periods"]
    last = _month(first, due - 1)
    assert finding["message"] == (f"{due - 1} monthly reports missing, {first:%Y-%m}, "
                                  f"{_month(first, 2):%Y-%m} .. {last:%Y-%m}")

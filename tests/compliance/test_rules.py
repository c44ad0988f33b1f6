"""Each rule under each authority level, through the API and the pages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from epmo.compliance.models import GateReview
from epmo.contracts.models import Artefact
from epmo.portfolio.models import Project
from epmo.reporting.models import StatusReport
from tests.compliance.conftest import API, LEVELS, Env, checks, months_due, today
from tests.conftest import Clients

SEVERITY = {"none": None, "supportive": "warning", "controlling": "blocking",
            "directive": "blocking"}


def gap() -> date:
    """A month long due, mid-history."""
    return (today() - timedelta(days=59)).replace(day=1)


def subject(rule: str) -> str:
    """What a finding of ``rule`` names when break_rule broke it."""
    return {"required_field": "sponsor_id", "artefact": "plan", "gate": "G3",
            "status_report": gap().isoformat()}[rule]


def break_rule(db: Session, project_id: int, rule: str) -> None:
    """Make a compliant project fail exactly ``rule``."""
    if rule == "required_field":
        db.execute(update(Project).where(Project.id == project_id).values(sponsor_id=None))
    elif rule == "artefact":
        db.query(Artefact).filter_by(project_id=project_id, kind="plan").delete()
    elif rule == "gate":
        db.query(GateReview).filter_by(project_id=project_id, gate_code="G3").delete()
    else:  # a month missing between reported ones (the latest report is current)
        db.query(StatusReport).filter_by(project_id=project_id, period_start=gap()).delete()
    db.flush()


def project_score(as_: Clients, project_id: int, user: str = "admin") -> dict[str, Any]:
    r = as_(user).get(f"{API}/compliance/scores", params={"level": "project", "limit": 500})
    assert r.status_code == 200, r.text
    return next(s for s in r.json()["items"] if s["id"] == project_id)


def test_a_compliant_project_has_no_findings_and_scores_100(env: Env, as_: Clients) -> None:
    env.levels("controlling")
    project = env.compliant()
    assert env.findings(project_id=project["id"]) == []
    score = project_score(as_, project["id"])
    assert (score["score"], score["checks"], score["blocking"]) == (100.0, checks(), 0)


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("rule", ["required_field", "status_report", "artefact", "gate"])
def test_rule_under_authority(env: Env, as_: Clients, db: Session, rule: str,
                              level: str) -> None:
    env.levels(level)
    project = env.compliant()
    break_rule(db, project["id"], rule)
    found = env.findings(project_id=project["id"])
    score = project_score(as_, project["id"])
    if level == "none":
        assert found == [] and score["checks"] == 0 and score["score"] == 100.0
        return
    assert [(f["rule"], f["subject"], f["severity"], f["level"]) for f in found] == [
        (rule, subject(rule), SEVERITY[level], level)]
    assert score["score"] == pytest.approx(100 * (checks() - 1) / checks(), abs=0.01)
    page = as_("it_lead").get("/compliance", params={"project_id": project["id"]})
    assert page.status_code == 200
    assert f'data-rule="{rule}" data-severity="{SEVERITY[level]}"' in page.text
    gates_page = as_("it_pm").get(f"/projects/{project['id']}/gates")
    assert found[0]["message"].replace("'", "&#39;") in gates_page.text


def test_each_practice_has_its_own_level(env: Env, as_: Clients, db: Session) -> None:
    env.levels("none", portfolio_governance="controlling",
               departments={"FIN": {"ppm_administration": "supportive"}})
    it = env.compliant()
    fin = env.compliant(dept="FIN")
    for project in (it, fin):
        break_rule(db, project["id"], "gate")
        break_rule(db, project["id"], "artefact")
    assert [(f["rule"], f["severity"]) for f in env.findings(project_id=it["id"])] == [
        ("gate", "blocking")]
    assert [(f["rule"], f["severity"]) for f in env.findings(project_id=fin["id"])] == [
        ("gate", "blocking"), ("artefact", "warning")]


def test_missing_reports_only_count_while_reporting(env: Env, db: Session) -> None:
    env.levels("supportive")
    old = (today() - timedelta(days=200)).isoformat()
    never = env.project(stage="executing", planned_start=old)
    approved = env.project(stage="approved", planned_start=old)
    new = env.project(stage="planning")  # reporting starts today
    rules = {p["id"]: [f["rule"] for f in env.findings(project_id=p["id"])]
             for p in (never, approved, new)}
    assert "status_report" in rules[never["id"]]
    assert "status_report" not in rules[approved["id"]]
    assert "status_report" not in rules[new["id"]]
    message = next(f["message"] for f in env.findings(project_id=never["id"])
                   if f["rule"] == "status_report")
    first = (today() - timedelta(days=200)).replace(day=1)
    due = months_due(first)
    assert message.startswith(f"{due} monthly reports missing, {first:%Y-%m} .. ")
    assert message.endswith(" (no status report yet)")


def test_findings_filters_and_scope(env: Env, as_: Clients, db: Session) -> None:
    env.levels("supportive", departments={"IT": {"portfolio_governance": "controlling"}})
    infra = env.compliant(dept="IT-INFRA")
    fin = env.compliant(dept="FIN")
    for project in (infra, fin):
        break_rule(db, project["id"], "gate")
        break_rule(db, project["id"], "required_field")
    it_dept = env.world.departments["IT"]
    mine = env.findings("it_viewer")
    assert {f["project_code"] for f in mine} == {infra["code"]}
    assert {f["project_code"] for f in env.findings("fin_pm")} == {fin["code"]}
    assert len(env.findings("exec")) == 4
    below = env.findings(department_id=it_dept)
    assert {f["department_code"] for f in below} == {"IT-INFRA"}
    blocking = env.findings(severity="blocking")
    assert [(f["project_code"], f["rule"]) for f in blocking] == [(infra["code"], "gate")]
    assert [f["project_code"] for f in env.findings(rule="gate")] == [infra["code"],
                                                                      fin["code"]]
    assert env.findings("fin_pm", project_id=infra["id"]) == []
    paged = as_("admin").get(f"{API}/compliance", params={"limit": 1, "offset": 1})
    assert paged.json()["total"] == 4 and len(paged.json()["items"]) == 1
    bad = as_("admin").get(f"{API}/compliance", params={"severity": "fatal"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "severity"


def test_cancelled_projects_are_not_scored(env: Env, as_: Clients) -> None:
    env.levels("controlling")
    project = env.project(stage="cancelled", sponsor_id=None)
    assert env.findings(project_id=project["id"]) == []
    r = as_("admin").get(f"{API}/compliance/scores", params={"level": "project"})
    assert project["id"] not in [s["id"] for s in r.json()["items"]]


def test_department_methods_add_fields_and_gates(env: Env, db: Session) -> None:
    from epmo.contracts.models import DepartmentMethod
    db.add(DepartmentMethod(department_id=env.world.departments["IT"], name="IT agile",
                            stage_names={"Discovery": "planning", "Delivery": "executing"},
                            extra_fields=["description"], cadence=None,
                            extra_gates=[{"code": "DG", "name": "Demo done",
                                          "stage": "executing"}]))
    db.flush()
    env.levels("supportive")
    project = env.compliant(dept="IT-INFRA")  # inherits IT's method
    found = {(f["rule"], f["subject"]) for f in env.findings(project_id=project["id"])}
    assert found == {("required_field", "description"), ("gate", "DG")}

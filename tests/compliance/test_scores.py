"""Scores per project, department and enterprise; daily snapshots; the league; the dashboard."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.compliance.models import ComplianceSnapshot, GateReview
from epmo.contracts.models import Artefact
from tests.compliance.conftest import API, Env, checks, today
from tests.conftest import Clients
from tests.web.helpers import login
from tests.world import World


def _scores(as_: Clients, level: str, user: str = "admin", **params: Any) -> list[dict[str, Any]]:
    r = as_(user).get(f"{API}/compliance/scores", params={"level": level, **params})
    assert r.status_code == 200, r.text
    return r.json()["items"]  # type: ignore[no-any-return]


@pytest.fixture
def scored(env: Env) -> dict[str, dict[str, Any]]:
    """IT-INFRA: one project at 100, one at 7/9 (no sponsor, no plan); FIN: one at 100."""
    env.levels("supportive")
    made = {"infra_ok": env.compliant(dept="IT-INFRA"), "fin": env.compliant(dept="FIN"),
            "infra_bad": env.compliant(dept="IT-INFRA", sponsor_id=None)}
    env.db.query(Artefact).filter_by(project_id=made["infra_bad"]["id"], kind="plan").delete()
    env.db.flush()
    return made


def test_scores_at_each_level(scored: dict[str, dict[str, Any]], as_: Clients,
                              world: World) -> None:
    projects = _scores(as_, "project")
    assert projects[0]["code"] == scored["infra_bad"]["code"]  # lowest first
    bad = 100 * (checks() - 2) / checks()
    assert projects[0]["score"] == pytest.approx(bad, abs=0.01)
    assert (projects[0]["checks"], projects[0]["warnings"]) == (checks(), 2)
    departments = {d["code"]: d for d in _scores(as_, "department")}
    expected = (100 + bad) / 2
    assert departments["IT-INFRA"]["score"] == pytest.approx(expected, abs=0.01)
    assert departments["IT"]["score"] == departments["IT-INFRA"]["score"]  # sub-departments
    assert departments["IT"]["projects"] == 2 and departments["FIN"]["score"] == 100.0
    assert "HR" not in departments  # no projects, no score
    enterprise = _scores(as_, "enterprise")
    assert enterprise == [{"level": "enterprise", "id": None, "code": "ENTERPRISE",
                           "name": "Enterprise", "department_id": None, "projects": 3,
                           "score": pytest.approx((200 + bad) / 3, abs=0.01),
                           "checks": None, "blocking": 0, "warnings": 2}]
    # project scores are scoped; department and enterprise scores are for everyone
    assert {p["code"] for p in _scores(as_, "project", "fin_pm")} == {scored["fin"]["code"]}
    assert len(_scores(as_, "department", "hr_viewer")) == 3
    only = _scores(as_, "project", department_id=world.departments["FIN"])
    assert [p["code"] for p in only] == [scored["fin"]["code"]]
    assert as_("admin").get(f"{API}/compliance/scores",
                            params={"level": "galaxy"}).status_code == 422


def test_snapshots_are_one_row_per_department_and_day(scored: dict[str, dict[str, Any]],
                                                      as_: Clients, db: Session,
                                                      world: World) -> None:
    assert as_("it_lead").post(f"{API}/compliance/snapshots").status_code == 403
    first = as_("admin").post(f"{API}/compliance/snapshots")
    assert first.status_code == 201, first.text
    rows = first.json()
    assert rows[0]["department_id"] is None and rows[0]["projects"] == 3
    assert {r["department_id"] for r in rows[1:]} == {world.departments[c]
                                                     for c in ("IT", "IT-INFRA", "FIN")}
    db.query(ComplianceSnapshot).filter_by(taken_on=today(), department_id=None).one()
    for project in (scored["infra_ok"], scored["fin"]):  # break two more projects
        db.query(GateReview).filter_by(project_id=project["id"], gate_code="G3").delete()
    db.flush()
    second = as_("admin").post(f"{API}/compliance/snapshots").json()
    stored = db.scalars(select(ComplianceSnapshot).where(ComplianceSnapshot.taken_on == today()))
    assert len(list(stored)) == len(rows) == len(second)
    enterprise = next(r for r in second if r["department_id"] is None)
    assert enterprise["warnings"] == 4 and enterprise["score"] < rows[0]["score"]


def test_league_series_from_snapshots(env: Env, as_: Clients, db: Session,
                                      world: World) -> None:
    it = world.departments["IT"]
    for day, score in ((date(2026, 1, 1), "50.00"), (date(2026, 2, 1), "75.50")):
        db.add(ComplianceSnapshot(taken_on=day, department_id=it, score=Decimal(score),
                                  projects=4))
        db.add(ComplianceSnapshot(taken_on=day, department_id=None, score=Decimal(score),
                                  projects=4))
    db.flush()
    r = as_("it_viewer").get(f"{API}/compliance/league")
    assert r.status_code == 200
    assert r.json() == [
        {"department_id": None, "code": "ENTERPRISE", "name": "Enterprise",
         "points": [{"day": "2026-01-01", "score": 50.0}, {"day": "2026-02-01", "score": 75.5}]},
        {"department_id": it, "code": "IT", "name": "Information Technology",
         "points": [{"day": "2026-01-01", "score": 50.0}, {"day": "2026-02-01", "score": 75.5}]}]
    later = as_("it_viewer").get(f"{API}/compliance/league", params={"since": "2026-01-15"})
    assert [len(s["points"]) for s in later.json()] == [1, 1]


def test_the_dashboard(scored: dict[str, dict[str, Any]], app: object, world: World,
                       as_: Clients) -> None:
    admin = login(app, world, "admin")
    page = admin.client.get("/compliance")
    assert page.status_code == 200
    assert 'id="no-snapshots"' in page.text and 'id="take-snapshot"' in page.text
    enterprise = (200 + 100 * (checks() - 2) / checks()) / 3
    assert f'<div class="h1 mb-0" id="enterprise-score">{enterprise:.1f}</div>' in page.text
    assert page.text.count('data-testid="finding"') == 2
    assert 'data-department="IT-INFRA"' in page.text
    r = admin.post_form("/compliance/snapshots", {})
    assert r.status_code == 303  # type: ignore[attr-defined]
    page = admin.client.get("/compliance")
    assert 'id="league-chart"' in page.text and "echarts.min.js" in page.text
    assert '"ENTERPRISE"' in page.text and "Snapshot of 3 departments" in page.text
    filtered = admin.client.get("/compliance", params={"rule": "artefact", "department_id": "",
                                                        "severity": ""})
    assert filtered.text.count('data-testid="finding"') == 1
    assert "rule=artefact&amp;format=csv" in filtered.text
    assert admin.client.get("/compliance", params={"rule": "nope"}).status_code == 422
    fin = as_("fin_pm").get("/compliance")
    assert 'id="no-findings"' in fin.text and 'id="take-snapshot"' not in fin.text
    assert 'data-department="IT-INFRA"' in fin.text  # the league is for everyone


def test_export_findings(scored: dict[str, dict[str, Any]], as_: Clients) -> None:
    r = as_("admin").get(f"{API}/compliance/export", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = r.text.splitlines()
    assert lines[0] == ("project_code,project_name,department_code,stage,rule,practice,"
                        "authority,severity,subject,message,count,periods")
    assert len(lines) == 3 and lines[1].startswith(scored["infra_bad"]["code"])
    xlsx = as_("admin").get(f"{API}/compliance/export", params={"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert len(as_("fin_pm").get(f"{API}/compliance/export").text.splitlines()) == 1


def test_a_department_filter_shows_only_that_subtree(scored: dict[str, dict[str, Any]],
                                                     as_: Clients, world: World) -> None:
    rows = _scores(as_, "department", department_id=world.departments["IT-INFRA"])
    assert [r["code"] for r in rows] == ["IT-INFRA"]  # not IT, whose score would be partial
    assert _scores(as_, "department", department_id=999_999) == []
    assert _scores(as_, "enterprise", department_id=world.departments["FIN"])[0]["projects"] == 3

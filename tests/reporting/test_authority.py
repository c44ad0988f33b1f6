"""Submission under each authority level of the charter's PPM administration practice."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from epmo.reporting.models import StatusReport
from tests.conftest import Clients
from tests.factories import Maker
from tests.reporting.conftest import API, Governance, months_ago, report

MISSING_COST = {"cost": None}


def submit(client: TestClient, project: dict[str, Any], **fields: Any) -> Any:
    """POST a report for ``project`` (fields override the complete current-month body)."""
    body = {k: v for k, v in report(**fields).items() if v is not None}
    return client.post(f"{API}/projects/{project['id']}/status-reports", json=body)


def stored(db: Session) -> int:
    """How many status reports exist."""
    return db.scalar(select(func.count()).select_from(StatusReport)) or 0


def test_none_accepts_without_warnings(as_: Clients, make: Maker, gov: Governance) -> None:
    gov.contract()
    gov.authority("none", "IT")
    r = submit(as_("it_pm"), make.project("IT"), **MISSING_COST,
               period_start=months_ago(3).isoformat())
    assert r.status_code == 201, r.text
    assert r.json()["warnings"] == []


def test_supportive_accepts_with_warnings(as_: Clients, make: Maker, gov: Governance) -> None:
    gov.contract()
    gov.authority("supportive", "IT")
    r = submit(as_("it_pm"), make.project("IT"), **MISSING_COST,
               period_start=months_ago(3).isoformat())
    assert r.status_code == 201, r.text
    warnings = {w["field"]: w["message"] for w in r.json()["warnings"]}
    assert set(warnings) == {"cost", "period_start"}
    assert "required by the tier" in warnings["cost"] and "late" in warnings["period_start"]
    body = report(period=months_ago(4).isoformat())
    del body["period_start"]
    r = as_("it_pm").post(f"{API}/projects/{make.project('IT')['id']}/status-reports", json=body)
    assert [w["field"] for w in r.json()["warnings"]] == ["period"]


def test_controlling_blocks_the_same_shortfalls(as_: Clients, make: Maker, gov: Governance,
                                               db: Session) -> None:
    gov.contract()
    gov.authority("controlling", "IT")
    project = make.project("IT")
    before = stored(db)
    r = submit(as_("it_pm"), project, **MISSING_COST)
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["cost"]
    assert "controlling" in r.json()["detail"] and r.json()["authority"] == "controlling"
    assert stored(db) == before
    assert submit(as_("it_pm"), project).status_code == 201


def test_late_report_is_accepted_with_a_warning_even_under_controlling(
        as_: Clients, make: Maker, gov: Governance, db: Session) -> None:
    gov.contract()
    gov.authority("controlling", "IT")
    project = make.project("IT")
    before = stored(db)
    late = submit(as_("it_pm"), project, period_start=months_ago(3).isoformat())
    assert late.status_code == 201, late.text
    assert [w["field"] for w in late.json()["warnings"]] == ["period_start"]
    assert "late" in late.json()["warnings"][0]["message"]
    assert stored(db) == before + 1


def test_controlling_applies_to_sub_departments(as_: Clients, make: Maker,
                                                gov: Governance) -> None:
    gov.contract()
    gov.authority("controlling", "IT")
    infra = make.project("IT-INFRA")
    assert submit(as_("it_lead"), infra, **MISSING_COST).status_code == 422


def test_same_report_warns_in_one_department_and_blocks_in_another(
        as_: Clients, make: Maker, gov: Governance) -> None:
    gov.contract()
    gov.authority("controlling", "FIN", default="supportive")
    assert submit(as_("admin"), make.project("IT"), **MISSING_COST).status_code == 201
    assert submit(as_("admin"), make.project("FIN"), **MISSING_COST).status_code == 422


def test_directive_only_epmo_submits(as_: Clients, make: Maker, gov: Governance) -> None:
    gov.contract()
    gov.authority("directive", "IT")
    project = make.project("IT")
    for user in ("it_pm", "it_lead"):
        r = submit(as_(user), project)
        assert r.status_code == 403 and "only EPMO administrators" in r.json()["detail"]
    assert submit(as_("fin_pm"), project).status_code == 404  # cannot even see it
    assert submit(as_("admin"), project, **MISSING_COST).status_code == 422  # still the minimum
    created = submit(as_("admin"), project)
    assert created.status_code == 201
    url = f"{API}/status-reports/{created.json()['id']}"
    version = created.json()["version"]
    assert as_("it_pm").patch(url, json={"version": version, "overall": "red"}).status_code == 403
    assert as_("it_lead").delete(f"{url}?version={version}").status_code == 403
    assert as_("it_viewer").get(url).status_code == 200


def test_update_rechecks_required_dimensions(as_: Clients, make: Maker, gov: Governance) -> None:
    gov.contract()
    gov.authority("controlling", "IT")
    created = submit(as_("it_pm"), make.project("IT")).json()
    url = f"{API}/status-reports/{created['id']}"
    r = as_("it_pm").patch(url, json={"version": created["version"], "schedule": None})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "schedule"
    gov.authority("supportive", "IT")
    r = as_("it_pm").patch(url, json={"version": created["version"], "schedule": None})
    assert r.status_code == 200
    assert [w["field"] for w in r.json()["warnings"]] == ["schedule"]

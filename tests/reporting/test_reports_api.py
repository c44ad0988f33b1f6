"""Status reports through the API: submission, rights, periods, derived RAG, edits."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.audit.models import AuditEntry
from epmo.portfolio.models import Project
from tests.conftest import Clients
from tests.factories import Maker
from tests.reporting.conftest import API, Governance, months_ago, report, this_month
from tests.world import World


def test_submit_sets_project_health_and_forecasts(as_: Clients, make: Maker, gov: Governance,
                                                  db: Session) -> None:
    gov.contract()
    project = make.project("IT", budget_planned="1000.00", baseline_finish="2026-12-31")
    body = report(overall="red", forecast_finish="2027-01-20", forecast_cost="1100.00")
    r = as_("it_pm").post(f"{API}/projects/{project['id']}/status-reports", json=body)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["warnings"] == [] and created["source"] == "api"
    assert created["period_start"] == this_month().isoformat()
    assert created["submitted_by_id"] is not None
    stored = db.get(Project, project["id"])
    assert stored is not None
    db.refresh(stored)
    assert (stored.health, stored.forecast_finish) == ("red", date(2027, 1, 20))
    assert str(stored.budget_forecast) == "1100.00" and stored.version > project["version"]
    audit = db.scalars(select(AuditEntry).where(AuditEntry.entity == "project",
                                                AuditEntry.entity_id == str(project["id"]),
                                                AuditEntry.action == "update")).all()
    assert any((a.after or {}).get("health") == "red" for a in audit)


def test_derived_rag_and_disagreements(as_: Clients, make: Maker, gov: Governance) -> None:
    gov.contract()  # schedule amber >= 10 days, red >= 30; cost amber >= 5 %, red >= 15 %
    project = make.project("IT", budget_planned="1000.00", baseline_finish="2026-12-31")
    body = report(schedule="green", cost="amber", forecast_finish="2027-01-15",
                  forecast_cost="1200.00")
    r = as_("it_pm").post(f"{API}/projects/{project['id']}/status-reports", json=body)
    assert r.status_code == 201, r.text
    got = r.json()
    assert got["derived"] == {"schedule": "amber", "cost": "red", "slip_days": 15,
                              "overrun_percent": "20.00"}
    assert got["disagreements"] == [
        {"dimension": "schedule", "entered": "green", "derived": "amber"},
        {"dimension": "cost", "entered": "amber", "derived": "red"}]
    listed = as_("it_viewer").get(f"{API}/projects/{project['id']}/status-reports").json()
    assert listed["total"] == 1 and listed["items"][0]["disagreements"] == got["disagreements"]


def test_no_baseline_no_derivation(as_: Clients, make: Maker, gov: Governance) -> None:
    gov.contract()
    project = make.project("IT")  # no baseline finish, zero budget
    body = report(forecast_finish="2030-01-01", forecast_cost="50.00")
    got = as_("admin").post(f"{API}/projects/{project['id']}/status-reports", json=body).json()
    assert got["derived"] == {"schedule": None, "cost": None, "slip_days": None,
                              "overrun_percent": None}
    assert got["disagreements"] == []


def test_list_is_paged_newest_first(as_: Clients, make: Maker, gov: Governance) -> None:
    gov.authority("none", "IT")
    gov.contract()
    project = make.project("IT")
    for months in (3, 1, 2):
        r = as_("admin").post(f"{API}/projects/{project['id']}/status-reports",
                              json=report(period_start=months_ago(months).isoformat()))
        assert r.status_code == 201, r.text
    page = as_("it_lead").get(f"{API}/projects/{project['id']}/status-reports?limit=2").json()
    assert page["total"] == 3
    assert [i["period_start"] for i in page["items"]] == [months_ago(1).isoformat(),
                                                          months_ago(2).isoformat()]
    rest = as_("it_lead").get(f"{API}/projects/{project['id']}/status-reports?offset=2").json()
    assert [i["period_start"] for i in rest["items"]] == [months_ago(3).isoformat()]


def test_older_report_does_not_overwrite_project_health(as_: Clients, make: Maker,
                                                        gov: Governance, db: Session) -> None:
    gov.authority("none", "IT")
    project = make.project("IT")
    url = f"{API}/projects/{project['id']}/status-reports"
    assert as_("admin").post(url, json=report(overall="amber")).status_code == 201
    older = report(overall="red", period_start=months_ago(2).isoformat())
    assert as_("admin").post(url, json=older).status_code == 201
    assert db.scalar(select(Project.health).where(Project.id == project["id"])) == "amber"


def test_duplicate_period_is_409_naming_the_period(as_: Clients, make: Maker,
                                                   gov: Governance) -> None:
    gov.contract()
    project = make.project("IT")
    url = f"{API}/projects/{project['id']}/status-reports"
    assert as_("it_pm").post(url, json=report()).status_code == 201
    again = report(period=(this_month() + timedelta(days=3)).isoformat())
    del again["period_start"]
    r = as_("it_pm").post(url, json=again)
    assert r.status_code == 409
    label = f"{this_month():%Y-%m}"
    assert label in r.json()["detail"] and r.json()["errors"][0]["field"] == "period_start"


def test_who_may_submit(as_: Clients, make: Maker, gov: Governance, world: World) -> None:
    gov.contract()
    it = make.project("IT")
    fin = make.project("FIN", manager_id=world.people["it_member"])
    url = f"{API}/projects/{{}}/status-reports"
    assert as_("it_viewer").post(url.format(it["id"]), json=report()).status_code == 403
    assert as_("exec").post(url.format(it["id"]), json=report()).status_code == 403
    assert as_("fin_pm").post(url.format(it["id"]), json=report()).status_code == 404
    assert as_("hr_viewer").get(url.format(it["id"])).status_code == 404
    # the project's own manager reports on it even from another department
    assert as_("it_member").post(url.format(fin["id"]), json=report()).status_code == 201


def test_bad_input_names_the_field(as_: Clients, make: Maker, gov: Governance) -> None:
    gov.contract()
    project = make.project("IT", forecast_start="2026-05-01", forecast_finish="2026-09-01")
    url = f"{API}/projects/{project['id']}/status-reports"
    cases = {
        "overall": report(overall="purple"),
        "period_start": report(period_start="2025-13-01"),
        "forecast_cost": report(forecast_cost="-5"),
        "forecast_finish": report(forecast_finish="2026-04-01"),
    }
    for field, body in cases.items():
        r = as_("it_pm").post(url, json=body)
        assert r.status_code == 422, (field, r.text)
        assert field in {e["field"] for e in r.json()["errors"]}, (field, r.json())
    nothing = report()
    del nothing["period_start"]
    r = as_("it_pm").post(url, json=nothing)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "period_start"
    assert as_("it_pm").get(url).json()["total"] == 0


def test_get_patch_delete(as_: Clients, make: Maker, gov: Governance, db: Session) -> None:
    gov.contract()
    project = make.project("IT")
    created = as_("it_pm").post(f"{API}/projects/{project['id']}/status-reports",
                                json=report()).json()
    url = f"{API}/status-reports/{created['id']}"
    assert as_("it_viewer").get(url).json()["overall"] == "green"
    assert as_("fin_pm").get(url).status_code == 404
    r = as_("it_pm").patch(url, json={"version": created["version"], "overall": "amber",
                                      "next_steps": "Recover"})
    assert r.status_code == 200, r.text
    assert r.json()["overall"] == "amber" and r.json()["version"] == created["version"] + 1
    assert db.scalar(select(Project.health).where(Project.id == project["id"])) == "amber"
    stale = as_("it_pm").patch(url, json={"version": created["version"], "overall": "red"})
    assert stale.status_code == 409 and stale.json()["current_version"] == created["version"] + 1
    bad = as_("it_pm").patch(url, json={"version": r.json()["version"], "overall": None})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "overall"
    assert as_("it_viewer").delete(f"{url}?version={r.json()['version']}").status_code == 403
    assert as_("it_pm").delete(f"{url}?version={created['version']}").status_code == 409
    assert as_("it_pm").delete(f"{url}?version={r.json()['version']}").status_code == 204
    assert as_("it_pm").get(url).status_code == 404


def test_patch_moves_the_period_checked_like_a_submission(as_: Clients, make: Maker,
                                                          gov: Governance) -> None:
    gov.authority("none", "IT")
    gov.contract()
    project = make.project("IT")
    url = f"{API}/projects/{project['id']}/status-reports"
    first = as_("admin").post(url, json=report()).json()
    second = as_("admin").post(url, json=report(period_start=months_ago(1).isoformat())).json()
    clash = as_("admin").patch(f"{API}/status-reports/{second['id']}",
                               json={"version": second["version"],
                                     "period_start": first["period_start"]})
    assert clash.status_code == 409
    wrong = as_("admin").patch(f"{API}/status-reports/{second['id']}",
                               json={"version": second["version"],
                                     "period_start": (months_ago(2) + timedelta(days=1)).isoformat()})
    assert wrong.status_code == 422 and "first day of a month" in wrong.json()["detail"]
    moved = as_("admin").patch(f"{API}/status-reports/{second['id']}",
                               json={"version": second["version"],
                                     "period": (months_ago(2) + timedelta(days=9)).isoformat()})
    assert moved.status_code == 200, moved.text
    assert moved.json()["period_start"] == months_ago(2).isoformat()

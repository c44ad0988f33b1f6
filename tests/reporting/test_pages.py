"""The reporting pages the way people use them: reports tab, upload, RAID register, top risks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from epmo.portfolio.models import Project
from epmo.reporting.models import RaidItem, StatusReport
from tests.conftest import Clients
from tests.factories import Maker
from tests.reporting.conftest import API, Governance, months_ago, report, this_month
from tests.reporting.files import counts, good_row, rows_file
from tests.web.helpers import login
from tests.world import World


def reports_of(db: Session, project: dict[str, Any]) -> int:
    """How many status reports the project has."""
    return db.scalar(select(func.count()).select_from(StatusReport).where(
        StatusReport.project_id == project["id"])) or 0


def test_reports_tab_lists_chips_and_derived_marker(app: object, world: World, as_: Clients,
                                                   make: Maker, gov: Governance) -> None:
    gov.contract(dimensions=("schedule", "cost", "risk"))
    project = make.project("IT", budget_planned="1000.00", baseline_finish="2026-12-31")
    body = report(schedule="green", risk="amber", forecast_finish="2027-03-01",
                  period_start=months_ago(1).isoformat())
    assert as_("it_pm").post(f"{API}/projects/{project['id']}/status-reports",
                             json=body).status_code == 201
    as_("it_pm").post(f"{API}/projects/{project['id']}/status-reports",
                      json=report(risk="green"))
    page = login(app, world, "it_viewer").client.get(f"/projects/{project['id']}/reports")
    assert page.status_code == 200
    html = page.text
    assert 'class="nav-link active" href="/projects/{}/reports"'.format(project["id"]) in html
    assert html.count('data-testid="report-row"') == 2
    assert html.count('data-testid="derived-differs"') == 1
    assert "schedule: entered green, derived red" in html
    assert 'rag rag-amber' in html and "monthly" in html
    assert 'id="report-form"' not in html and "not report on it" in html  # a viewer


def test_submit_form_marks_required_dimensions_and_flashes_warnings(
        app: object, world: World, make: Maker, gov: Governance, db: Session) -> None:
    gov.contract(dimensions=("schedule", "cost"))
    gov.authority("supportive", "IT")
    project = make.project("IT")
    browser = login(app, world, "it_pm")
    form = browser.client.get(f"/projects/{project['id']}/reports").text
    assert 'id="f-schedule" name="schedule" required' in form
    assert 'id="f-scope" name="scope">' in form  # not required by the contract
    assert f'value="{this_month().isoformat()}"' in form
    r = browser.post_form(f"/projects/{project['id']}/reports",
                          {"period_start": this_month().isoformat(), "overall": "amber",
                           "schedule": "green", "cost": "", "achievements": "Pilot done"})
    assert r.status_code == 303, r.text
    after = browser.client.get(r.headers["location"]).text
    assert "Status report for the period starting" in after
    assert "Warning (cost): required by the tier" in after
    stored = db.scalar(select(StatusReport).where(StatusReport.project_id == project["id"]))
    assert stored is not None and stored.source == "form" and stored.cost is None
    assert db.scalar(select(Project.health).where(Project.id == project["id"])) == "amber"


def test_submit_form_refused_under_controlling_shows_the_field(
        app: object, world: World, make: Maker, gov: Governance, db: Session) -> None:
    gov.contract(dimensions=("schedule", "cost"))
    gov.authority("controlling", "IT")
    project = make.project("IT")
    browser = login(app, world, "it_pm")
    r = browser.post_form(f"/projects/{project['id']}/reports",
                          {"period_start": this_month().isoformat(), "overall": "green",
                           "schedule": "green", "cost": "", "next_steps": "keep this"})
    assert r.status_code == 422
    assert 'data-field="cost"' in r.text and "controlling" in r.text
    assert "keep this" in r.text  # what was typed is kept
    bad = browser.post_form(f"/projects/{project['id']}/reports",
                            {"period_start": "2020-02-02", "overall": "green"})
    assert bad.status_code == 422 and 'data-field="period_start"' in bad.text
    assert reports_of(db, project) == 0


def test_directive_hides_the_form_from_department_roles(app: object, world: World, make: Maker,
                                                        gov: Governance) -> None:
    gov.authority("directive", "IT")
    project = make.project("IT")
    html = login(app, world, "it_lead").client.get(f"/projects/{project['id']}/reports").text
    assert 'id="report-form"' not in html and "only EPMO administrators" in html
    admin = login(app, world, "admin").client.get(f"/projects/{project['id']}/reports").text
    assert 'id="report-form"' in admin


def test_delete_report_from_the_page(app: object, world: World, as_: Clients, make: Maker,
                                     db: Session) -> None:
    project = make.project("IT")
    created = as_("it_pm").post(f"{API}/projects/{project['id']}/status-reports",
                                json=report()).json()
    browser = login(app, world, "it_pm")
    stale = browser.post_form(f"/status-reports/{created['id']}/delete", {"version": "99"})
    assert stale.status_code == 409 and reports_of(db, project) == 1
    r = browser.post_form(f"/status-reports/{created['id']}/delete",
                          {"version": str(created["version"])})
    assert r.status_code == 303 and reports_of(db, project) == 0


def test_upload_page_rejects_a_bad_file_then_takes_the_fixed_one(
        app: object, world: World, make: Maker, gov: Governance, db: Session) -> None:
    gov.contract()
    a, b = make.project("IT"), make.project("IT")
    browser = login(app, world, "it_lead")
    page = browser.client.get("/status-reports/upload").text
    assert 'href="/status-reports/upload">Upload status reports</a>' in page
    assert "/api/v1/status-reports/template?format=xlsx" in page
    before = counts(db)
    broken = rows_file([good_row(a["code"]), good_row(b["code"], overall="blue")])
    r = browser.client.post("/status-reports/upload", data={"csrf_token": browser.csrf},
                            files={"file": ("week.csv", broken)}, follow_redirects=False)
    assert r.status_code == 422
    assert r.text.count('data-testid="problem-row"') == 1 and "<code>overall</code>" in r.text
    assert counts(db) == before
    fixed = rows_file([good_row(a["code"]), good_row(b["code"], overall="red")])
    r = browser.client.post("/status-reports/upload", data={"csrf_token": browser.csrf},
                            files={"file": ("week.csv", fixed)}, follow_redirects=False)
    assert r.status_code == 303
    summary = browser.client.get(r.headers["location"]).text
    assert "Stored 2 status reports for 2 projects from week.csv" in summary
    assert reports_of(db, a) == 1 and reports_of(db, b) == 1


def test_upload_page_needs_the_csrf_token(app: object, world: World, make: Maker,
                                          db: Session) -> None:
    project = make.project("IT")
    browser = login(app, world, "it_lead")
    r = browser.client.post("/status-reports/upload", data={"csrf_token": "forged"},
                            files={"file": ("x.csv", rows_file([good_row(project["code"])]))})
    assert r.status_code == 403 and reports_of(db, project) == 0


def test_raid_register_add_edit_close_delete(app: object, world: World, make: Maker,
                                             db: Session) -> None:
    project = make.project("IT")
    browser = login(app, world, "it_pm")
    base = f"/projects/{project['id']}/raid"
    page = browser.client.get(base).text
    assert f'class="nav-link active" href="{base}"' in page and 'id="raid-form"' in page
    bad = browser.post_form(base, {"kind": "risk", "title": "No ratings", "probability": ""})
    assert bad.status_code == 422 and 'data-field="probability"' in bad.text
    r = browser.post_form(base, {"kind": "risk", "title": "Vendor late", "probability": "4",
                                 "impact": "5", "owner_id": str(world.people["it_lead"]),
                                 "status": "open"})
    assert r.status_code == 303, r.text
    item = db.scalar(select(RaidItem).where(RaidItem.project_id == project["id"]))
    assert item is not None and item.score == 20
    editor = browser.client.get(f"{base}?edit={item.id}").text
    assert 'id="raid-edit-form"' in editor and 'value="Vendor late"' in editor
    r = browser.post_form(f"{base}/{item.id}/edit", {
        "version": str(item.version), "kind": "risk", "title": "Vendor very late",
        "probability": "5", "impact": "5", "owner_id": "", "status": "open",
        "description": "", "response": "Escalate", "raised_on": "", "due_on": ""})
    assert r.status_code == 303, r.text
    db.refresh(item)
    assert (item.title, item.score, item.owner_id, item.response) == (
        "Vendor very late", 25, None, "Escalate")
    r = browser.post_form(f"{base}/{item.id}/status", {"version": str(item.version),
                                                       "status": "closed"})
    assert r.status_code == 303
    db.refresh(item)
    assert item.status == "closed"
    assert 'data-testid="reopen-raid"' in browser.client.get(base).text
    stale = browser.post_form(f"{base}/{item.id}/delete", {"version": "1"})
    assert stale.status_code == 409
    assert browser.post_form(f"{base}/{item.id}/delete",
                             {"version": str(item.version)}).status_code == 303
    assert db.scalar(select(func.count()).select_from(RaidItem).where(RaidItem.id == item.id)) == 0


def test_raid_register_read_only_and_hidden(app: object, world: World, make: Maker,
                                            as_: Clients) -> None:
    project = make.project("IT")
    item = as_("admin").post(f"{API}/projects/{project['id']}/raid", json={
        "kind": "issue", "title": "Server room floods", "impact": 4}).json()
    viewer = login(app, world, "it_viewer").client
    page = viewer.get(f"/projects/{project['id']}/raid").text
    assert "Server room floods" in page and 'id="raid-form"' not in page
    assert viewer.get(f"/projects/{project['id']}/raid?edit={item['id']}").status_code == 403
    other = login(app, world, "fin_pm").client
    assert other.get(f"/projects/{project['id']}/raid").status_code == 404


def test_top_risks_page_scoped_and_filtered(app: object, world: World, make: Maker,
                                            as_: Clients) -> None:
    it, fin = make.project("IT-INFRA"), make.project("FIN")
    for project, title, p in ((it, "Infra outage", 4), (fin, "Audit finding", 5)):
        as_("admin").post(f"{API}/projects/{project['id']}/raid",
                          json={"kind": "risk", "title": title, "probability": p, "impact": 5})
    mine = login(app, world, "it_viewer").client.get("/risks").text
    assert "Infra outage" in mine and "Audit finding" not in mine
    everyone = login(app, world, "exec").client
    page = everyone.get("/risks").text
    assert page.index("Audit finding") < page.index("Infra outage")
    filtered = everyone.get(f"/risks?department_id={world.departments['IT']}&limit=10").text
    assert "Infra outage" in filtered and "Audit finding" not in filtered
    assert everyone.get("/risks?department_id=").status_code == 200

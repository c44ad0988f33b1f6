"""The register's pages: list, new, detail, edit (with conflicts), stages, milestones, groups."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.conftest import Clients
from tests.factories import API, Maker
from tests.web.helpers import Browser, login
from tests.world import World


@pytest.fixture
def browser(app: object, world: World, db: Session) -> Browser:
    """it_pm signed in through the login form (session cookie + CSRF token)."""
    return login(app, world, "it_pm")


def _form(world: World, **extra: Any) -> dict[str, Any]:
    return {"code": "WEB-1", "name": "From the web", "department_id": str(world.departments["IT"]),
            "headcount": "7", "risk_rating": "4", "health": "amber", "stage": "proposed",
            "description": "",
            "planned_start": "2025-01-01", "planned_finish": "2025-06-30",
            "budget_planned": "1500.5", "budget_actual": "", "budget_forecast": "",
            "goal_id": ["", ""], "goal_weight": ["", ""]} | extra


def test_list_page_shows_scoped_projects_filters_and_downloads(as_: Clients, make: Maker,
                                                               world: World) -> None:
    make.project("IT", code="VIS-1", health="red", budget_planned="1234567")
    make.project("FIN", code="HID-1")
    page = as_("it_viewer").get("/projects")
    assert page.status_code == 200
    assert 'data-code="VIS-1"' in page.text and "HID-1" not in page.text
    assert 'class="health-dot health-red"' in page.text and "€1.2M" in page.text
    assert 'id="export-csv" href="/api/v1/projects/export?format=csv"' in page.text
    assert 'id="new-project"' not in page.text  # viewers cannot create
    filtered = as_("it_viewer").get("/projects", params={"health": "green", "q": "", "stage": ""})
    assert "VIS-1" not in filtered.text and 'id="no-projects"' in filtered.text
    assert "export?health=green&amp;format=xlsx" in filtered.text
    assert 'id="new-project"' in as_("it_pm").get("/projects").text


def test_download_links_work_with_the_page_session(browser: Browser, make: Maker) -> None:
    make.project("IT", code="DL-1")
    page = browser.client.get("/projects", params={"q": "DL"})
    link = re.search(r'id="export-csv" href="([^"]+)"', page.text)
    assert link
    r = browser.client.get(link.group(1).replace("&amp;", "&"))
    assert r.status_code == 200 and r.text.splitlines()[1].startswith("DL-1,")


def test_list_page_pages(as_: Clients, make: Maker) -> None:
    for _ in range(3):
        make.project("IT")
    page = as_("admin").get("/projects", params={"limit": 2, "q": "T-"})
    assert page.text.count('data-testid="project-row"') == 2
    assert "?q=T-&offset=2&limit=2" in page.text
    assert as_("admin").get("/projects", params={"stage": "nonsense"}).status_code == 422


def test_new_project_form_and_create(browser: Browser, world: World,
                                     goals: dict[str, int]) -> None:
    page = browser.client.get("/projects/new")
    assert page.status_code == 200 and 'id="project-form"' in page.text and 'id="save"' in page.text
    assert 'name="tier"' not in page.text  # computed, not entered
    for name in ("code", "name", "department_id", "department_ids", "portfolio_ids", "headcount",
                 "risk_rating", "health", "planned_start", "actual_finish", "budget_forecast", "manager_id"):
        assert f'name="{name}"' in page.text, name
    owners = re.search(r'<select[^>]*name="department_id".*?</select>', page.text, re.S)
    assert owners and "FIN" not in owners.group(0)  # only departments it_pm may write to
    r = browser.post_form("/projects/new", _form(
        world, department_ids=[str(world.departments["HR"])],
        goal_id=[str(goals["COST"]), ""], goal_weight=["25", ""]))
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    detail = browser.client.get(r.headers["location"])  # type: ignore[attr-defined]
    assert '<h1 id="project-name" class="mb-0">From the web</h1>' in detail.text
    assert "€1,500.50" in detail.text and "COST · Goal COST" in detail.text
    assert 'id="project-headcount">7<' in detail.text and "4 of 5" in detail.text
    assert 'data-testid="transition-approved"' in detail.text


def test_new_project_errors_are_shown_with_the_input(browser: Browser, world: World) -> None:
    r = browser.post_form("/projects/new", _form(world, planned_finish="2024-12-31",
                                                 headcount="x"))
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert "headcount" in r.text  # type: ignore[attr-defined]
    r = browser.post_form("/projects/new", _form(world, planned_finish="2024-12-31"))
    text = r.text  # type: ignore[attr-defined]
    assert r.status_code == 422 and "Planned finish: must not be before planned start" in text  # type: ignore[attr-defined]
    assert 'class="form-control is-invalid" type="date" id="planned_finish"' in text
    assert 'value="From the web"' in text
    r = browser.post_form("/projects/new", _form(world, department_id=str(world.departments["FIN"])))
    assert r.status_code == 403  # type: ignore[attr-defined]
    r = browser.client.post("/projects/new", data=_form(world), follow_redirects=False)
    assert r.status_code == 403  # no CSRF token


def test_detail_page(as_: Clients, make: Maker, world: World) -> None:
    project = make.project("IT", stage="executing", manager_id=world.people["it_pm"],
                           department_ids=[world.departments["FIN"]])
    as_("admin").post(f"{API}/projects/{project['id']}/milestones",
                      json={"name": "Cutover", "planned_date": "2025-04-01"})
    page = as_("it_pm").get(f"/projects/{project['id']}").text
    assert f'id="project-name" class="mb-0">{project["name"]}<' in page
    for stage in ("closing", "on_hold", "cancelled"):
        assert f'data-testid="transition-{stage}"' in page
    assert 'data-testid="transition-approved"' not in page
    assert "Cutover" in page and "2025-04-01" in page and 'id="edit-project"' in page
    viewer = as_("it_viewer").get(f"/projects/{project['id']}").text
    assert "Cutover" in viewer and 'id="edit-project"' not in viewer
    assert 'data-testid="transition-' not in viewer
    assert as_("hr_viewer").get(f"/projects/{project['id']}").status_code == 404


def test_edit_page_saves_and_shows_conflicts(browser: Browser, as_: Clients, make: Maker,
                                             world: World) -> None:
    project = make.project("IT", manager_id=world.people["it_pm"],
                           department_ids=[world.departments["HR"]])
    url = f"/projects/{project['id']}/edit"
    page = browser.client.get(url)
    assert page.status_code == 200 and 'name="version" value="1"' in page.text
    form = _form(world, code=project["code"], name="Edited on the web", version="1",
                 department_ids=[str(world.departments["HR"])], manager_id=str(world.people["it_pm"]))
    form.pop("stage")
    r = browser.post_form(url, form)
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    saved = as_("admin").get(f"{API}/projects/{project['id']}").json()
    assert saved["name"] == "Edited on the web" and saved["version"] == 2
    assert saved["department_ids"] == [world.departments["HR"]]
    assert (saved["headcount"], saved["risk_rating"]) == (7, 4)
    stale = browser.post_form(url, form | {"name": "Stale save"})
    assert stale.status_code == 409  # type: ignore[attr-defined]
    assert "changed by someone else" in stale.text  # type: ignore[attr-defined]
    assert 'value="Stale save"' in stale.text  # type: ignore[attr-defined]
    assert 'id="reload-current"' in stale.text  # type: ignore[attr-defined]
    assert as_("admin").get(f"{API}/projects/{project['id']}").json()["name"] == "Edited on the web"


def test_edit_page_access(as_: Clients, make: Maker) -> None:
    it, fin = make.project("IT"), make.project("FIN")
    assert as_("it_viewer").get(f"/projects/{it['id']}/edit").status_code == 403
    assert as_("it_pm").get(f"/projects/{fin['id']}/edit").status_code == 404


def test_transition_buttons(browser: Browser, as_: Clients, make: Maker) -> None:
    project = make.project("IT")
    url = f"/projects/{project['id']}/transition"
    r = browser.post_form(url, {"stage": "approved", "version": "1"})
    assert r.status_code == 303  # type: ignore[attr-defined]
    assert as_("admin").get(f"{API}/projects/{project['id']}").json()["stage"] == "approved"
    r = browser.post_form(url, {"stage": "closed", "version": "2"})
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert "cannot go from approved to closed" in r.text  # type: ignore[attr-defined]
    r = browser.post_form(url, {"stage": "planning", "version": "1"})
    assert r.status_code == 409  # type: ignore[attr-defined]


def test_milestones_on_the_project_page(browser: Browser, as_: Clients, make: Maker) -> None:
    project = make.project("IT")
    base = f"/projects/{project['id']}/milestones"
    r = browser.post_form(base, {"name": "Kick-off", "status": "planned",
                                 "planned_date": "2025-02-01", "forecast_date": "",
                                 "description": ""})
    assert r.status_code == 303  # type: ignore[attr-defined]
    milestone = as_("admin").get(f"{API}{base}").json()["items"][0]
    assert milestone["name"] == "Kick-off" and milestone["planned_date"] == "2025-02-01"
    bad = browser.post_form(base, {"name": "", "status": "planned"})
    assert bad.status_code == 422  # type: ignore[attr-defined]
    fragment = browser.client.get(f"{base}/{milestone['id']}/edit", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert 'id="milestone-edit-form"' in fragment.text
    full = browser.client.get(f"{base}/{milestone['id']}/edit")
    assert 'id="project-name"' in full.text and 'id="milestone-edit-form"' in full.text
    edit: dict[str, object] = {"name": "Kick-off done", "status": "achieved", "version": "1", "description": "",
                               "planned_date": "2025-02-01", "baseline_date": "",
                               "forecast_date": "", "actual_date": "2025-02-03"}
    assert browser.post_form(f"{base}/{milestone['id']}/edit", edit).status_code == 303  # type: ignore[attr-defined]
    stale = browser.post_form(f"{base}/{milestone['id']}/edit", edit)
    assert stale.status_code == 409  # type: ignore[attr-defined]
    saved = as_("admin").get(f"{API}{base}/{milestone['id']}").json()
    assert saved["status"] == "achieved" and saved["actual_date"] == "2025-02-03"
    r = browser.post_form(f"{base}/{milestone['id']}/delete", {"version": "2"})
    assert r.status_code == 303  # type: ignore[attr-defined]
    assert as_("admin").get(f"{API}{base}").json()["total"] == 0


def test_delete_project_from_its_page(browser: Browser, as_: Clients, make: Maker) -> None:
    project = make.project("IT")
    r = browser.post_form(f"/projects/{project['id']}/delete", {"version": "1"})
    assert r.status_code == 303 and r.headers["location"] == "/projects"  # type: ignore[attr-defined]
    assert as_("admin").get(f"{API}/projects/{project['id']}").status_code == 404


def test_programme_and_portfolio_pages(as_: Clients, make: Maker, world: World) -> None:
    programme = make.programme("IT", department_ids=[world.departments["FIN"]])
    portfolio = make.portfolio(None)
    for dept, budget in (("IT", "100.25"), ("IT-INFRA", "200.50"), ("FIN", "1000.00")):
        make.project(dept, programme_id=programme["id"], portfolio_ids=[portfolio["id"]],
                     budget_planned=budget)
    listing = as_("it_viewer").get("/programmes").text
    assert f'data-code="{programme["code"]}"' in listing
    page = as_("it_viewer").get(f"/programmes/{programme['id']}").text
    assert 'id="programme-name"' in page and page.count('data-testid="project-row"') == 2
    assert 'data-testid="total-planned" data-value="300.75"' in page  # IT's projects only
    assert 'data-testid="total-count" data-value="3"' in as_("admin").get(
        f"/programmes/{programme['id']}").text
    assert as_("hr_viewer").get(f"/programmes/{programme['id']}").status_code == 404
    assert portfolio["code"] in as_("hr_viewer").get("/portfolios").text
    page = as_("fin_pm").get(f"/portfolios/{portfolio['id']}").text
    assert 'data-testid="total-planned" data-value="1000.00"' in page
    fin_only = make.portfolio("FIN")
    assert as_("it_pm").get(f"/portfolios/{fin_only['id']}").status_code == 404


def test_pages_need_sign_in(as_: Clients) -> None:
    r = as_.anon.get("/projects", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")

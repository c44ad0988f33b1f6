"""A project's role demand (FTE-months per role per quarter): API, project page grid, approval."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.conftest import Clients
from tests.factories import API, Maker
from tests.web.helpers import Browser, login
from tests.world import World


def _put(as_: Clients, user: str, project_id: int, version: int, lines: list[dict[str, str]]
         ) -> Any:
    return as_(user).put(f"{API}/projects/{project_id}/demand",
                         json={"version": version, "lines": lines})


def test_demand_is_read_and_replaced_through_the_api(as_: Clients, make: Maker) -> None:
    project = make.project("IT", manager_id=None)
    url = f"{API}/projects/{project['id']}/demand"
    empty = as_("it_viewer").get(url).json()
    assert empty == {"project_id": project["id"], "code": project["code"],
                     "version": project["version"], "lines": []}
    r = _put(as_, "it_pm", project["id"], project["version"], [
        {"role": "project MANAGER", "period": "2027-Q1", "fte_months": "3"},
        {"role": "Lead", "period": "2027-Q2", "fte_months": "1.5"},
        {"role": "Lead", "period": "2027-Q3", "fte_months": "0"}])
    assert r.status_code == 200, r.text
    saved = r.json()
    # a role is stored as people spell it; a zero line is no demand; the project gets a version
    assert [(ln["role"], ln["period"], ln["fte_months"]) for ln in saved["lines"]] == [
        ("Lead", "2027-Q2", "1.50"), ("Project manager", "2027-Q1", "3.00")]
    assert saved["version"] == project["version"] + 1
    assert as_("it_viewer").get(url).json() == saved
    stale = _put(as_, "it_pm", project["id"], project["version"], [])
    assert stale.status_code == 409
    cleared = _put(as_, "it_pm", project["id"], saved["version"], [])
    assert cleared.json()["lines"] == []
    again = _put(as_, "it_pm", project["id"], cleared.json()["version"], [
        {"role": "Lead", "period": "2027-Q4", "fte_months": "1"}]).json()
    # a project with demand can still be deleted; its demand goes with it
    gone = as_("admin").delete(f"{API}/projects/{project['id']}",
                               params={"version": again["version"]})
    assert gone.status_code == 204, gone.text
    assert as_("admin").get(url).status_code == 404


def test_bad_demand_is_refused_line_by_line(as_: Clients, make: Maker) -> None:
    project = make.project("IT")
    r = _put(as_, "admin", project["id"], project["version"], [
        {"role": "Astronaut", "period": "2027-Q1", "fte_months": "1"},
        {"role": "Lead", "period": "2027-Q1", "fte_months": "1"},
        {"role": "lead", "period": "2027-Q1", "fte_months": "2"}])
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert [e["field"] for e in errors] == ["lines.0.role", "lines.2.period"]
    assert errors[0]["message"].startswith("Unknown role 'Astronaut'; known roles: ")
    assert errors[1]["message"] == "Lead in 2027-Q1 is listed twice"
    bad = _put(as_, "admin", project["id"], project["version"], [
        {"role": "Lead", "period": "2027-Q5", "fte_months": "-1"}])
    assert bad.status_code == 422
    assert as_("admin").get(f"{API}/projects/{project['id']}/demand").json()["lines"] == []


def test_only_writers_of_the_project_change_its_demand(as_: Clients, make: Maker) -> None:
    it, fin = make.project("IT"), make.project("FIN")
    assert _put(as_, "it_viewer", it["id"], it["version"], []).status_code == 403
    assert _put(as_, "it_pm", fin["id"], fin["version"], []).status_code == 404
    assert as_("it_viewer").get(f"{API}/projects/{fin['id']}/demand").status_code == 404


def _submit(browser: Browser, url: str, form: dict[str, object]) -> Any:
    return browser.post_form(url, form)


@pytest.fixture
def browser(app: object, world: World, db: Session) -> Browser:
    """it_pm signed in through the login form."""
    return login(app, world, "it_pm")


def test_the_project_page_grid_saves_and_keeps_what_was_typed(browser: Browser, make: Maker,
                                                              as_: Clients) -> None:
    project = make.project("IT", planned_start="2027-02-01", planned_finish="2027-08-31")
    page = browser.client.get(f"/projects/{project['id']}")
    assert page.status_code == 200
    # columns follow the planned dates: 2027-Q1 .. 2027-Q3
    assert re.findall(r'name="quarter" value="([^"]+)"', page.text) == [
        "2027-Q1", "2027-Q2", "2027-Q3"]
    form = {"version": str(project["version"]), "quarter": ["2027-Q1", "2027-Q2", "2027-Q3"],
            "role": ["Lead", "", ""], "fte-0-2027-Q1": "2", "fte-0-2027-Q3": "1.25",
            "fte-1-2027-Q2": "4"}
    bad = _submit(browser, f"/projects/{project['id']}/demand", form)
    assert bad.status_code == 422
    assert "Row 2: choose the role these hours are for" in bad.text
    assert 'name="fte-1-2027-Q2" value="4"' in bad.text
    wrong = _submit(browser, f"/projects/{project['id']}/demand",
                              form | {"fte-1-2027-Q2": "", "fte-0-2027-Q1": "lots"})
    assert wrong.status_code == 422
    assert "Lead, 2027-Q1: must be FTE-months" in wrong.text
    assert 'name="fte-0-2027-Q1" value="lots"' in wrong.text
    good = _submit(browser, f"/projects/{project['id']}/demand", form | {"fte-1-2027-Q2": ""})
    assert good.status_code == 303
    lines = as_("admin").get(f"{API}/projects/{project['id']}/demand").json()["lines"]
    assert [(ln["role"], ln["period"], ln["fte_months"]) for ln in lines] == [
        ("Lead", "2027-Q1", "2.00"), ("Lead", "2027-Q3", "1.25")]
    shown = browser.client.get(f"/projects/{project['id']}").text
    assert 'name="fte-0-2027-Q3" value="1.25"' in shown
    assert '<option value="Lead" selected>Lead</option>' in shown

"""A project's role demand (FTE-months per role or named person per month): API, project page
grid."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.conftest import Clients
from tests.factories import API, Maker
from tests.web.helpers import Browser, login
from tests.world import World


def _put(as_: Clients, user: str, project_id: int, version: int, lines: list[dict[str, Any]]
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
        {"role": "project MANAGER", "period": "2027-Q1", "fte_months": "1"},
        {"role": "Lead", "period": "2027-05", "fte_months": "1.5"},
        {"role": "Lead", "period": "2027-07", "fte_months": "0"}])
    assert r.status_code == 200, r.text
    saved = r.json()
    # a role is stored as people spell it; a quarter is spread over its months with its total
    # kept; a zero line is no demand; the project gets a version
    assert [(ln["role"], ln["period"], ln["fte_months"]) for ln in saved["lines"]] == [
        ("Lead", "2027-05", "1.50"), ("Project manager", "2027-01", "0.34"),
        ("Project manager", "2027-02", "0.33"), ("Project manager", "2027-03", "0.33")]
    assert saved["version"] == project["version"] + 1
    assert as_("it_viewer").get(url).json() == saved
    stale = _put(as_, "it_pm", project["id"], project["version"], [])
    assert stale.status_code == 409
    cleared = _put(as_, "it_pm", project["id"], saved["version"], [])
    assert cleared.json()["lines"] == []
    again = _put(as_, "it_pm", project["id"], cleared.json()["version"], [
        {"role": "Lead", "period": "2027-10", "fte_months": "1"}]).json()
    # a project with demand can still be deleted; its demand goes with it
    gone = as_("admin").delete(f"{API}/projects/{project['id']}",
                               params={"version": again["version"]})
    assert gone.status_code == 204, gone.text
    assert as_("admin").get(url).status_code == 404


def test_bad_demand_is_refused_line_by_line(as_: Clients, make: Maker) -> None:
    project = make.project("IT")
    r = _put(as_, "admin", project["id"], project["version"], [
        {"role": "Astronaut", "period": "2027-01", "fte_months": "1"},
        {"role": "Lead", "period": "2027-01", "fte_months": "1"},
        {"role": "lead", "period": "2027-01", "fte_months": "2"}])
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert [e["field"] for e in errors] == ["lines.0.role", "lines.2.period"]
    assert errors[0]["message"].startswith("Unknown role 'Astronaut'; known roles: ")
    assert errors[1]["message"] == "Lead in 2027-01 is listed twice"
    bad = _put(as_, "admin", project["id"], project["version"], [
        {"role": "Lead", "period": "2027-13", "fte_months": "1"},
        {"role": "Lead", "period": "2027-Q5", "fte_months": "1"},
        {"role": "Lead", "period": "2027-02", "fte_months": "-1"}])
    assert bad.status_code == 422
    # every bad line at once, each in words
    assert [e["field"] for e in bad.json()["errors"]] == [
        "lines.0.period", "lines.1.period", "lines.2.fte_months"]
    assert as_("admin").get(f"{API}/projects/{project['id']}/demand").json()["lines"] == []


def test_a_line_may_name_a_person_of_the_projects_department(
        as_: Clients, make: Maker, world: World, db: Session) -> None:
    project = make.project("IT", manager_id=None)
    member, infra, fin = (world.people[k] for k in ("it_member", "infra_pm", "fin_lead"))
    r = _put(as_, "it_pm", project["id"], project["version"], [
        {"person_id": member, "period": "2027-03", "fte_months": "0.5"},
        {"role": "Project manager", "person_id": infra, "period": "2027-03",
         "fte_months": "1"},
        {"role": "Lead", "period": "2027-03", "fte_months": "2"}])
    assert r.status_code == 200, r.text
    # the named line takes the person's role; a person of a department below counts too;
    # the unnamed line of the same role and month stands beside it
    assert [(ln["role"], ln["person"], ln["period"], ln["fte_months"])
            for ln in r.json()["lines"]] == [
        ("Lead", None, "2027-03", "2.00"), ("Lead", "It Member", "2027-03", "0.50"),
        ("Project manager", "Infra Pm", "2027-03", "1.00")]
    version = r.json()["version"]
    bad = _put(as_, "it_pm", project["id"], version, [
        {"person_id": fin, "period": "2027-03", "fte_months": "1"},
        {"role": "Project manager", "person_id": member, "period": "2027-03",
         "fte_months": "1"},
        {"person_id": 999_999, "period": "2027-03", "fte_months": "1"},
        {"period": "2027-03", "fte_months": "1"},
        {"person_id": member, "period": "2027-04", "fte_months": "1"},
        {"person_id": member, "period": "2027-04", "fte_months": "1"}])
    assert bad.status_code == 422
    assert [(e["field"], e["message"]) for e in bad.json()["errors"]] == [
        ("lines.0.person_id", "Fin Lead is not in the project's department or one below it; "
                              "ask their department for them with a lending"),
        ("lines.1.role", "It Member's role is Lead, not Project manager"),
        ("lines.2.person_id", "There is no person #999999"),
        ("lines.3.role", "choose a role or a person"),
        ("lines.5.period", "It Member in 2027-04 is listed twice")]
    from epmo.org.models import Person

    db.get(Person, member).active = False  # type: ignore[union-attr]
    db.commit()
    gone = _put(as_, "it_pm", project["id"], version, [
        {"person_id": member, "period": "2027-03", "fte_months": "1"}])
    assert gone.json()["errors"][0]["message"] == "It Member is no longer active"


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
    # columns follow the planned dates: 2027-02 .. 2027-08
    months = ["2027-02", "2027-03", "2027-04", "2027-05", "2027-06", "2027-07", "2027-08"]
    assert re.findall(r'name="month" value="([^"]+)"', page.text) == months
    form = {"version": str(project["version"]), "month": months,
            "role": ["Lead", "", ""], "person": ["", "", ""], "fte-0-2027-02": "2",
            "fte-0-2027-08": "1.25", "fte-1-2027-04": "4"}
    bad = _submit(browser, f"/projects/{project['id']}/demand",
                  form | {"fte-0-2027-03": "-1", "person": ["", "", "nobody"],
                          "fte-2-2027-05": "1"})
    assert bad.status_code == 422
    # every problem at once, each named by its row or its role and month
    assert "Row 2: choose the role or the person these hours are for" in bad.text
    assert "Row 3: choose the person from the list, not &#39;nobody&#39;" in bad.text
    assert "Lead, 2027-03: must be FTE-months" in bad.text
    assert 'name="fte-1-2027-04" value="4"' in bad.text
    assert 'name="fte-0-2027-03" value="-1"' in bad.text
    # a row with a role and an unpicked person: its cells are still checked, all at once
    both = _submit(browser, f"/projects/{project['id']}/demand",
                   form | {"person": ["<b>nobody</b>", "", ""], "fte-0-2027-03": "-1"})
    assert both.status_code == 422
    assert "Row 1: choose the person from the list" in both.text
    assert "Lead, 2027-03: must be FTE-months" in both.text and "<b>nobody</b>" not in both.text
    wrong = _submit(browser, f"/projects/{project['id']}/demand",
                              form | {"fte-1-2027-04": "", "fte-0-2027-02": "lots"})
    assert wrong.status_code == 422
    assert "Lead, 2027-02: must be FTE-months" in wrong.text
    assert 'name="fte-0-2027-02" value="lots"' in wrong.text
    good = _submit(browser, f"/projects/{project['id']}/demand", form | {"fte-1-2027-04": ""})
    assert good.status_code == 303
    lines = as_("admin").get(f"{API}/projects/{project['id']}/demand").json()["lines"]
    assert [(ln["role"], ln["period"], ln["fte_months"]) for ln in lines] == [
        ("Lead", "2027-02", "2.00"), ("Lead", "2027-08", "1.25")]
    shown = browser.client.get(f"/projects/{project['id']}").text
    assert 'name="fte-0-2027-08" value="1.25"' in shown
    assert '<option value="Lead" selected>Lead</option>' in shown


def test_the_grid_names_a_person_by_the_picker(browser: Browser, make: Maker, as_: Clients,
                                               world: World) -> None:
    project = make.project("IT", planned_start="2027-02-01", planned_finish="2027-03-31")
    member = world.people["it_member"]
    picked = browser.client.get("/pick/people", params={"person": "member"})
    label = f"It Member · IT · Lead #{member}"
    assert label in picked.text
    form = {"version": str(project["version"]), "month": ["2027-02", "2027-03"],
            "role": ["", "Lead"], "person": [label, ""], "fte-0-2027-02": "0.5",
            "fte-1-2027-03": "1"}
    late = _submit(browser, f"/projects/{project['id']}/demand",
                   form | {"role": ["Project manager", "Lead"]})
    assert late.status_code == 422
    assert "It Member, 2027-02: It Member&#39;s role is Lead, not Project manager" in late.text
    assert f'value="{label}"' in late.text  # the picked person is kept
    good = _submit(browser, f"/projects/{project['id']}/demand", form)
    assert good.status_code == 303, good.text
    lines = as_("admin").get(f"{API}/projects/{project['id']}/demand").json()["lines"]
    assert [(ln["role"], ln["person_id"], ln["period"], ln["fte_months"]) for ln in lines] == [
        ("Lead", None, "2027-03", "1.00"), ("Lead", member, "2027-02", "0.50")]
    shown = browser.client.get(f"/projects/{project['id']}").text
    assert f'value="{label}"' in shown

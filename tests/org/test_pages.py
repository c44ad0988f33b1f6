"""Department and people pages through a signed-in browser."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from tests.conftest import Clients
from tests.web.helpers import Browser, login
from tests.world import World


def _post(browser: Browser, url: str, data: dict[str, object]) -> Any:
    return browser.post_form(url, data)


def test_department_tree_shows_parents_and_people(app: object, world: World, as_: Clients) -> None:
    page = login(app, world, "it_viewer").client.get("/departments")
    assert page.status_code == 200
    row = re.search(r'<tr data-depth="1">(.*?)</tr>', page.text, re.S)
    assert row and "IT-INFRA" in row.group(1)
    assert re.search(r"<td>IT</td>\s*<td[^>]*><a[^>]*>1</a>", row.group(1))
    assert re.search(r"<code>IT</code> Information Technology</a></td>\s*<td></td>\s*"
                     r'<td[^>]*><a[^>]*>3</a>', page.text)
    assert "New department" not in page.text
    assert "New department" in login(app, world, "admin").client.get("/departments").text


def test_department_page_lists_subs_and_people(app: object, world: World, db: Session) -> None:
    it = world.departments["IT"]
    lead = login(app, world, "it_lead").client.get(f"/departments/{it}")
    assert lead.status_code == 200
    assert "IT-INFRA" in lead.text and "It Pm" in lead.text and "People (3)" in lead.text
    assert "Add person" in lead.text and f"/departments/{it}/edit" not in lead.text
    viewer = login(app, world, "fin_pm").client.get(f"/departments/{it}")
    assert "Add person" not in viewer.text and "/people/" not in viewer.text
    assert login(app, world, "admin").client.get("/departments/999999").status_code == 404


def test_create_department_through_form(app: object, world: World, as_: Clients) -> None:
    browser = login(app, world, "admin")
    form = browser.client.get(f"/departments/new?parent_id={world.departments['FIN']}")
    assert f'<option value="{world.departments["FIN"]}" selected>' in form.text
    r = _post(browser, "/departments/new", {"code": "FIN-TAX", "name": "Tax",
                                            "parent_id": str(world.departments["FIN"])})
    assert r.status_code == 303, r.text
    page = browser.client.get(r.headers["location"])
    assert "Department FIN-TAX created" in page.text and "Finance" in page.text
    bad = _post(browser, "/departments/new", {"code": "FIN-TAX", "name": ""})
    assert bad.status_code == 422
    assert 'data-field="name"' in bad.text and 'value="FIN-TAX"' in bad.text
    dup = _post(browser, "/departments/new", {"code": "FIN-TAX", "name": "Again"})
    assert dup.status_code == 409 and 'data-field="code"' in dup.text


def test_edit_department_stale_and_cycle(app: object, world: World, as_: Clients) -> None:
    hr = world.departments["HR"]
    browser = login(app, world, "admin")
    form = browser.client.get(f"/departments/{hr}/edit")
    version = re.search(r'name="version" value="(\d+)"', form.text).group(1)  # type: ignore[union-attr]
    data = {"version": version, "code": "HR", "name": "People", "parent_id": "", "description": ""}
    assert _post(browser, f"/departments/{hr}/edit", data).status_code == 303
    stale = _post(browser, f"/departments/{hr}/edit", data | {"name": "Lost"})
    assert stale.status_code == 409 and "changed by someone else" in stale.text
    it = world.departments["IT"]
    it_form = browser.client.get(f"/departments/{it}/edit").text
    it_version = re.search(r'name="version" value="(\d+)"', it_form).group(1)  # type: ignore[union-attr]
    loop = _post(browser, f"/departments/{it}/edit",
                 {"version": it_version, "code": "IT", "name": "IT",
                  "parent_id": str(world.departments["IT-INFRA"])})
    assert loop.status_code == 422 and 'data-field="parent_id"' in loop.text
    assert as_("admin").get(f"/api/v1/departments/{hr}").json()["name"] == "People"


def test_delete_department_from_its_page(app: object, world: World, as_: Clients) -> None:
    browser = login(app, world, "admin")
    refused = _post(browser, f"/departments/{world.departments['IT']}/delete", {"version": "1"})
    assert refused.status_code == 409 and "sub-departments" in refused.text
    made = as_("admin").post("/api/v1/departments", json={"code": "TMP", "name": "Temp"}).json()
    done = _post(browser, f"/departments/{made['id']}/delete", {"version": str(made["version"])})
    assert done.status_code == 303
    assert as_("admin").get(f"/api/v1/departments/{made['id']}").status_code == 404


def test_non_admin_cannot_use_department_forms(app: object, world: World, db: Session) -> None:
    browser = login(app, world, "it_lead")
    hr = world.departments["HR"]
    assert browser.client.get("/departments/new").status_code == 403
    assert browser.client.get(f"/departments/{hr}/edit").status_code == 403
    assert _post(browser, "/departments/new", {"code": "NO", "name": "No"}).status_code == 403
    r = _post(browser, f"/departments/{hr}/edit", {"version": "1", "code": "HR", "name": "No"})
    assert r.status_code == 403


def test_people_filters_and_pager(app: object, world: World, db: Session) -> None:
    client = login(app, world, "hr_viewer").client
    page = client.get("/people", params={"department_id": world.departments["IT"]})
    assert page.status_code == 200
    assert "It Lead" in page.text and "Fin Pm" not in page.text and "New person" not in page.text
    by_role = client.get("/people", params={"role": "Project manager"})
    names = re.findall(r"<td>([A-Z][a-z]+ [A-Z][a-z]+)</td><td><code>", by_role.text)
    assert sorted(names) == ["Fin Pm", "Infra Pm", "It Pm"]
    assert "It Lead" in client.get("/people", params={"q": "it_lead@"}).text
    first = client.get("/people", params={"limit": 2})
    assert "1\u20132 of 7" in first.text and "offset=2&limit=2" in first.text
    second = client.get("/people", params={"limit": 2, "offset": 6})
    assert "7\u20137 of 7" in second.text and "Previous" in second.text


def test_lead_sees_edit_only_for_own_people(app: object, world: World, db: Session) -> None:
    page = login(app, world, "it_lead").client.get("/people")
    assert f'/people/{world.people["infra_pm"]}/edit' in page.text
    assert f'/people/{world.people["fin_pm"]}/edit' not in page.text
    assert "New person" in page.text


def test_create_person_through_form(app: object, world: World, db: Session) -> None:
    browser = login(app, world, "it_lead")
    form = browser.client.get("/people/new")
    assert form.status_code == 200
    assert "IT-INFRA" in form.text and "FIN " not in form.text  # only departments they lead
    data = {"code": "NEW-1", "name": "New Hire", "email": "New.Hire@Example.org",
            "department_id": str(world.departments["IT-INFRA"]), "role": "Engineer",
            "weekly_capacity_hours": "32", "active": "on"}
    r = _post(browser, "/people/new", data)
    assert r.status_code == 303, r.text
    page = browser.client.get(r.headers["location"])
    assert "New Hire added" in page.text and "new.hire@example.org" in page.text
    bad = _post(browser, "/people/new", data | {"code": "NEW-2", "email": "not-an-email",
                                               "weekly_capacity_hours": "500"})
    assert bad.status_code == 422
    assert 'data-field="email"' in bad.text and 'data-field="weekly_capacity_hours"' in bad.text
    other = _post(browser, "/people/new", data | {"code": "NEW-3", "email": "",
                                                 "department_id": str(world.departments["FIN"])})
    assert other.status_code == 403


def test_edit_person_saves_and_refuses_stale(app: object, world: World, as_: Clients) -> None:
    person = world.people["infra_pm"]
    browser = login(app, world, "it_lead")
    form = browser.client.get(f"/people/{person}/edit")
    assert form.status_code == 200 and 'value="INFRA_PM"' in form.text and "checked" in form.text
    version = re.search(r'name="version" value="(\d+)"', form.text).group(1)  # type: ignore[union-attr]
    data = {"version": version, "code": "INFRA_PM", "name": "Infra PM", "email": "",
            "department_id": str(world.departments["IT-INFRA"]), "role": "Project manager",
            "weekly_capacity_hours": "20"}  # no "active": the box was unticked
    r = _post(browser, f"/people/{person}/edit", data)
    assert r.status_code == 303, r.text
    got = as_("admin").get(f"/api/v1/people/{person}").json()
    assert got["active"] is False and got["email"] is None and got["name"] == "Infra PM"
    stale = _post(browser, f"/people/{person}/edit", data | {"name": "Lost"})
    assert stale.status_code == 409 and "changed by someone else" in stale.text
    assert 'value="Lost"' in stale.text
    assert login(app, world, "fin_lead").client.get(f"/people/{person}/edit").status_code == 403
    assert login(app, world, "it_pm").client.get("/people/new").status_code == 403

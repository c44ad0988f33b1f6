"""Goal pages through a signed-in browser: the tree, a goal, and its forms."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from tests.conftest import Clients
from tests.web.helpers import Browser, login
from tests.world import World


def _goal(as_: Clients, code: str, **extra: Any) -> dict[str, Any]:
    r = as_("admin").post("/api/v1/goals", json={"code": code, "name": f"Goal {code}", **extra})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def _post(browser: Browser, url: str, data: dict[str, object]) -> Any:
    return browser.post_form(url, data)


def test_tree_is_indented_and_warns_on_unbalanced_weights(
    app: object, world: World, as_: Clients
) -> None:
    top = _goal(as_, "T1", weight=70)
    _goal(as_, "T1.1", parent_id=top["id"], weight=50)
    _goal(as_, "T1.2", parent_id=top["id"], weight=50)
    _goal(as_, "T2", weight=20)
    page = login(app, world, "it_viewer").client.get("/goals")
    assert page.status_code == 200
    assert re.search(r'data-depth="1">\s*<td[^>]*><a href="/goals/\d+"><code>T1.1</code>', page.text)
    assert "Top-level goals weigh 90 in total, not 100" in page.text
    assert "weights sum to 100" in page.text
    assert "New goal" not in page.text
    assert "New goal" in login(app, world, "admin").client.get("/goals").text


def test_goal_page_shows_sibling_total(app: object, world: World, as_: Clients) -> None:
    top = _goal(as_, "S1", weight=100)
    child = _goal(as_, "S1.1", parent_id=top["id"], weight=40, owner_id=world.people["fin_lead"])
    browser = login(app, world, "it_member")
    page = browser.client.get(f"/goals/{child['id']}")
    assert page.status_code == 200
    assert "this goal and its siblings weigh 40, not 100" in page.text
    assert "Fin Lead" in page.text and "Edit" not in page.text
    parent = browser.client.get(f"/goals/{top['id']}")
    assert "weights sum to 40, not 100" in parent.text and "S1.1" in parent.text
    assert browser.client.get("/goals/999999").status_code == 404


def test_create_goal_through_form(app: object, world: World, as_: Clients) -> None:
    top = _goal(as_, "F1", weight=100)
    browser = login(app, world, "admin")
    form = browser.client.get(f"/goals/new?parent_id={top['id']}")
    assert form.status_code == 200 and f'<option value="{top["id"]}" selected>' in form.text
    r = _post(browser, "/goals/new", {"code": "F1.1", "name": "Faster closing", "weight": "60",
                                      "parent_id": str(top["id"]), "owner_code": "FIN_LEAD",
                                      "description": ""})
    assert r.status_code == 303, r.text
    page = browser.client.get(r.headers["location"])
    assert "Goal F1.1 created" in page.text and "Fin Lead" in page.text
    assert "weigh 60, not 100" in page.text


def test_create_goal_form_shows_field_errors(app: object, world: World, db: Session) -> None:
    browser = login(app, world, "admin")
    r = _post(browser, "/goals/new", {"code": "BAD CODE", "name": "Bad", "weight": "150"})
    assert r.status_code == 422
    assert 'data-field="code"' in r.text and 'data-field="weight"' in r.text
    assert 'value="BAD CODE"' in r.text
    r = _post(browser, "/goals/new", {"code": "OK1", "name": "Owner?", "owner_code": "NOBODY"})
    assert r.status_code == 422
    assert "no person with code NOBODY" in r.text and 'data-field="owner_code"' in r.text
    assert browser.client.get("/api/v1/goals", params={"q": "OK1"}).json()["total"] == 0


def test_edit_goal_saves_and_refuses_stale_and_cycles(
    app: object, world: World, as_: Clients
) -> None:
    top = _goal(as_, "E1")
    child = _goal(as_, "E1.1", parent_id=top["id"])
    browser = login(app, world, "admin")
    form = browser.client.get(f"/goals/{top['id']}/edit")
    assert form.status_code == 200 and 'name="version" value="1"' in form.text
    assert f'<option value="{child["id"]}"' not in form.text  # its own sub-goal would loop
    data = {"version": "1", "code": "E1", "name": "Renamed", "weight": "100", "parent_id": ""}
    ok = _post(browser, f"/goals/{top['id']}/edit", data)
    assert ok.status_code == 303, ok.text
    stale = _post(browser, f"/goals/{top['id']}/edit", data | {"name": "Lost"})
    assert stale.status_code == 409 and "changed by someone else" in stale.text
    loop = _post(browser, f"/goals/{top['id']}/edit",
                 data | {"version": "2", "parent_id": str(child["id"])})
    assert loop.status_code == 422 and 'data-field="parent_id"' in loop.text
    assert as_("admin").get(f"/api/v1/goals/{top['id']}").json()["name"] == "Renamed"


def test_delete_goal_from_its_page(app: object, world: World, as_: Clients) -> None:
    top = _goal(as_, "X1")
    child = _goal(as_, "X1.1", parent_id=top["id"])
    browser = login(app, world, "admin")
    refused = _post(browser, f"/goals/{top['id']}/delete", {"version": "1"})
    assert refused.status_code == 409 and "Goal has sub-goals" in refused.text
    done = _post(browser, f"/goals/{child['id']}/delete", {"version": "1"})
    assert done.status_code == 303 and done.headers["location"] == "/goals"
    assert as_("admin").get(f"/api/v1/goals/{child['id']}").status_code == 404


def test_non_admin_cannot_open_or_post_goal_forms(app: object, world: World, as_: Clients) -> None:
    goal = _goal(as_, "N1")
    browser = login(app, world, "it_lead")
    assert browser.client.get("/goals/new").status_code == 403
    assert browser.client.get(f"/goals/{goal['id']}/edit").status_code == 403
    r = _post(browser, "/goals/new", {"code": "N2", "name": "Nope"})
    assert r.status_code == 403
    r = _post(browser, f"/goals/{goal['id']}/edit", {"version": "1", "code": "N1", "name": "No"})
    assert r.status_code == 403
    assert _post(browser, "/goals/new", {"code": "N3", "name": "x"}).status_code == 403
    no_csrf = browser.client.post("/goals/new", data={"code": "N4", "name": "x"})
    assert no_csrf.status_code == 403

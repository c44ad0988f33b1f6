"""User administration pages: list, create, deactivate and reactivate (EPMO administrators)."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from epmo.auth.models import User
from tests.web.helpers import Browser, csrf_of, login
from tests.world import World


def _post(browser: Browser, url: str, data: dict[str, object]) -> Any:
    return browser.post_form(url, data)


def _version(html: str, user_id: int) -> str:
    row = re.search(rf'<tr id="user-{user_id}".*?</tr>', html, re.S)
    assert row, f"user {user_id} not listed"
    return re.search(r'name="version" value="(\d+)"', row.group(0)).group(1)  # type: ignore[union-attr]


def test_admin_lists_users_with_roles_and_departments(app: object, world: World, db: Session) -> None:
    page = login(app, world, "admin").client.get("/admin/users")
    assert page.status_code == 200
    row = re.search(rf'<tr id="user-{world.users["it_lead"]}".*?</tr>', page.text, re.S)
    assert row and "department lead" in row.group(0) and "<td>IT</td>" in row.group(0)
    assert "Deactivate" in row.group(0)
    own = re.search(rf'<tr id="user-{world.users["admin"]}".*?</tr>', page.text, re.S)
    assert own and "Deactivate" not in own.group(0)


def test_non_admin_is_refused(app: object, world: World, db: Session) -> None:
    browser = login(app, world, "it_lead")
    assert browser.client.get("/admin/users").status_code == 403
    assert browser.client.get("/admin/users/new").status_code == 403
    body = {"email": "x@example.org", "name": "X", "role": "viewer"}
    assert _post(browser, "/admin/users/new", body).status_code == 403
    r = _post(browser, f"/admin/users/{world.users['it_pm']}/deactivate", {"version": "1"})
    assert r.status_code == 403


def test_create_user_through_form_then_sign_in(app: object, world: World, db: Session) -> None:
    browser = login(app, world, "admin")
    form = browser.client.get("/admin/users/new")
    assert form.status_code == 200 and '<option value="IT-INFRA">' in form.text
    r = _post(browser, "/admin/users/new", {
        "email": "New.Lead@Example.org", "name": "New Lead", "role": "department_lead",
        "department_codes": ["FIN", "HR"], "password": "a-long-password",
    })
    assert r.status_code == 303, r.text
    listed = browser.client.get("/admin/users")
    assert "User new.lead@example.org created" in listed.text
    assert re.search(r"new.lead@example.org</td><td>New Lead</td><td>department lead</td>"
                     r"\s*<td>FIN, HR</td>", listed.text)
    client = TestClient(app)  # type: ignore[arg-type]
    token = csrf_of(client.get("/login").text)
    signed_in = client.post("/login", data={"csrf_token": token, "email": "new.lead@example.org",
                                            "password": "a-long-password"}, follow_redirects=False)
    assert signed_in.status_code == 303


def test_create_user_form_shows_field_errors(app: object, world: World, db: Session) -> None:
    browser = login(app, world, "admin")
    bad = _post(browser, "/admin/users/new", {"email": "not-an-email", "name": "Bad",
                                              "role": "viewer", "password": "short"})
    assert bad.status_code == 422
    assert 'data-field="email"' in bad.text and 'data-field="password"' in bad.text
    assert 'value="short"' not in bad.text and 'value="Bad"' in bad.text
    role = _post(browser, "/admin/users/new", {"email": "r@example.org", "name": "R", "role": "boss"})
    assert role.status_code == 422 and 'data-field="role"' in role.text
    dept = _post(browser, "/admin/users/new", {"email": "d@example.org", "name": "D",
                                               "role": "member", "department_codes": ["NOPE"]})
    assert dept.status_code == 422 and "no department NOPE" in dept.text
    dup = _post(browser, "/admin/users/new", {"email": "IT_PM@example.org", "name": "Again",
                                              "role": "member"})
    assert dup.status_code == 409 and 'data-field="email"' in dup.text
    listed = browser.client.get("/admin/users").text
    assert "<td>d@example.org</td>" not in listed and "<td>r@example.org</td>" not in listed


def test_deactivate_and_reactivate(app: object, world: World, db: Session) -> None:
    admin = login(app, world, "admin")
    member = login(app, world, "it_member")
    uid = world.users["it_member"]
    version = _version(admin.client.get("/admin/users").text, uid)
    off = _post(admin, f"/admin/users/{uid}/deactivate", {"version": version})
    assert off.status_code == 303
    assert member.client.get("/account", follow_redirects=False).status_code == 303
    api = TestClient(app, headers={"Authorization": f"Bearer {world.tokens['it_member']}"})  # type: ignore[arg-type]
    assert api.get("/api/v1/users/me").status_code == 401
    stale = _post(admin, f"/admin/users/{uid}/reactivate", {"version": version})
    assert stale.status_code == 409 and "changed by someone else" in stale.text
    listed = admin.client.get("/admin/users").text
    assert "deactivated" in listed
    on = _post(admin, f"/admin/users/{uid}/reactivate", {"version": _version(listed, uid)})
    assert on.status_code == 303
    assert api.get("/api/v1/users/me").status_code == 200


def test_admin_cannot_deactivate_themselves(app: object, world: World, db: Session) -> None:
    admin = login(app, world, "admin")
    version = str(db.get(User, world.users["admin"]).version)  # type: ignore[union-attr]
    r = _post(admin, f"/admin/users/{world.users['admin']}/deactivate", {"version": version})
    assert r.status_code == 422 and "You cannot deactivate yourself" in r.text
    assert admin.client.get("/admin/users").status_code == 200
    assert _post(admin, "/admin/users/999999/deactivate", {"version": "1"}).status_code == 404
    assert _post(admin, f"/admin/users/{world.users['it_pm']}/deactivate", {}).status_code == 422


def test_an_admin_changes_a_users_role_and_departments(app: object, world: World,
                                                        db: Session) -> None:
    browser = login(app, world, "admin")
    target = world.users["it_member"]
    form = browser.client.get(f"/admin/users/{target}/edit")
    assert form.status_code == 200 and 'name="version"' in form.text
    version = re.search(r'name="version" value="(\d+)"', form.text).group(1)  # type: ignore[union-attr]
    person = world.people["it_member"]
    r = browser.client.post(f"/admin/users/{target}/edit", data={
        "csrf_token": browser.csrf, "version": version, "name": "Promoted <b>lead</b>",
        "role": "department_lead", "department_codes": ["IT", "FIN"],
        "person_id": f"It Member · whatever #{person}"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    db.expire_all()
    user = db.get(User, target)
    assert user is not None and (user.role, user.name, user.person_id) == (
        "department_lead", "Promoted <b>lead</b>", person)
    listed = browser.client.get("/admin/users").text
    assert "Promoted &lt;b&gt;lead&lt;/b&gt;" in listed
    # the new role and departments apply at the user's next request
    me = login(app, world, "it_member").client.get("/api/v1/users/me").json()
    assert (me["role"], sorted(me["department_ids"])) == (
        "department_lead", sorted([world.departments["IT"], world.departments["FIN"]]))
    # a stale version is refused in words, the typed values kept
    stale = browser.client.post(f"/admin/users/{target}/edit", data={
        "csrf_token": browser.csrf, "version": version, "name": "Again", "role": "viewer"})
    assert stale.status_code == 409 and 'value="Again"' in stale.text


def test_the_last_admin_keeps_the_role_and_others_may_not_edit(app: object, world: World,
                                                               db: Session) -> None:
    admin = login(app, world, "admin")
    me = world.users["admin"]
    others = db.query(User).filter(User.role == "epmo_admin", User.id != me).all()
    for other in others:  # leave one active administrator
        other.is_active = False
    db.flush()
    version = db.get(User, me).version  # type: ignore[union-attr]
    r = admin.client.patch(f"/api/v1/users/{me}", json={"version": version, "role": "viewer"},
                           headers={"X-CSRF-Token": admin.csrf})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "role"
    r = admin.client.patch(f"/api/v1/users/{me}", json={"version": version, "role": "boss"},
                           headers={"X-CSRF-Token": admin.csrf})
    assert r.status_code == 422 and "must be one of" in r.json()["errors"][0]["message"]
    lead = login(app, world, "it_lead")
    assert lead.client.get(f"/admin/users/{me}/edit").status_code == 403
    r = lead.client.patch(f"/api/v1/users/{me}", json={"version": version, "role": "viewer"},
                          headers={"X-CSRF-Token": lead.csrf})
    assert r.status_code == 403

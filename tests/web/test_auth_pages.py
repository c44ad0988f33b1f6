"""Signing in and out, CSRF on forms, and API tokens from the account page."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.web.helpers import csrf_of, login
from tests.world import World


def test_login_wrong_password_shows_error(app: object, db: Session) -> None:
    from fastapi.testclient import TestClient

    client = TestClient(app)  # type: ignore[arg-type]
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"csrf_token": token, "email": "admin@example.org",
                                    "password": "wrong-password"})
    assert r.status_code == 401
    assert "Email or password is wrong" in r.text


def test_login_without_csrf_is_refused(app: object, db: Session) -> None:
    from fastapi.testclient import TestClient

    client = TestClient(app)  # type: ignore[arg-type]
    client.get("/login")
    r = client.post("/login", data={"email": "admin@example.org", "password": "x" * 12})
    assert r.status_code == 403


def test_pages_redirect_anonymous_to_login(app: object, db: Session) -> None:
    from fastapi.testclient import TestClient

    r = TestClient(app).get("/account", follow_redirects=False)  # type: ignore[arg-type]
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")


def test_token_created_on_page_works_and_can_be_revoked(app: object, world: World, db: Session) -> None:
    browser = login(app, world, "it_pm")
    page = browser.post_form("/account/tokens", {"name": "laptop"})
    assert page.status_code == 200  # type: ignore[attr-defined]
    import re

    plain = re.search(r'id="new-token">([^<]+)<', page.text).group(1)  # type: ignore[attr-defined, union-attr]
    from fastapi.testclient import TestClient

    api = TestClient(app, headers={"Authorization": f"Bearer {plain}"})  # type: ignore[arg-type]
    assert api.get("/api/v1/users/me").json()["email"] == "it_pm@example.org"
    tokens = api.get("/api/v1/users/me/tokens").json()
    laptop = next(t for t in tokens if t["name"] == "laptop")
    assert api.delete(f"/api/v1/users/me/tokens/{laptop['id']}").status_code == 200
    assert api.get("/api/v1/users/me").status_code == 401


def test_logout_ends_session(app: object, world: World, db: Session) -> None:
    browser = login(app, world, "admin")
    assert browser.post_form("/logout", {}).status_code == 303  # type: ignore[attr-defined]
    r = browser.client.get("/account", follow_redirects=False)
    assert r.status_code == 303


def test_cookie_api_write_needs_csrf_header(app: object, world: World, db: Session) -> None:
    browser = login(app, world, "admin")
    body = {"code": "CSRF1", "name": "Needs token"}
    assert browser.client.post("/api/v1/departments", json=body).status_code == 403
    ok = browser.client.post("/api/v1/departments", json=body, headers={"X-CSRF-Token": browser.csrf})
    assert ok.status_code == 201

"""The password rule, changing your own password and an administrator's one-time reset link."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from epmo.cli import app as cli_app
from epmo.errors import Invalid
from tests.auth.conftest import attempt
from tests.conftest import Clients
from tests.web.helpers import csrf_of, login
from tests.world import World, password_for

runner = CliRunner()
NEW = "a-fresh-and-long-passphrase"


def _new_user(as_: Clients, email: str, password: str) -> object:
    body = {"email": email, "name": "Rule", "role": "viewer", "password": password}
    return as_("admin").post("/api/v1/users", json=body)


@pytest.mark.parametrize(("password", "why"), [
    ("eleven-char", "at least 12 characters"),
    ("password1234", "most common passwords"),
    ("PassWord1234", "most common passwords"),  # the list is checked case-insensitively
    ("qwerty123456", "most common passwords"),
    ("Rule.Person@Example.org", "must not be your email"),
])
def test_weak_passwords_are_refused_by_the_api(as_: Clients, db: Session, password: str,
                                               why: str) -> None:
    r = _new_user(as_, "rule.person@example.org", password)
    assert r.status_code == 422  # type: ignore[attr-defined]
    problems = r.json()["errors"]  # type: ignore[attr-defined]
    assert problems[0]["field"].endswith("password") and why in problems[0]["message"]


def test_a_good_password_is_accepted(as_: Clients, db: Session) -> None:
    assert _new_user(as_, "rule.ok@example.org", NEW).status_code == 201  # type: ignore[attr-defined]


def test_cli_refuses_a_common_password(db: Session, world: World) -> None:
    result = runner.invoke(cli_app, ["user", "create", "--email", "cli@example.org", "--name",
                                     "Cli", "--role", "viewer", "--password", "Administrator"])
    assert isinstance(result.exception, Invalid)
    assert "most common" in result.exception.errors[0].message


def test_change_own_password_on_the_page(app: object, world: World, db: Session) -> None:
    browser = login(app, world, "it_lead")
    bad = browser.post_form("/account/password", {"current_password": password_for("it_lead"),
                                                  "new_password": "short", "repeat_password": "short"})
    assert bad.status_code == 422 and "at least 12 characters" in bad.text  # type: ignore[attr-defined]
    differ = browser.post_form("/account/password", {"current_password": password_for("it_lead"),
                                                     "new_password": NEW, "repeat_password": NEW + "x"})
    assert differ.status_code == 422 and "differ" in differ.text  # type: ignore[attr-defined]
    ok = browser.post_form("/account/password", {"current_password": password_for("it_lead"),
                                                 "new_password": NEW, "repeat_password": NEW})
    assert ok.status_code == 303  # type: ignore[attr-defined]
    client = TestClient(app)  # type: ignore[arg-type]
    assert attempt(client, world.email("it_lead"), password_for("it_lead")).status_code == 401
    assert attempt(client, world.email("it_lead"), NEW).status_code == 303


def test_change_own_password_through_the_api(as_: Clients, app: object, world: World,
                                             db: Session) -> None:
    api = as_("it_viewer")
    body = {"current_password": password_for("it_viewer"), "new_password": "123456789123"}
    weak = api.post("/api/v1/users/me/password", json=body)
    assert weak.status_code == 422 and weak.json()["errors"][0]["field"] == "new_password"
    done = api.post("/api/v1/users/me/password", json=body | {"new_password": NEW})
    assert done.status_code == 204
    client = TestClient(app)  # type: ignore[arg-type]
    assert attempt(client, world.email("it_viewer"), NEW).status_code == 303


def _reset_link(app: object, world: World, user: str) -> str:
    admin = login(app, world, "admin")
    page = admin.post_form(f"/admin/users/{world.users[user]}/reset-password", {})
    assert page.status_code == 200  # type: ignore[attr-defined]
    found = re.search(r'id="reset-link">([^<]+)<', page.text)  # type: ignore[attr-defined]
    assert found
    return found.group(1)


def _use(app: object, link: str, password: str, repeat: str | None = None) -> object:
    client = TestClient(app)  # type: ignore[arg-type]
    path = "/reset/" + link.rsplit("/reset/", 1)[1]
    form = client.get(path)
    assert form.status_code == 200 and form.headers["Referrer-Policy"] == "no-referrer"
    data = {"csrf_token": csrf_of(form.text), "new_password": password,
            "repeat_password": password if repeat is None else repeat}
    return client.post(path, data=data, follow_redirects=False)


def test_admin_reset_link_works_once_and_signs_the_user_out(app: object, world: World,
                                                            db: Session) -> None:
    victim = login(app, world, "fin_lead")
    link = _reset_link(app, world, "fin_lead")
    assert victim.client.get("/account", follow_redirects=False).status_code == 303
    refused = _use(app, link, "password1234")
    assert refused.status_code == 422 and "most common" in refused.text  # type: ignore[attr-defined]
    assert _use(app, link, NEW).status_code == 303  # type: ignore[attr-defined]
    client = TestClient(app)  # type: ignore[arg-type]
    assert attempt(client, world.email("fin_lead"), NEW).status_code == 303
    assert TestClient(app).get("/reset/" + link.rsplit("/reset/", 1)[1]).status_code == 404  # type: ignore[arg-type]


def test_non_admin_cannot_make_reset_links(app: object, world: World, db: Session) -> None:
    browser = login(app, world, "it_lead")
    r = browser.post_form(f"/admin/users/{world.users['it_pm']}/reset-password", {})
    assert r.status_code == 403  # type: ignore[attr-defined]


def test_cli_reset_link(app: object, db: Session, world: World) -> None:
    result = runner.invoke(cli_app, ["user", "reset-password", world.email("exec")])
    assert result.exit_code == 0, result.output
    link = result.output.strip().splitlines()[-1]
    assert link.startswith("/reset/")
    assert _use(app, link, NEW).status_code == 303  # type: ignore[attr-defined]
    unknown = TestClient(app).get("/reset/not-a-real-token")  # type: ignore[arg-type]
    assert unknown.status_code == 404


def test_expired_reset_link_is_refused(app: object, db: Session, world: World,
                                       settings_env: object) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from epmo.auth.models import PasswordReset
    from epmo.db import utcnow

    link = _reset_link(app, world, "hr_viewer")
    db.execute(update(PasswordReset).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.flush()
    path = "/reset/" + link.rsplit("/reset/", 1)[1]
    assert TestClient(app).get(path).status_code == 404  # type: ignore[arg-type]


def test_deactivation_cancels_reset_links(app: object, world: World, db: Session) -> None:
    from tests.auth.test_sessions import _set_active

    link = _reset_link(app, world, "it_member")
    admin = login(app, world, "admin")
    _set_active(admin, world.users["it_member"], active=False)
    _set_active(admin, world.users["it_member"], active=True)
    path = "/reset/" + link.rsplit("/reset/", 1)[1]
    assert TestClient(app).get(path).status_code == 404  # type: ignore[arg-type]

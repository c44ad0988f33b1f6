"""Server-side sessions: sign-out, deactivation and password changes end copied cookies."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.audit.models import AuditEntry
from epmo.auth.models import UserSession
from tests.web.helpers import Browser, login
from tests.world import World, password_for


def _copy(app: object, browser: Browser) -> TestClient:
    """A second client holding a stolen copy of the browser's session cookie."""
    thief = TestClient(app)  # type: ignore[arg-type]
    thief.cookies.set("epmo_session", browser.client.cookies["epmo_session"])
    return thief


def _signed_in(client: TestClient) -> bool:
    return client.get("/account", follow_redirects=False).status_code == 200


def test_logout_kills_a_copied_cookie(app: object, world: World, db: Session) -> None:
    browser = login(app, world, "it_pm")
    thief = _copy(app, browser)
    assert _signed_in(thief)
    assert browser.post_form("/logout", {}).status_code == 303  # type: ignore[attr-defined]
    assert not _signed_in(thief)
    assert not _signed_in(browser.client)
    row = db.scalars(select(UserSession).where(UserSession.user_id == world.users["it_pm"])).one()
    assert row.revoked_at is not None


def _set_active(admin: Browser, user_id: int, active: bool) -> None:
    page = admin.client.get("/admin/users").text
    row = re.search(rf'<tr id="user-{user_id}".*?</tr>', page, re.S)
    version = re.search(r'name="version" value="(\d+)"', row.group(0) if row else "")
    assert version, "user not listed"
    action = "reactivate" if active else "deactivate"
    r = admin.post_form(f"/admin/users/{user_id}/{action}", {"version": version.group(1)})
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]


def test_deactivation_ends_sessions_and_reactivation_revives_none(
        app: object, world: World, db: Session) -> None:
    member = login(app, world, "it_member")
    admin = login(app, world, "admin")
    uid = world.users["it_member"]
    _set_active(admin, uid, active=False)
    assert not _signed_in(member.client)
    _set_active(admin, uid, active=True)
    assert not _signed_in(member.client)  # the old cookie stays dead
    revoked = db.scalars(select(AuditEntry).where(AuditEntry.action == "revoke_all")).all()
    assert [e.after for e in revoked] == [{"user_id": uid, "sessions": 1}]
    assert _signed_in(login(app, world, "it_member").client)


def test_password_change_signs_out_the_other_sessions(app: object, world: World,
                                                      db: Session) -> None:
    here, elsewhere = login(app, world, "fin_pm"), login(app, world, "fin_pm")
    new = "fin-pm-brand-new-passphrase"
    r = here.post_form("/account/password", {"current_password": password_for("fin_pm"),
                                             "new_password": new, "repeat_password": new})
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    assert _signed_in(here.client)
    assert not _signed_in(elsewhere.client)


def test_a_forged_cookie_without_a_session_row_is_refused(app: object, world: World,
                                                          db: Session) -> None:
    """A cookie signed with the right key but naming no server-side session is anonymous."""
    import base64
    import json

    from itsdangerous import TimestampSigner

    from epmo.config import get_settings

    payload = base64.b64encode(json.dumps({"uid": world.users["admin"]}).encode())
    forged = TimestampSigner(get_settings().secret_key).sign(payload).decode()
    client = TestClient(app)  # type: ignore[arg-type]
    client.cookies.set("epmo_session", forged)
    assert not _signed_in(client)

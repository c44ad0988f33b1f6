"""Single sign-on against a real OpenID Connect provider on loopback (tests/auth/oidc_provider.py).

The hub runs in the TestClient; the browser's trips to the provider are real HTTP requests, and
the hub reaches the provider's discovery, token and key endpoints over real HTTP too.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.audit.models import AuditEntry
from epmo.auth import oidc
from epmo.auth.models import User, UserDepartment
from epmo.config import get_settings
from tests.auth.oidc_provider import CLIENT_ID, CLIENT_SECRET, Account, Provider
from tests.web.helpers import csrf_of
from tests.world import World, password_for

CALLBACK = "http://testserver/login/oidc/callback"
ROLE_MAP = {"pmo-admins": "epmo_admin", "pmo-pm": "project_manager", "staff": "member"}
NEWCOMER = "new.person@example.org"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    """One provider (one RSA key) per module, reset before each test."""
    with Provider(Account(NEWCOMER), CALLBACK) as running:
        yield running


@pytest.fixture
def idp(provider: Provider, monkeypatch: pytest.MonkeyPatch, db: Session) -> Iterator[Provider]:
    """SSO configured against the provider, whose account is a newcomer in PM and FIN groups."""
    provider.account = Account(NEWCOMER, name="New Person", extra={
        "groups": ["pmo-pm", "unrelated"], "departments": ["FIN", "NO-SUCH"]})
    provider.overrides, provider.sign_with, provider.deny, provider.mangle = {}, None, False, None
    settings = {
        "ISSUER": provider.issuer, "NAME": "Test IdP", "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET, "ROLE_CLAIM": "groups",
        "ROLE_MAP": json.dumps(ROLE_MAP), "DEPARTMENT_CLAIM": "departments",
    }
    for name, value in settings.items():
        monkeypatch.setenv(f"EPMO_OIDC_{name}", value)
    _fresh_settings()
    yield provider
    monkeypatch.undo()
    _fresh_settings()


def _fresh_settings() -> None:
    get_settings.cache_clear()
    oidc._providers.clear()  # a new issuer or key per test


def _configure(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name, value in values.items():
        monkeypatch.setenv(f"EPMO_OIDC_{name.upper()}", value)
    _fresh_settings()


def _to_provider(client: TestClient, next_url: str = "/projects") -> httpx.Response:
    """Start at the hub and follow its redirect to the provider (real HTTP)."""
    start = client.get("/login/oidc", params={"next": next_url}, follow_redirects=False)
    assert start.status_code == 302, start.text
    answer = httpx.get(start.headers["location"], follow_redirects=False)
    assert answer.status_code == 302, answer.text
    return answer


def _sign_in(app: object) -> tuple[TestClient, httpx.Response]:
    """The whole browser journey; returns the client and the hub's answer to the callback."""
    client = TestClient(app)  # type: ignore[arg-type]
    back = _to_provider(client).headers["location"]
    assert back.startswith(CALLBACK)
    return client, client.get(back, follow_redirects=False)


def _refused(client: TestClient, response: Any, message: str) -> None:
    assert response.status_code == 401, response.text
    assert "Sign in" in response.text and message in response.text
    assert "Traceback" not in response.text
    assert client.get("/account", follow_redirects=False).status_code in (302, 303, 401)


def _departments(db: Session, user_id: int) -> set[int]:
    query = select(UserDepartment.department_id).where(UserDepartment.user_id == user_id)
    return set(db.scalars(query))


def test_login_page_offers_sso_only_when_configured(
        app: object, idp: Provider, monkeypatch: pytest.MonkeyPatch) -> None:
    client = TestClient(app)  # type: ignore[arg-type]
    assert "Sign in with Test IdP" in client.get("/login?next=/projects").text
    assert 'href="/login/oidc?next=/projects"' in client.get("/login?next=/projects").text
    _configure(monkeypatch, issuer="")
    assert "Sign in with" not in client.get("/login").text
    assert client.get("/login/oidc", follow_redirects=False).status_code == 404
    assert client.get("/login/oidc/callback?code=x&state=y").status_code == 404


def test_first_sign_in_creates_the_user_with_mapped_role_and_departments(
        app: object, idp: Provider, db: Session, world: World) -> None:
    client, answer = _sign_in(app)
    assert answer.status_code == 303 and answer.headers["location"] == "/projects"
    assert client.get("/projects").status_code == 200
    account = client.get("/account")
    assert account.status_code == 200 and NEWCOMER in account.text
    user = db.scalar(select(User).where(User.email == NEWCOMER))
    assert user is not None and user.role == "project_manager" and user.name == "New Person"
    assert user.password_hash is None
    # FIN exists; NO-SUCH is ignored (and logged), not fatal.
    assert _departments(db, user.id) == {world.departments["FIN"]}
    created = db.scalar(select(AuditEntry).where(AuditEntry.entity == "user_account",
                                                 AuditEntry.entity_id == str(user.id)))
    assert created is not None and created.action == "create" and created.actor == NEWCOMER


def test_the_provider_is_the_source_of_truth_for_existing_users(
        app: object, idp: Provider, db: Session, world: World) -> None:
    # it_member is a member of IT in epmo; the provider says admin (highest match) in HR.
    idp.account = Account(world.email("it_member"), name="It Member", extra={
        "groups": ["staff", "pmo-admins"], "departments": "HR"})
    client, answer = _sign_in(app)
    assert answer.status_code == 303
    user = db.get(User, world.users["it_member"])
    assert user is not None
    db.refresh(user)
    assert user.role == "epmo_admin"
    assert _departments(db, user.id) == {world.departments["HR"]}
    assert client.get("/admin/users").status_code == 200
    changed = db.scalars(select(AuditEntry).where(
        AuditEntry.entity == "user_account", AuditEntry.entity_id == str(user.id))).all()
    assert any((e.after or {}).get("role") == "epmo_admin" and e.actor == user.email
               for e in changed)


def test_pkce_s256_is_sent_and_the_provider_refuses_a_wrong_verifier(
        app: object, idp: Provider) -> None:
    client = TestClient(app)  # type: ignore[arg-type]
    back = httpx.URL(_to_provider(client).headers["location"])
    challenge, method = idp.challenges[-1]
    assert method == "S256" and challenge
    code = back.params["code"]
    wrong = httpx.post(f"{idp.issuer}/token", auth=(CLIENT_ID, CLIENT_SECRET), data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
        "code_verifier": "a" * 64})
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    # The hub sends the verifier that matches the challenge, and the provider accepts it.
    answer = client.get(str(back), follow_redirects=False)
    assert answer.status_code == 303, answer.text
    verifier = idp.token_requests[-1]["code_verifier"]
    assert create_s256_code_challenge(verifier) == challenge


def test_the_provider_refuses_an_authorization_request_without_pkce(idp: Provider) -> None:
    answer = httpx.get(f"{idp.issuer}/authorize", follow_redirects=False, params={
        "response_type": "code", "client_id": CLIENT_ID, "redirect_uri": CALLBACK,
        "scope": "openid email", "state": "s", "nonce": "n"})
    assert answer.status_code == 302 and "error=invalid_request" in answer.headers["location"]


def _expired(idp: Provider) -> None:
    now = int(time.time())
    idp.overrides = {"exp": now - 3600, "iat": now - 7200}


def _foreign_key(idp: Provider) -> None:
    idp.sign_with = RSAKey.generate_key(2048)


def _payload_edited(idp: Provider) -> None:
    def edit(token: str) -> str:
        header, payload, signature = token.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
        claims["email"] = "admin@example.org"
        raw = json.dumps(claims).encode()
        return ".".join([header, base64.urlsafe_b64encode(raw).rstrip(b"=").decode(), signature])
    idp.mangle = edit


def _symmetric(idp: Provider) -> None:
    # An attacker who knows the client secret must not be able to mint tokens with HS256.
    def forge(token: str) -> str:
        claims = jwt.decode(token, idp.key).claims
        return jwt.encode({"alg": "HS256"}, claims, OctKey.import_key(CLIENT_SECRET))
    idp.mangle = forge


REFUSALS = {
    "expired": (_expired, "has expired"),
    "signed with another key": (_foreign_key, "no valid signature"),
    "payload edited after signing": (_payload_edited, "no valid signature"),
    "HS256 with the client secret": (_symmetric, "is not valid"),
    "wrong nonce": (lambda idp: idp.overrides.update(nonce="not-the-one"), "claim nonce"),
    "wrong audience": (lambda idp: idp.overrides.update(aud=["another-app"]), "claim aud"),
    "wrong issuer": (lambda idp: idp.overrides.update(iss="http://127.0.0.1:1"), "claim iss"),
    "e-mail not verified": (lambda idp: setattr(idp.account, "email_verified", False),
                            "not verified"),
    "e-mail with no verified flag": (lambda idp: setattr(idp.account, "email_verified", None),
                                     "not verified"),
    "no mapped role": (lambda idp: idp.account.extra.update(groups=["unrelated"]),
                       "no role in epmo"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_bad_answers_are_refused_with_a_readable_page(
        app: object, idp: Provider, db: Session, case: str,
        caplog: pytest.LogCaptureFixture) -> None:
    spoil, message = REFUSALS[case]
    spoil(idp)
    client, answer = _sign_in(app)
    _refused(client, answer, message)
    assert db.scalar(select(User).where(User.email == NEWCOMER)) is None
    assert any("SSO: sign-in refused" in record.getMessage() for record in caplog.records)


def test_keys_rotated_at_the_provider_are_fetched_again(app: object, idp: Provider) -> None:
    assert _sign_in(app)[1].status_code == 303  # the hub now holds the first key
    idp.key = RSAKey.generate_key(2048, parameters={"kid": f"rotated-{time.time_ns()}"})
    assert _sign_in(app)[1].status_code == 303


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
def test_sign_in_never_redirects_off_site(app: object, idp: Provider, target: str) -> None:
    client = TestClient(app)  # type: ignore[arg-type]
    back = _to_provider(client, next_url=target).headers["location"]
    # the bare home instead, which for a project manager is My work
    assert client.get(back, follow_redirects=False).headers["location"] == "/my-work"


def test_a_deactivated_user_is_refused(app: object, idp: Provider, db: Session,
                                       world: World) -> None:
    user = db.get(User, world.users["it_viewer"])
    assert user is not None
    user.is_active = False
    db.flush()
    idp.account = Account(world.email("it_viewer"), extra={"groups": ["staff"]})
    client, answer = _sign_in(app)
    _refused(client, answer, "deactivated")
    db.refresh(user)
    assert user.role == "viewer"  # nothing was taken over from the refused sign-in


def test_a_wrong_state_is_refused(app: object, idp: Provider) -> None:
    client = TestClient(app)  # type: ignore[arg-type]
    back = httpx.URL(_to_provider(client).headers["location"])
    forged = back.copy_set_param("state", "forged")
    _refused(client, client.get(str(forged), follow_redirects=False), "does not belong")
    # The pending sign-in was used up: the genuine answer cannot be replayed afterwards.
    _refused(client, client.get(str(back), follow_redirects=False), "start again")


def test_a_callback_without_a_started_sign_in_is_refused(app: object, idp: Provider) -> None:
    victim = TestClient(app)  # type: ignore[arg-type]
    back = _to_provider(TestClient(app)).headers["location"]  # type: ignore[arg-type]
    # Login CSRF: an attacker's code pushed into another browser finds no pending sign-in.
    _refused(victim, victim.get(back, follow_redirects=False), "another window")


def test_access_denied_at_the_provider(app: object, idp: Provider) -> None:
    idp.deny = True
    client, answer = _sign_in(app)
    _refused(client, answer, "cancelled or refused at the provider")


def test_an_unreachable_provider_gives_a_readable_page(
        app: object, idp: Provider, monkeypatch: pytest.MonkeyPatch) -> None:
    _configure(monkeypatch, issuer="http://127.0.0.1:9")
    client = TestClient(app)  # type: ignore[arg-type]
    _refused(client, client.get("/login/oidc", follow_redirects=False), "could not be reached")


def test_unknown_users_are_refused_when_creating_is_off(
        app: object, idp: Provider, db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    _configure(monkeypatch, create_users="false")
    client, answer = _sign_in(app)
    _refused(client, answer, "no role in epmo")
    assert db.scalar(select(User).where(User.email == NEWCOMER)) is None


def test_without_a_role_claim_roles_stay_in_epmo(
        app: object, idp: Provider, db: Session, world: World,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _configure(monkeypatch, role_claim="", department_claim="", default_role="viewer")
    idp.account = Account(world.email("fin_pm"), extra={"groups": ["pmo-admins"]})
    assert _sign_in(app)[1].status_code == 303
    fin_pm = db.get(User, world.users["fin_pm"])
    assert fin_pm is not None
    db.refresh(fin_pm)
    assert fin_pm.role == "project_manager"
    assert _departments(db, fin_pm.id) == {world.departments["FIN"]}
    idp.account = Account(NEWCOMER)
    assert _sign_in(app)[1].status_code == 303
    newcomer = db.scalar(select(User).where(User.email == NEWCOMER))
    assert newcomer is not None and newcomer.role == "viewer"


def test_a_role_map_naming_no_epmo_role_is_reported_not_crashed(
        app: object, idp: Provider, monkeypatch: pytest.MonkeyPatch) -> None:
    _configure(monkeypatch, role_map=json.dumps({"pmo-pm": "boss"}))
    client = TestClient(app)  # type: ignore[arg-type]
    _refused(client, client.get("/login/oidc", follow_redirects=False), "not set up correctly")


def test_entra_ids_domain_owner_flag_counts_as_verified(
        app: object, idp: Provider, db: Session) -> None:
    idp.account.email_verified = None
    idp.account.extra["xms_edov"] = True
    assert _sign_in(app)[1].status_code == 303
    assert db.scalar(select(User).where(User.email == NEWCOMER)) is not None


def test_the_password_form_shares_the_off_site_check(app: object, db: Session, world: World) -> None:
    client = TestClient(app)  # type: ignore[arg-type]
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", follow_redirects=False, data={
        "csrf_token": token, "email": world.email("it_pm"), "password": password_for("it_pm"),
        "next": "/\\evil.example"})
    assert answer.status_code == 303 and answer.headers["location"] == "/my-work"  # their home


def test_the_subject_links_the_account_once_signed_in(
        app: object, idp: Provider, db: Session) -> None:
    assert _sign_in(app)[1].status_code == 303
    user = db.scalar(select(User).where(User.email == NEWCOMER))
    assert user is not None and user.sso_subject == f"{idp.issuer} sub-{NEWCOMER}"
    # The address changes at the provider; the subject still names the same person.
    idp.overrides = {"sub": f"sub-{NEWCOMER}", "email": "renamed@example.org"}
    client, answer = _sign_in(app)
    assert answer.status_code == 303
    assert NEWCOMER in client.get("/account").text
    assert db.scalar(select(User).where(User.email == "renamed@example.org")) is None


def test_an_address_reused_by_another_subject_is_refused(
        app: object, idp: Provider, db: Session) -> None:
    assert _sign_in(app)[1].status_code == 303
    idp.overrides = {"sub": "someone-else"}
    client, answer = _sign_in(app)
    _refused(client, answer, "linked to another single sign-on account")

"""Sign-in throttling: growing delays then a lock, per account and per address, audited."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.audit.models import AuditEntry
from tests.auth.conftest import Settle, attempt
from tests.world import World, password_for

WRONG = "not-the-password-at-all"


def _client(app: object) -> TestClient:
    return TestClient(app)  # type: ignore[arg-type]


def _sign_in_audit(db: Session, action: str) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.entity == "sign_in", AuditEntry.action == action)
    return list(db.scalars(query.order_by(AuditEntry.id)))


def test_after_the_free_failures_even_the_right_password_waits(
        app: object, world: World, db: Session, settings_env: Settle) -> None:
    settings_env(signin_free_failures=2, signin_delay_seconds=600)
    client, email = _client(app), world.email("it_pm")
    for _ in range(2):
        assert attempt(client, email, WRONG).status_code == 401
    refused = attempt(client, email, password_for("it_pm"))
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 600
    assert "Too many failed sign-ins; try again in 10 minutes" in refused.text
    assert client.get("/account", follow_redirects=False).status_code == 303  # not signed in


def test_lock_after_the_lock_threshold_is_audited(
        app: object, world: World, db: Session, settings_env: Settle) -> None:
    settings_env(signin_free_failures=20, signin_lock_failures=3, signin_lock_minutes=15)
    client, email = _client(app), world.email("fin_pm")
    codes = [attempt(client, email, WRONG).status_code for _ in range(3)]
    assert codes == [401, 401, 401]
    locked = attempt(client, email, password_for("fin_pm"))
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 14 * 60
    failed = [e for e in _sign_in_audit(db, "failed") if e.entity_id == f"account:{email}"]
    assert [e.after["failures"] for e in failed if e.after] == [1, 2, 3]
    assert failed[0].actor == "sign-in from testclient"
    locks = [e.entity_id for e in _sign_in_audit(db, "locked")]
    assert f"account:{email}" in locks


def test_unknown_accounts_are_throttled_alike(
        app: object, world: World, db: Session, settings_env: Settle) -> None:
    """The answers never tell whether an account exists."""
    settings_env(signin_free_failures=20, signin_lock_failures=2)
    answers = {}
    for email in (world.email("exec"), "nobody-here@example.org"):
        client = TestClient(app, client=("10.0.0.9", 5000) if "nobody" in email else  # type: ignore[arg-type]
                            ("10.0.0.8", 5000))
        first, second, third = (attempt(client, email, WRONG) for _ in range(3))
        answers[email] = (first.status_code, second.status_code, third.status_code,
                          "Email or password is wrong" in first.text, "Too many" in third.text)
    assert len(set(answers.values())) == 1
    assert next(iter(answers.values())) == (401, 401, 429, True, True)


def test_one_address_failing_on_many_accounts_is_locked(
        app: object, world: World, db: Session, settings_env: Settle) -> None:
    settings_env(signin_free_failures=20, signin_lock_failures=3, signin_address_factor=1)
    client = _client(app)
    for n in range(3):
        assert attempt(client, f"guess{n}@example.org", WRONG).status_code == 401
    refused = attempt(client, world.email("it_lead"), password_for("it_lead"))
    assert refused.status_code == 429
    other = TestClient(app, client=("10.1.2.3", 5000))  # type: ignore[arg-type]
    assert attempt(other, world.email("it_lead"), password_for("it_lead")).status_code == 303


def test_a_success_resets_the_account_count(
        app: object, world: World, db: Session, settings_env: Settle) -> None:
    settings_env(signin_free_failures=2, signin_delay_seconds=600, signin_address_factor=10)
    client, email = _client(app), world.email("it_member")
    assert attempt(client, email, WRONG).status_code == 401
    assert attempt(client, email, password_for("it_member")).status_code == 303
    fresh = _client(app)
    # Counting restarts at zero: two more failures are answered, then the wait begins.
    assert [attempt(fresh, email, WRONG).status_code for _ in range(2)] == [401, 401]
    assert attempt(fresh, email, password_for("it_member")).status_code == 429


def test_wrong_current_passwords_on_the_api_end_in_429(
        as_: object, world: World, db: Session, settings_env: Settle) -> None:
    """Each wrong current password is counted (and committed) although the answer is an error."""
    settings_env(signin_free_failures=2, signin_delay_seconds=600)
    api = as_("hr_viewer")  # type: ignore[operator]
    body = {"current_password": WRONG, "new_password": "hr-viewer-new-passphrase"}
    first, second = (api.post("/api/v1/users/me/password", json=body) for _ in range(2))
    assert first.status_code == second.status_code == 422
    assert first.json()["errors"][0]["field"] == "current_password"
    third = api.post("/api/v1/users/me/password",
                     json=body | {"current_password": password_for("hr_viewer")})
    assert third.status_code == 429 and int(third.headers["Retry-After"]) > 0
    assert third.headers["content-type"] == "application/problem+json"
    assert len([e for e in _sign_in_audit(db, "failed")
                if e.entity_id == f"account:{world.email('hr_viewer')}"]) == 2

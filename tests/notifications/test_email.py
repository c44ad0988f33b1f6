"""E-mail: a real SMTP server (aiosmtpd), the sink folder, retries, and the daily digest."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.config import Settings
from epmo.db import utcnow
from epmo.notifications.delivery import deliver_email_now
from epmo.notifications.digest import send_digests
from epmo.notifications.models import DigestItem, OutboundEmail
from epmo.notifications.publishing import publish
from tests.conftest import Clients
from tests.notifications.conftest import Inbox, configure, free_port
from tests.world import World

API = "/api/v1"


def _event(db: Session, world: World, project: int, title: str, *users: str) -> list[int]:
    event = publish(db, kind="change.created", title=title, body="Milestone M1 moved",
                    link=f"/projects/{project}", payload={},
                    targets=[("project", project)], recipients=[world.users[u] for u in users])
    db.flush()
    query = select(OutboundEmail.id).where(OutboundEmail.event_id == event.id)
    return list(db.scalars(query.order_by(OutboundEmail.id)))


def _email(db: Session, email_id: int) -> OutboundEmail:
    db.expire_all()
    found = db.get(OutboundEmail, email_id)
    assert found is not None
    return found


def test_immediate_email_over_real_smtp(
        db: Session, world: World, it_project: int, smtp_server: tuple[int, Inbox],
        settings_env: pytest.MonkeyPatch) -> None:
    port, inbox = smtp_server
    configure(settings_env, smtp_host="127.0.0.1", smtp_port=port, smtp_from="hub@epmo.test",
              public_url="https://epmo.example.org", mail_sink_dir="")
    [email_id] = _event(db, world, it_project, "Date moved", "it_pm")
    assert deliver_email_now(email_id) == "delivered"
    [envelope] = inbox.messages
    assert envelope.mail_from == "hub@epmo.test" and envelope.rcpt_tos == [world.email("it_pm")]
    message = message_from_bytes(envelope.original_content or b"")
    assert message["Subject"] == "Date moved"
    text = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "Milestone M1 moved" in text
    assert f"https://epmo.example.org/projects/{it_project}" in text
    row = _email(db, email_id)
    assert (row.status, row.attempts, row.last_error) == ("delivered", 1, "")


def test_unreachable_smtp_is_retried_then_failed(
        db: Session, world: World, it_project: int, settings_env: pytest.MonkeyPatch) -> None:
    configure(settings_env, smtp_host="127.0.0.1", smtp_port=free_port(), mail_sink_dir="",
              mail_max_attempts=2, mail_retry_base_seconds=60)
    [email_id] = _event(db, world, it_project, "Date moved", "it_pm")
    now = utcnow()
    assert deliver_email_now(email_id, now) == "pending"
    row = _email(db, email_id)
    assert "Connection refused" in row.last_error or "Errno" in row.last_error
    assert row.next_attempt_at is not None
    assert deliver_email_now(email_id, now + timedelta(seconds=59)) is None
    assert deliver_email_now(email_id, now + timedelta(seconds=60)) == "failed"
    assert _email(db, email_id).attempts == 2


def test_no_mail_configured_is_a_clear_error(
        db: Session, world: World, it_project: int, settings_env: pytest.MonkeyPatch) -> None:
    configure(settings_env, smtp_host="", mail_sink_dir="", mail_max_attempts=1)
    [email_id] = _event(db, world, it_project, "Date moved", "it_pm")
    assert deliver_email_now(email_id) == "failed"
    assert "EPMO_SMTP_HOST" in _email(db, email_id).last_error


def test_sink_folder_and_the_digest(
        as_: Clients, db: Session, world: World, it_project: int, tmp_path: Path,
        settings_env: pytest.MonkeyPatch) -> None:
    configure(settings_env, mail_sink_dir=tmp_path / "sink")
    for user, mode in (("it_viewer", "digest"), ("it_member", "digest")):
        as_(user).put(f"{API}/notification-preferences", json={"email_mode": mode})
    assert _event(db, world, it_project, "First change", "it_viewer", "it_member") == []
    [immediate] = _event(db, world, it_project, "Second change", "it_viewer", "it_pm")
    as_("it_member").put(f"{API}/notification-preferences", json={"email_mode": "off"})
    digests = send_digests()
    assert len(digests) == 1  # it_member turned e-mail off meanwhile: no digest for them
    assert send_digests() == []  # nothing is sent twice
    digest = _email(db, digests[0])
    assert (digest.kind, digest.address) == ("digest", world.email("it_viewer"))
    assert digest.subject == "epmo digest: 2 updates"
    assert digest.body.index("First change") < digest.body.index("Second change")
    assert deliver_email_now(digests[0]) == "delivered" and deliver_email_now(immediate) == "delivered"
    files = sorted((tmp_path / "sink").glob("*.eml"))
    assert len(files) == 2
    subjects = {message_from_bytes(f.read_bytes())["Subject"] for f in files}
    assert subjects == {"epmo digest: 2 updates", "Second change"}
    assert db.scalars(select(DigestItem).where(DigestItem.email_id.is_(None))).all() == []


def test_development_defaults_to_the_sink() -> None:
    dev = Settings(env="development")
    assert dev.mail_sink_dir == "mail-sink"
    assert Settings(env="development", smtp_host="mail.example.org").mail_sink_dir == ""
    assert Settings(env="production", secret_key="x" * 40).mail_sink_dir == ""

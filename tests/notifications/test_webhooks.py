"""Webhooks: the API, signed posts to a real local receiver, retries, failure, redelivery."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.db import utcnow
from epmo.jobs import deliver_email, deliver_webhook, huey
from epmo.notifications.delivery import backoff, deliver_due, deliver_webhook_now
from epmo.notifications.models import WebhookDelivery
from epmo.notifications.publishing import publish
from tests.conftest import Clients
from tests.notifications.conftest import Receiver, configure, free_port
from tests.world import World

API = "/api/v1"


def _create(as_: Clients, user: str, url: str, **extra: Any) -> dict[str, Any]:
    r = as_(user).post(f"{API}/webhooks", json={"name": f"{user} hook", "url": url, **extra})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def _log(as_: Clients, hook: dict[str, Any], user: str = "admin") -> list[dict[str, Any]]:
    r = as_(user).get(f"{API}/webhooks/{hook['id']}/deliveries")
    assert r.status_code == 200, r.text
    return r.json()["items"]  # type: ignore[no-any-return]


def _verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What a receiver does (the snippet in docs/notifications.md)."""
    message = headers["x-epmo-timestamp"].encode() + b"." + body
    expected = "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["x-epmo-signature"])


def test_signed_post_retried_after_a_500_then_delivered(
        as_: Clients, db: Session, world: World, it_project: int, receiver: Receiver,
        settings_env: pytest.MonkeyPatch) -> None:
    configure(settings_env, webhook_retry_base_seconds=30, webhook_max_attempts=3)
    hook = _create(as_, "it_lead", receiver.url, event_types=["change.*"])
    assert hook["secret"].startswith("whsec_")
    event = publish(db, kind="change.created", title="Date moved", body="", link="/x",
                    payload={"days": 3}, targets=[("project", it_project)])
    db.flush()
    delivery = _log(as_, hook, "it_lead")[0]
    receiver.script = [500]
    t0 = utcnow()
    assert deliver_webhook_now(delivery["id"], t0) == "pending"
    first = _log(as_, hook)[0]
    assert first["attempts"] == 1 and first["response_code"] == 500
    assert "500" in first["last_error"]
    assert deliver_webhook_now(delivery["id"], t0 + timedelta(seconds=29)) is None  # not due
    assert deliver_webhook_now(delivery["id"], t0 + timedelta(seconds=30)) == "delivered"
    done = _log(as_, hook)[0]
    assert (done["status"], done["attempts"], done["response_code"]) == ("delivered", 2, 200)
    assert len(receiver.got) == 2
    got = receiver.got[-1]
    assert _verify(hook["secret"], got.headers, got.body)
    assert not _verify("whsec_wrong", got.headers, got.body)
    assert got.headers["x-epmo-event"] == "change.created"
    assert got.headers["x-epmo-delivery"] == str(delivery["id"])
    assert got.json()["id"] == event.id and got.json()["data"] == {"days": 3}
    assert set(got.json()) >= {"id", "kind", "created_at", "data"}


def test_unreachable_target_is_retried_then_failed_then_redelivered(
        as_: Clients, db: Session, it_project: int, receiver: Receiver,
        settings_env: pytest.MonkeyPatch) -> None:
    configure(settings_env, webhook_retry_base_seconds=10, webhook_max_attempts=3,
              webhook_timeout_seconds=5)
    hook = _create(as_, "admin", f"http://127.0.0.1:{free_port()}/gone")
    publish(db, kind="change.created", title="t", body="", link="", payload={},
            targets=[("project", it_project)])
    db.flush()
    row = _log(as_, hook)[0]
    now = utcnow()
    statuses = []
    for _ in range(3):
        statuses.append(deliver_webhook_now(row["id"], now))
        now += backoff(10, len(statuses))
    assert statuses == ["pending", "pending", "failed"]
    failed = _log(as_, hook)[0]
    assert failed["attempts"] == 3 and failed["response_code"] is None
    assert failed["last_error"] == "connection failed"
    assert deliver_webhook_now(row["id"], now + timedelta(days=2)) is None  # failed stays failed
    # the owner points the hook at a live receiver and redelivers the same payload
    r = as_("admin").patch(f"{API}/webhooks/{hook['id']}",
                           json={"version": hook["version"], "url": receiver.url})
    assert r.status_code == 200, r.text
    again = as_("admin").post(f"{API}/webhook-deliveries/{row['id']}/redeliver")
    assert again.status_code == 202, again.text
    assert again.json()["id"] != row["id"] and again.json()["payload"] == failed["payload"]
    assert deliver_webhook_now(again.json()["id"]) == "delivered"
    assert receiver.got[0].json() == failed["payload"]
    assert [d["status"] for d in _log(as_, hook)] == ["delivered", "failed"]


def test_ping_is_queued_after_commit_and_swept(as_: Clients, receiver: Receiver) -> None:
    hook = _create(as_, "admin", receiver.url)
    huey.flush()
    r = as_("admin").post(f"{API}/webhooks/{hook['id']}/test")
    assert r.status_code == 202 and r.json()["event_kind"] == "ping"
    queued = [(t.name, t.args) for t in huey.pending()]
    assert ("epmo.deliver_webhook", (r.json()["id"],)) in queued
    huey.flush()
    assert deliver_due() == {"delivered": 1}
    assert receiver.got[0].json()["kind"] == "ping"


@pytest.mark.parametrize("url", ["ftp://example.org/x", "example.org/hook", "http:///nohost",
                                 "javascript:alert(1)", "http://[::1"])
def test_bad_url_is_a_field_error(as_: Clients, url: str) -> None:
    r = as_("admin").post(f"{API}/webhooks", json={"name": "bad", "url": url})
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["url"]


def test_who_manages_which_webhooks(as_: Clients, receiver: Receiver) -> None:
    mine = _create(as_, "it_lead", receiver.url)
    theirs = _create(as_, "fin_lead", receiver.url)
    assert "secret" not in as_("it_lead").get(f"{API}/webhooks/{mine['id']}").json()
    listed = as_("it_lead").get(f"{API}/webhooks").json()["items"]
    assert [h["id"] for h in listed] == [mine["id"]]
    assert {theirs["id"], mine["id"]} <= {h["id"] for h in as_("admin").get(
        f"{API}/webhooks").json()["items"]}
    assert as_("it_lead").get(f"{API}/webhooks/{theirs['id']}").status_code == 404
    assert as_("it_lead").get(f"{API}/webhooks/{theirs['id']}/deliveries").status_code == 404
    assert as_("it_pm").get(f"{API}/webhooks").status_code == 403
    assert as_("it_pm").post(f"{API}/webhooks", json={"name": "x", "url": receiver.url}
                             ).status_code == 403
    stale = as_("it_lead").patch(f"{API}/webhooks/{mine['id']}",
                                 json={"version": 99, "active": False})
    assert stale.status_code == 409
    off = as_("it_lead").patch(f"{API}/webhooks/{mine['id']}",
                               json={"version": mine["version"], "active": False})
    assert off.status_code == 200 and off.json()["active"] is False
    assert as_("it_lead").post(f"{API}/webhooks/{mine['id']}/test").status_code == 422
    gone = as_("it_lead").delete(f"{API}/webhooks/{mine['id']}",
                                 params={"version": off.json()["version"]})
    assert gone.status_code == 204
    assert as_("it_lead").get(f"{API}/webhooks/{mine['id']}").status_code == 404


def test_switched_off_webhook_fails_its_pending_deliveries(
        as_: Clients, db: Session, it_project: int, receiver: Receiver) -> None:
    hook = _create(as_, "admin", receiver.url)
    publish(db, kind="change.created", title="t", body="", link="", payload={},
            targets=[("project", it_project)])
    db.flush()
    row = _log(as_, hook)[0]
    as_("admin").patch(f"{API}/webhooks/{hook['id']}",
                       json={"version": hook["version"], "active": False})
    assert deliver_webhook_now(row["id"]) is None
    assert _log(as_, hook)[0]["status"] == "failed" and receiver.got == []
    assert db.scalar(select(WebhookDelivery.last_error).where(
        WebhookDelivery.id == row["id"])) == "the webhook is switched off"


def test_delivery_tasks_are_registered_and_the_sweep_runs_every_minute() -> None:
    periodic = {task.name for task in huey._registry.periodic_tasks}
    assert {"epmo.sweep_outbox", "epmo.send_digests", "epmo.daily"} <= periodic
    assert (deliver_email.name, deliver_webhook.name) == ("epmo.deliver_email",
                                                          "epmo.deliver_webhook")

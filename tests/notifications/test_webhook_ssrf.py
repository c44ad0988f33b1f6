"""Webhook SSRF: hostile URLs are refused when saved and when delivered; errors stay generic."""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo import addresses
from epmo.notifications import webhooks
from epmo.notifications.delivery import deliver_webhook_now
from epmo.notifications.models import Webhook, WebhookDelivery
from epmo.notifications.publishing import publish
from tests.conftest import Clients
from tests.notifications.conftest import Receiver, configure, free_port
from tests.web.helpers import login
from tests.world import World

API = "/api/v1"

HOSTILE = [
    "http://127.0.0.1/hook", "http://127.0.0.1./hook", "http://localhost:8080/hook",
    "http://LOCALHOST/hook", "http://api.localhost/hook", "http://[::1]/hook",
    "http://169.254.169.254/latest/meta-data/", "http://metadata.google.internal/x",
    "http://metadata/x", "http://instance-data/latest", "http://10.1.2.3/hook",
    "http://172.16.0.9/hook", "http://172.31.255.1/hook", "http://192.168.1.10/hook",
    "http://[fc00::1]/hook", "http://[fd12:3456::1]/hook", "http://[fe80::1]/hook",
    "http://100.64.0.1/hook", "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:169.254.169.254]/hook", "http://[64:ff9b::a9fe:a9fe]/hook",
    "http://[2002:7f00:1::]/hook", "http://0.0.0.0/hook", "http://[::]/hook",
    "http://224.0.0.1/hook", "http://2130706433/hook", "http://0x7f.1/hook",
    "http://0x7f000001/hook", "http://017700000001/hook", "http://127.1/hook",
    "http://0251.0376.0251.0376/hook", "http://999999999999/hook",
    "https://user:pass@hooks.example.org/hook", "https://user@hooks.example.org/hook",
    "https://:secret@hooks.example.org/hook",
]


@pytest.fixture
def no_allowance(settings_env: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Production-like: no host may be private."""
    configure(settings_env, webhook_allowed_hosts="")
    return settings_env


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_url_is_refused_on_create_and_update(
        as_: Clients, no_allowance: pytest.MonkeyPatch, url: str) -> None:
    r = as_("admin").post(f"{API}/webhooks", json={"name": "evil", "url": url})
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["url"]
    good = as_("admin").post(f"{API}/webhooks",
                             json={"name": "ok", "url": "https://hooks.example.org/epmo"})
    assert good.status_code == 201, good.text
    r = as_("admin").patch(f"{API}/webhooks/{good.json()['id']}",
                           json={"version": good.json()["version"], "url": url})
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["url"]


@pytest.mark.parametrize("url", ["https://hooks.example.org/epmo", "http://93.184.216.34:8080/x",
                                 "https://[2606:2800:220:1::1]/x"])
def test_public_urls_are_accepted(as_: Clients, no_allowance: pytest.MonkeyPatch,
                                  url: str) -> None:
    r = as_("admin").post(f"{API}/webhooks", json={"name": "fine", "url": url})
    assert r.status_code == 201, r.text


def test_allowance_lets_named_hosts_and_cidrs_be_saved(
        as_: Clients, settings_env: pytest.MonkeyPatch) -> None:
    configure(settings_env, webhook_allowed_hosts="hooks.corp.internal, 10.20.0.0/16")
    for url in ("http://hooks.corp.internal/x", "http://10.20.1.2:9000/x"):
        r = as_("admin").post(f"{API}/webhooks", json={"name": "inside", "url": url})
        assert r.status_code == 201, r.text
    r = as_("admin").post(f"{API}/webhooks", json={"name": "inside", "url": "http://10.21.0.1/"})
    assert r.status_code == 422


def test_bad_allowance_entry_is_refused_at_start(settings_env: pytest.MonkeyPatch) -> None:
    from epmo.config import Settings
    with pytest.raises(ValueError, match="webhook_allowed_hosts"):
        Settings(webhook_allowed_hosts="10.0.0.0/33")


def _hook_and_delivery(as_: Clients, db: Session, project: int, url: str) -> tuple[Any, int]:
    r = as_("admin").post(f"{API}/webhooks", json={"name": "h", "url": url})
    assert r.status_code == 201, r.text
    publish(db, kind="change.created", title="t", body="", link="", payload={},
            targets=[("project", project)])
    db.flush()
    log = as_("admin").get(f"{API}/webhooks/{r.json()['id']}/deliveries").json()["items"]
    return r.json(), int(log[0]["id"])


def _last(as_: Clients, hook: Any) -> dict[str, Any]:
    log = as_("admin").get(f"{API}/webhooks/{hook['id']}/deliveries").json()["items"]
    return log[0]  # type: ignore[no-any-return]


def test_name_resolving_to_loopback_is_blocked_at_delivery(
        as_: Clients, db: Session, it_project: int, receiver: Receiver,
        settings_env: pytest.MonkeyPatch) -> None:
    port = receiver.url.split(":")[2].split("/")[0]
    configure(settings_env, webhook_allowed_hosts="localhost")
    hook, delivery = _hook_and_delivery(as_, db, it_project, f"http://localhost:{port}/hook")
    configure(settings_env, webhook_allowed_hosts="")  # the admin withdraws the allowance
    assert deliver_webhook_now(delivery) == "pending"
    row = _last(as_, hook)
    assert receiver.got == [] and row["last_error"] == "blocked address"
    assert row["response_code"] is None


def test_allowed_name_is_delivered_with_its_own_host_header(
        as_: Clients, db: Session, it_project: int, receiver: Receiver,
        settings_env: pytest.MonkeyPatch) -> None:
    port = receiver.url.split(":")[2].split("/")[0]
    configure(settings_env, webhook_allowed_hosts="localhost")
    _hook, delivery = _hook_and_delivery(as_, db, it_project, f"http://localhost:{port}/hook")
    assert deliver_webhook_now(delivery) == "delivered"
    assert receiver.got[0].headers["host"] == f"localhost:{port}"


def test_connection_goes_to_the_vetted_address_not_a_second_lookup(
        receiver: Receiver, settings_env: pytest.MonkeyPatch) -> None:
    port = int(receiver.url.split(":")[2].split("/")[0])
    allowance = addresses.Allowance.parse("localhost")
    target = addresses.vet(f"http://localhost:{port}/hook", allowance)
    assert target.addresses == ("127.0.0.1",)
    # A name that no resolver knows: reaching the receiver proves the post used the vetted IP.
    rebound = dataclasses.replace(target, host="rebound.invalid")
    answer = webhooks.send(rebound, {"Content-Type": "application/json"}, b"{}", 5)
    assert answer.ok and receiver.got[0].headers["host"] == f"rebound.invalid:{port}"


def test_redirect_is_an_answer_not_followed(settings_env: pytest.MonkeyPatch,
                                            receiver: Receiver) -> None:
    receiver.script = [302]
    answer = webhooks.post(receiver.url, "whsec_x", "ping", 1, {}, 0, 5,
                           addresses.Allowance.parse("127.0.0.1/32"))
    assert (answer.code, answer.error) == (302, "HTTP 302")
    assert len(receiver.got) == 1


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections (backlog) but never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield int(sock.getsockname()[1])


def test_delivery_errors_are_generic(as_: Clients, db: Session, it_project: int,
                                     settings_env: pytest.MonkeyPatch, silent_port: int) -> None:
    configure(settings_env, webhook_allowed_hosts="127.0.0.1/32", webhook_timeout_seconds=0.3)
    gone = free_port()
    cases = [(f"http://127.0.0.1:{gone}/x", "connection failed"),
             (f"http://127.0.0.1:{silent_port}/x", "timed out"),
             ("http://no-such-host.invalid/x", "host not found")]
    for url, expected in cases:
        hook, delivery = _hook_and_delivery(as_, db, it_project, url)
        assert deliver_webhook_now(delivery) == "pending"
        row = _last(as_, hook)
        assert row["last_error"] == expected, row
        assert str(gone) not in row["last_error"] and "127.0.0.1" not in row["last_error"]


def test_ping_error_on_the_page_is_generic(
        app: object, world: World, db: Session, settings_env: pytest.MonkeyPatch) -> None:
    browser = login(app, world, "admin")
    refused = browser.post_form("/webhooks", {"name": "Meta", "url": "http://169.254.169.254/"})
    assert refused.status_code == 422 and 'data-field="url"' in refused.text  # type: ignore[attr-defined]
    configure(settings_env, webhook_allowed_hosts="127.0.0.1/32")
    port = free_port()
    made = browser.post_form("/webhooks", {"name": "Gone", "url": f"http://127.0.0.1:{port}/"})
    assert made.status_code == 201  # type: ignore[attr-defined]
    hook = db.scalars(select(Webhook).where(Webhook.name == "Gone")).one()
    browser.post_form(f"/webhooks/{hook.id}/test", {})
    delivery = db.scalar(select(WebhookDelivery.id).where(WebhookDelivery.webhook_id == hook.id))
    assert delivery is not None and deliver_webhook_now(delivery) == "pending"
    page = browser.client.get(f"/webhooks/{hook.id}").text
    assert "connection failed" in page
    assert "Errno" not in page and "refused" not in page.lower()

"""publish(): the event is kept; inboxes, e-mail and webhooks get it only where access allows."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.notifications.models import (
    DigestItem,
    Event,
    Notification,
    OutboundEmail,
    Subscription,
    Webhook,
    WebhookDelivery,
)
from epmo.notifications.publishing import kind_matches, publish
from tests.conftest import Clients
from tests.world import World

API = "/api/v1"


def _subscribe(as_: Clients, user: str, kind: str, ident: int,
               types: list[str] | None = None) -> None:
    body = {"target_kind": kind, "target_id": ident, "event_types": types or []}
    r = as_(user).post(f"{API}/subscriptions", json=body)
    assert r.status_code == 201, r.text


def _hook(db: Session, world: World, owner: str, types: list[str]) -> int:
    hook = Webhook(name=f"{owner} hook", url="http://127.0.0.1:9/x", secret="s",
                   event_types=types, active=True, owner_id=world.users[owner])
    db.add(hook)
    db.flush()
    return hook.id


def _publish(db: Session, world: World, project: int, recipients: list[str]) -> Event:
    return publish(db, kind="change.created", title="Date moved", body="M1 moved by 10 days",
                   link=f"/projects/{project}", payload={"days": 10},
                   targets=[("project", project)],
                   recipients=[world.users[u] for u in recipients])


def _inboxes(db: Session, event: Event) -> set[int]:
    query = select(Notification.user_id).where(Notification.key == f"event:{event.id}")
    return set(db.scalars(query))


def test_recipients_and_subscribers_who_may_read_get_it(
        as_: Clients, db: Session, world: World, it_project: int) -> None:
    _subscribe(as_, "it_viewer", "project", it_project, ["change.*"])
    _subscribe(as_, "it_member", "department", world.departments["IT"])
    _subscribe(as_, "exec", "project", it_project, ["report.submitted"])  # another kind
    _subscribe(as_, "hr_viewer", "department", world.departments["HR"])  # another target
    event = _publish(db, world, it_project, ["it_pm", "fin_pm"])
    users = {v: k for k, v in world.users.items()}
    assert {users[u] for u in _inboxes(db, event)} == {"it_pm", "it_viewer"}
    # fin_pm was named but may not read an IT project: nothing for them
    stored = db.get(Event, event.id)
    assert stored is not None and stored.subject_kind == "project"
    assert stored.payload == {"days": 10}
    r = as_("it_viewer").get(f"{API}/notifications/unread-count")
    assert r.json() == {"unread": 1}


def test_department_subscription_reaches_department_events(
        as_: Clients, db: Session, world: World) -> None:
    _subscribe(as_, "it_member", "department", world.departments["IT"])
    event = publish(db, kind="compliance.changed", title="IT fell below the minimum", body="",
                    link="/compliance", payload={}, targets=[("department",
                                                              world.departments["IT"])])
    assert _inboxes(db, event) == {world.users["it_member"]}


def test_email_follows_each_preference(as_: Clients, db: Session, world: World,
                                       it_project: int) -> None:
    for user, mode in (("it_viewer", "digest"), ("it_member", "off")):
        r = as_(user).put(f"{API}/notification-preferences", json={"email_mode": mode})
        assert r.status_code == 200 and r.json() == {"email_mode": mode}
    event = _publish(db, world, it_project, ["it_pm", "it_viewer", "it_member"])
    emails = list(db.scalars(select(OutboundEmail).where(OutboundEmail.event_id == event.id)))
    assert [(e.user_id, e.address, e.kind) for e in emails] == [
        (world.users["it_pm"], world.email("it_pm"), "immediate")]
    assert "M1 moved by 10 days" in emails[0].body and f"/projects/{it_project}" in emails[0].body
    items = db.scalars(select(DigestItem.user_id).where(DigestItem.event_id == event.id))
    assert list(items) == [world.users["it_viewer"]]
    assert as_("it_pm").get(f"{API}/notification-preferences").json() == {
        "email_mode": "immediate"}


def test_webhooks_get_what_their_owner_may_read(db: Session, world: World,
                                                it_project: int) -> None:
    wanted = {_hook(db, world, "admin", []), _hook(db, world, "it_lead", ["change.*"])}
    _hook(db, world, "fin_lead", [])  # may not read the IT project
    _hook(db, world, "it_lead", ["report.*"])  # wants other kinds
    event = _publish(db, world, it_project, [])
    deliveries = list(db.scalars(select(WebhookDelivery).where(
        WebhookDelivery.event_id == event.id)))
    assert {d.webhook_id for d in deliveries} == wanted
    body = deliveries[0].payload
    assert body["id"] == event.id and body["kind"] == "change.created"
    assert body["data"] == {"days": 10} and body["targets"] == [
        {"kind": "project", "id": it_project}]
    assert all(d.status == "pending" and d.attempts == 0 for d in deliveries)


def test_subscriptions_are_mine_and_only_to_what_i_may_read(
        as_: Clients, world: World, it_project: int) -> None:
    r = as_("fin_pm").post(f"{API}/subscriptions", json={
        "target_kind": "project", "target_id": it_project})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "target_id"
    r = as_("it_pm").post(f"{API}/subscriptions", json={
        "target_kind": "team", "target_id": 1})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "target_kind"
    _subscribe(as_, "it_pm", "project", it_project)
    again = as_("it_pm").post(f"{API}/subscriptions", json={
        "target_kind": "project", "target_id": it_project})
    assert again.status_code == 409
    mine = as_("it_pm").get(f"{API}/subscriptions").json()
    assert [(s["target_kind"], s["target_id"]) for s in mine] == [("project", it_project)]
    assert as_("it_lead").get(f"{API}/subscriptions").json() == []
    assert as_("it_lead").delete(f"{API}/subscriptions/{mine[0]['id']}").status_code == 404
    assert as_("it_pm").delete(f"{API}/subscriptions/{mine[0]['id']}").status_code == 204
    assert as_("it_pm").get(f"{API}/subscriptions").json() == []


def test_bad_events_are_refused_by_the_publisher(db: Session) -> None:
    with pytest.raises(ValueError, match="kind"):
        publish(db, kind="Not a kind", title="x", body="", link="", payload={}, targets=[])
    with pytest.raises(ValueError, match="targets"):
        publish(db, kind="x.y", title="x", body="", link="", payload={}, targets=[("team", 1)])


@pytest.mark.parametrize(("patterns", "kind", "expected"), [
    ([], "change.created", True), (["change.created"], "change.created", True),
    (["change.*"], "change.created", True), (["change.*"], "changes.created", False),
    (["report.submitted"], "change.created", False)])
def test_kind_patterns(patterns: list[str], kind: str, expected: bool) -> None:
    assert kind_matches(patterns, kind) is expected


def test_named_recipients_of_untargeted_events_get_them(db: Session, world: World) -> None:
    event = publish(db, kind="system.notice", title="Maintenance tonight", body="", link="",
                    payload={}, targets=[], recipients=[world.users["it_member"]])
    assert _inboxes(db, event) == {world.users["it_member"]}
    assert db.scalars(select(Subscription)).all() == []

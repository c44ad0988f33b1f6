"""A dependency accepted (or removed) that moves implied dates is a change like any other:
recorded as a change event with its impacts and pending responses, and told downstream."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.network.models import ChangeEvent, ChangeImpact, ChangeResponse
from epmo.network.nodes import project_node
from epmo.notifications.models import Notification
from tests.network.conftest import API, Net
from tests.web.helpers import login
from tests.world import World


def _propose(net: Net, user: str, pred: str, succ: str, **extra: object) -> dict[str, object]:
    r = net.as_(user).post(f"{API}/dependencies", json={
        "predecessor_project_id": net.projects[pred]["id"],
        "successor_project_id": net.projects[succ]["id"], "type": "FS"} | extra)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def _events(db: Session) -> list[ChangeEvent]:
    db.expire_all()
    return list(db.scalars(select(ChangeEvent).order_by(ChangeEvent.id)))


def _told(db: Session, event: ChangeEvent) -> set[int]:
    return set(db.scalars(select(Notification.user_id).where(
        Notification.kind == "change.created", Notification.link == f"/change-events/{event.id}")))


def _b_behind_c(net: Net) -> None:
    """B -> C, made by the admin (no slip: C starts the day after B's finish)."""
    _propose(net, "admin", "B", "C")


def test_accepting_a_dependency_that_pushes_records_and_tells(net: Net, db: Session,
                                                             world: World) -> None:
    _b_behind_c(net)
    assert _events(db) == []
    # Finance's B proposes to wait for IT's A; IT's manager accepts.
    dep = _propose(net, "fin_pm", "A", "B")
    assert dep["status"] == "proposed"
    r = net.as_("it_pm").post(f"{API}/dependencies/{dep['id']}/accept",
                              json={"comment": "fine"})
    assert r.status_code == 200, r.text
    [event] = _events(db)
    b, c = net.projects["B"]["id"], net.projects["C"]["id"]
    # B (5 Jan - 30 Apr, 115 days) now starts when A finishes, 31 March: it ends 24 July.
    assert (event.source, event.project_id, event.field) == ("dependency", b, "implied_finish")
    assert (event.old_date, event.new_date, event.delta_days) == (
        date(2027, 4, 30), date(2027, 7, 24), 85)
    assert event.actor_id == world.users["it_pm"] and event.status == "open"
    assert "NET-A" in event.reason and "NET-B" in event.reason
    assert event.reason.endswith(f"accepted by {event.actor_label}")
    impacts = {row.project_id: row.slip_days for row in db.scalars(
        select(ChangeImpact).where(ChangeImpact.event_id == event.id))}
    assert impacts == {b: 85, c: 84}  # C (1 - 31 May) follows B
    paths = {row.project_id: row.path for row in db.scalars(
        select(ChangeImpact).where(ChangeImpact.event_id == event.id))}
    a_node, b_node, c_node = (project_node(net.projects[k]["id"]) for k in "ABC")
    assert paths == {b: [a_node, b_node], c: [a_node, b_node, c_node]}
    assert event.impact["moved"] == 2 and event.impact["max_slip"] == 85
    responses = db.scalars(select(ChangeResponse.department_id).where(
        ChangeResponse.event_id == event.id)).all()
    assert responses == [world.departments["FIN"]]
    told = _told(db, event)
    assert {world.users["fin_pm"], world.users["fin_lead"]} <= told
    assert world.users["it_pm"] not in told and world.users["hr_viewer"] not in told
    # The event reads like any other, and Finance answers it.
    shown = net.as_("fin_pm").get(f"{API}/change-events/{event.id}")
    assert shown.status_code == 200, shown.text
    assert shown.json()["source"] == "dependency"
    page = net.as_("fin_pm").get(f"/change-events/{event.id}")
    assert page.status_code == 200 and "implied finish" in page.text
    r = net.as_("fin_pm").post(f"{API}/change-events/{event.id}/respond",
                               json={"response": "replan", "comment": "new plan in May"})
    assert r.status_code == 200 and r.json()["status"] == "closed"


def test_accepting_on_the_page_records_the_event(net: Net, db: Session, app: object,
                                                 world: World) -> None:
    dep = _propose(net, "it_pm", "A", "B")
    fin_pm = login(app, world, "fin_pm")
    r = fin_pm.post_form(f"/dependencies/{dep['id']}/accept", {"comment": "ok"})
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    [event] = _events(db)
    assert (event.source, event.delta_days, event.actor_id) == (
        "dependency", 85, world.users["fin_pm"])
    # The acceptor is not told of their own act; IT's side (A) did not move: nobody there.
    told = _told(db, event)
    assert world.users["fin_lead"] in told
    assert not told & {world.users["fin_pm"], world.users["it_pm"], world.users["it_lead"]}


def test_accepting_with_slack_records_nothing(net: Net, db: Session) -> None:
    dep = _propose(net, "it_pm", "A", "B", type="SS")  # B starts after A's start already
    r = net.as_("fin_pm").post(f"{API}/dependencies/{dep['id']}/accept", json={})
    assert r.status_code == 200, r.text
    assert _events(db) == []


def test_a_link_accepted_at_once_records_the_event(net: Net, db: Session,
                                                   world: World) -> None:
    _propose(net, "admin", "A", "B", lag_days=10)
    [event] = _events(db)
    assert (event.source, event.delta_days) == ("dependency", 95)
    assert "lag +10 days" in event.reason and "accepted (owner of both ends)" in event.reason
    assert {world.users["fin_pm"], world.users["fin_lead"]} <= _told(db, event)


def test_removing_a_link_that_pushed_records_the_pull_in(net: Net, db: Session,
                                                         world: World) -> None:
    _b_behind_c(net)
    dep = _propose(net, "admin", "A", "B")
    r = net.as_("it_pm").delete(f"{API}/dependencies/{dep['id']}",
                                params={"version": dep["version"]})
    assert r.status_code == 204, r.text
    accepted, removed = _events(db)
    assert (removed.source, removed.delta_days) == ("dependency", -85)
    assert (removed.old_date, removed.new_date) == (date(2027, 7, 24), date(2027, 4, 30))
    assert removed.reason.endswith(f"removed by {removed.actor_label}")
    assert removed.impact["moved"] == 2
    assert accepted.delta_days == 85
    assert world.users["fin_lead"] in _told(db, removed)

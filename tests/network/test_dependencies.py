"""Dependencies: the handshake, cycles, and bad links."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from epmo.network.models import Dependency
from epmo.notifications.models import Notification
from tests.network.conftest import API, Net
from tests.world import World


def test_proposal_waits_for_the_other_side(net: Net, db: Session, world: World) -> None:
    r = net.link("it_pm", "A1", "B1", type="FS", lag_days=2, note="needs the ledger",
                 criticality="high")
    assert r.status_code == 201, r.text
    dep = r.json()
    assert (dep["status"], dep["proposed_side"], dep["cross_department"]) == (
        "proposed", "predecessor", True)
    assert dep["predecessor"]["name"] == "Milestone A1"
    # The successor's owners hear about it.
    told = db.scalars(select(Notification.user_id).where(
        Notification.kind == "dependency.proposed")).all()
    assert world.users["fin_pm"] in told and world.users["fin_lead"] in told
    assert world.users["it_pm"] not in told
    # The proposer's side may not accept its own proposal.
    r = net.as_("it_pm").post(f"{API}/dependencies/{dep['id']}/accept", json={})
    assert r.status_code == 403
    r = net.as_("fin_pm").post(f"{API}/dependencies/{dep['id']}/accept",
                               json={"comment": "agreed"})
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["response_comment"]) == ("accepted", "agreed")
    assert r.json()["responded_by_id"] == world.users["fin_pm"]
    again = net.as_("fin_pm").post(f"{API}/dependencies/{dep['id']}/accept", json={})
    assert again.status_code == 409


def test_successor_side_may_propose(net: Net) -> None:
    r = net.link("fin_pm", "A1", "B1")
    assert r.status_code == 201, r.text
    dep = r.json()
    assert (dep["status"], dep["proposed_side"]) == ("proposed", "successor")
    r = net.as_("fin_lead").post(f"{API}/dependencies/{dep['id']}/accept", json={})
    assert r.status_code == 403  # Finance proposed; only IT's side answers
    r = net.as_("it_lead").post(f"{API}/dependencies/{dep['id']}/accept", json={})
    assert r.status_code == 200, r.text


def test_decline_needs_a_comment(net: Net, db: Session, world: World) -> None:
    dep = net.link("it_pm", "A1", "B1").json()
    r = net.as_("fin_lead").post(f"{API}/dependencies/{dep['id']}/decline", json={})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "comment"
    r = net.as_("fin_lead").post(f"{API}/dependencies/{dep['id']}/decline",
                                 json={"comment": "we do not need it"})
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["response_comment"]) == ("declined",
                                                                 "we do not need it")
    told = db.scalars(select(Notification.user_id).where(
        Notification.kind == "dependency.declined")).all()
    assert world.users["it_pm"] in told


def test_owner_of_both_ends_links_at_once(net: Net) -> None:
    r = net.link("fin_pm", "B1", "C1")
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "accepted"


def test_readers_without_ownership_may_not_propose(net: Net) -> None:
    assert net.link("it_viewer", "A1", "B1").status_code == 403
    assert net.link("it_member", "A1", "B1").status_code == 403


def test_cycle_is_refused_and_named(chain: Net) -> None:
    r = chain.link("admin", "C1", "A1")
    assert r.status_code == 409, r.text
    body = r.json()
    assert "Milestone A1" in body["detail"] and " -> " in body["detail"]
    # The new link first: C1 -> A1, then back through the accepted ones.
    assert body["cycle"] == [f"M{chain.m('C1')}", f"M{chain.m('A1')}", f"M{chain.m('B1')}",
                             f"M{chain.m('C1')}"]


def test_cycle_is_refused_on_accept_too(chain: Net) -> None:
    r = chain.link("admin", "A1", "C1")  # a shortcut, not a cycle
    assert r.status_code == 201, r.text
    r = chain.as_("admin").post(f"{API}/dependencies", json={
        "predecessor_project_id": chain.projects["C"]["id"],
        "successor_project_id": chain.projects["A"]["id"]})
    assert r.status_code == 201  # project ends are not yet in the network: no cycle
    # Finance proposes C1 -> A1 to IT: refused at once, the accepted chain closes the cycle.
    assert chain.link("fin_pm", "C1", "A1").status_code == 409


def test_bad_links(net: Net, db: Session) -> None:
    before = db.scalar(select(func.count()).select_from(Dependency))
    r = net.link("admin", "A1", "A1")
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "successor_milestone_id"
    r = net.as_("admin").post(f"{API}/dependencies", json={
        "predecessor_milestone_id": net.m("A1"), "successor_milestone_id": 999_999})
    assert r.status_code == 404
    assert r.json()["errors"][0]["field"] == "successor_milestone_id"
    r = net.as_("admin").post(f"{API}/dependencies", json={
        "predecessor_milestone_id": net.m("A1"), "predecessor_project_id": 1,
        "successor_milestone_id": net.m("B1")})
    assert r.status_code == 422
    r = net.link("admin", "A1", "B1", lag_days=99_999)
    assert r.status_code == 422
    r = net.link("admin", "A1", "B1", type="XX")
    assert r.status_code == 422
    # Finance's private project C is invisible to IT's project manager.
    r = net.link("it_pm", "A1", "C1")
    assert r.status_code == 404
    assert r.json()["errors"][0]["field"] == "successor_milestone_id"
    assert db.scalar(select(func.count()).select_from(Dependency)) == before


def test_duplicate_is_a_conflict(net: Net) -> None:
    net.accepted("A1", "B1")
    assert net.link("admin", "A1", "B1").status_code == 409


def test_project_ends(net: Net) -> None:
    r = net.as_("admin").post(f"{API}/dependencies", json={
        "predecessor_project_id": net.projects["A"]["id"],
        "successor_milestone_id": net.m("B1"), "type": "FS"})
    assert r.status_code == 201, r.text
    assert r.json()["predecessor"]["kind"] == "project"


def test_list_filters_and_access(chain: Net, world: World) -> None:
    net = chain
    net.link("it_pm", "A1", "C1")  # refused: invisible
    items = net.as_("it_pm").get(f"{API}/dependencies").json()["items"]
    assert len(items) == 2  # A1->B1 and B1->C1 (B readable through participation)
    cross = net.as_("admin").get(f"{API}/dependencies",
                                 params={"cross_department": "true"}).json()
    assert cross["total"] == 1
    fin = net.as_("admin").get(f"{API}/dependencies", params={
        "department_id": world.departments["FIN"], "status": "accepted"}).json()
    assert fin["total"] == 2
    assert net.as_("hr_viewer").get(f"{API}/dependencies").json()["total"] == 0
    dep = items[0]
    assert net.as_("hr_viewer").get(f"{API}/dependencies/{dep['id']}").status_code == 404


def test_delete_needs_ownership_and_version(chain: Net) -> None:
    dep = chain.as_("admin").get(f"{API}/dependencies").json()["items"][0]
    url = f"{API}/dependencies/{dep['id']}"
    assert chain.as_("it_viewer").delete(url, params={"version": dep["version"]}).status_code \
        in (403, 404)
    assert chain.as_("admin").delete(url, params={"version": 99}).status_code == 409
    assert chain.as_("admin").delete(url, params={"version": dep["version"]}).status_code == 204

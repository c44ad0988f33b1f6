"""Deleting a milestone or project never silently drops another project's dependency on it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from epmo.network.models import Dependency
from epmo.notifications.models import Notification
from tests.network.conftest import API, Net
from tests.web.helpers import login
from tests.world import World


def _milestone_url(net: Net, key: str) -> str:
    return f"{API}/projects/{net.milestones[key]['project_id']}/milestones/{net.m(key)}"


def _version(net: Net, url: str) -> int:
    return int(net.as_("admin").get(url).json()["version"])


def _delete(net: Net, user: str, url: str) -> Any:
    return net.as_(user).delete(url, params={"version": _version(net, url)})


def test_accepted_cross_department_link_blocks_milestone_delete(net: Net, db: Session) -> None:
    dep = net.accepted("A1", "B1")
    r = _delete(net, "it_pm", _milestone_url(net, "A1"))
    assert r.status_code == 409, r.text
    problem = r.json()
    assert f"#{dep['id']}" in problem["detail"] and "Finance" in problem["detail"]
    assert problem["errors"][0]["field"] == "dependencies"
    assert problem["dependencies"] == [{"id": dep["id"], "project": "NET-B",
                                        "department": "Finance"}]
    assert db.get(Dependency, dep["id"]) is not None
    # The successor side is blocked the same way, and so is deleting the whole project.
    assert _delete(net, "fin_pm", _milestone_url(net, "B1")).status_code == 409
    project_url = f"{API}/projects/{net.projects['A']['id']}"
    assert _delete(net, "admin", project_url).status_code == 409
    # Once the dependency is removed, the milestone goes.
    gone = net.as_("it_pm").delete(f"{API}/dependencies/{dep['id']}",
                                   params={"version": dep["version"]})
    assert gone.status_code == 204
    assert _delete(net, "it_pm", _milestone_url(net, "A1")).status_code == 204


def test_project_end_link_blocks_project_delete(net: Net) -> None:
    r = net.as_("admin").post(f"{API}/dependencies", json={
        "predecessor_project_id": net.projects["A"]["id"],
        "successor_project_id": net.projects["C"]["id"]})
    assert r.status_code == 201 and r.json()["status"] == "accepted"
    r = _delete(net, "admin", f"{API}/projects/{net.projects['C']['id']}")
    assert r.status_code == 409 and "NET-A" in r.json()["detail"]
    assert "Information Technology" in r.json()["detail"]


def test_proposal_is_withdrawn_and_the_other_side_told(net: Net, db: Session,
                                                       world: World) -> None:
    proposal = net.link("it_pm", "A1", "B1")
    assert proposal.status_code == 201 and proposal.json()["status"] == "proposed"
    assert _delete(net, "it_pm", _milestone_url(net, "A1")).status_code == 204
    assert db.get(Dependency, proposal.json()["id"]) is None
    told = db.scalars(select(Notification).where(
        Notification.kind == "dependency.withdrawn")).all()
    assert {n.user_id for n in told} >= {world.users["fin_pm"], world.users["fin_lead"]}
    assert world.users["it_pm"] not in {n.user_id for n in told}
    assert "Milestone A1" in told[0].subject and "deleted" in told[0].subject


def test_links_inside_one_project_go_with_it(net: Net, db: Session) -> None:
    net.milestone("A2", "A", "2027-02-10")
    inner = net.accepted("A1", "A2")
    assert _delete(net, "it_pm", _milestone_url(net, "A1")).status_code == 204
    assert db.get(Dependency, inner["id"]) is None
    assert db.scalar(select(func.count()).select_from(Dependency)) == 0


def test_page_shows_the_refusal(net: Net, app: object, world: World) -> None:
    net.accepted("A1", "B1")
    browser = login(app, world, "it_pm")
    url = _milestone_url(net, "A1")
    r = browser.post_form(url.removeprefix(API) + "/delete", {"version": str(_version(net, url))})
    assert r.status_code == 409  # type: ignore[attr-defined]
    assert "Finance" in r.text and "remove the dependency first" in r.text  # type: ignore[attr-defined]
    project = f"/projects/{net.projects['A']['id']}"
    r = browser.post_form(project + "/delete",
                          {"version": str(_version(net, API + project))})
    assert r.status_code == 409 and "NET-B" in r.text  # type: ignore[attr-defined]

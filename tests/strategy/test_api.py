"""The strategy API: goals, their hierarchy and weights, access rules, conflicts and bad input."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from epmo.portfolio.models import ProjectGoal
from tests.conftest import Clients
from tests.factories import add_project
from tests.world import World


def _goal(as_: Clients, code: str, **extra: Any) -> dict[str, Any]:
    r = as_("admin").post("/api/v1/goals", json={"code": code, "name": f"Goal {code}", **extra})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def test_admin_creates_goal_tree_and_sees_sibling_totals(as_: Clients, world: World) -> None:
    top = _goal(as_, "G1", weight="60", owner_id=world.people["it_lead"])
    assert top["weight"] == "60.00" and top["owner_id"] == world.people["it_lead"]
    assert top["sibling_weight_total"] == "60.00" and top["sibling_weights_balanced"] is False
    _goal(as_, "G2", weight=40)
    a = _goal(as_, "G1.1", parent_id=top["id"], weight="70.5")
    _goal(as_, "G1.2", parent_id=top["id"], weight="29.5")
    got = as_("it_viewer").get(f"/api/v1/goals/{a['id']}").json()
    assert got["sibling_weight_total"] == "100.00" and got["sibling_weights_balanced"] is True
    assert as_("hr_viewer").get(f"/api/v1/goals/{top['id']}").json()["sibling_weights_balanced"]


def test_list_filters_by_text_and_parent(as_: Clients) -> None:
    top = _goal(as_, "GROW", weight=50)
    _goal(as_, "GROW.EU", parent_id=top["id"], weight=30)
    _goal(as_, "GROW.US", parent_id=top["id"], weight=30)
    _goal(as_, "SAVE", weight=20)
    below = as_("it_member").get("/api/v1/goals", params={"parent_id": top["id"]}).json()
    assert [g["code"] for g in below["items"]] == ["GROW.EU", "GROW.US"]
    assert all(g["sibling_weight_total"] == "60.00" for g in below["items"])
    found = as_("it_member").get("/api/v1/goals", params={"q": "sav"}).json()
    assert [g["code"] for g in found["items"]] == ["SAVE"] and found["total"] == 1
    paged = as_("admin").get("/api/v1/goals", params={"limit": 2, "offset": 1}).json()
    assert paged["total"] == 4 and len(paged["items"]) == 2


def test_update_and_stale_version(as_: Clients) -> None:
    goal = _goal(as_, "G-UPD", weight=10)
    ok = as_("admin").patch(f"/api/v1/goals/{goal['id']}",
                            json={"version": goal["version"], "name": "Renamed", "weight": 100})
    assert ok.status_code == 200, ok.text
    assert ok.json()["version"] == goal["version"] + 1 and ok.json()["sibling_weights_balanced"]
    stale = as_("admin").patch(f"/api/v1/goals/{goal['id']}",
                               json={"version": goal["version"], "name": "Lost update"})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == goal["version"] + 1
    assert stale.json()["errors"][0]["field"] == "version"
    assert as_("admin").get(f"/api/v1/goals/{goal['id']}").json()["name"] == "Renamed"


def test_cycle_refused_naming_parent(as_: Clients) -> None:
    top = _goal(as_, "C1")
    mid = _goal(as_, "C1.1", parent_id=top["id"])
    low = _goal(as_, "C1.1.1", parent_id=mid["id"])
    r = as_("admin").patch(f"/api/v1/goals/{top['id']}",
                           json={"version": top["version"], "parent_id": low["id"]})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "parent_id", "message": "would create a cycle"}]
    itself = as_("admin").patch(f"/api/v1/goals/{top['id']}",
                                json={"version": top["version"], "parent_id": top["id"]})
    assert itself.status_code == 422 and itself.json()["errors"][0]["field"] == "parent_id"
    moved = as_("admin").patch(f"/api/v1/goals/{low['id']}",
                               json={"version": low["version"], "parent_id": None})
    assert moved.status_code == 200 and moved.json()["parent_id"] is None


def test_non_admin_may_read_but_not_write(as_: Clients) -> None:
    goal = _goal(as_, "G-RO")
    for user in ("exec", "it_lead", "it_pm", "it_viewer"):
        assert as_(user).get(f"/api/v1/goals/{goal['id']}").status_code == 200
        r = as_(user).post("/api/v1/goals", json={"code": f"X-{user}", "name": "X"})
        assert r.status_code == 403, user
        assert r.headers["content-type"].startswith("application/problem+json")
        patch = as_(user).patch(f"/api/v1/goals/{goal['id']}",
                                json={"version": goal["version"], "name": "No"})
        assert patch.status_code == 403
        gone = as_(user).delete(f"/api/v1/goals/{goal['id']}",
                                params={"version": goal["version"]})
        assert gone.status_code == 403


def test_delete_refused_with_children_then_allowed(as_: Clients) -> None:
    top = _goal(as_, "D1")
    child = _goal(as_, "D1.1", parent_id=top["id"])
    r = as_("admin").delete(f"/api/v1/goals/{top['id']}", params={"version": top["version"]})
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "id"
    assert as_("admin").delete(f"/api/v1/goals/{child['id']}",
                               params={"version": child["version"]}).status_code == 204
    assert as_("admin").delete(f"/api/v1/goals/{top['id']}",
                               params={"version": top["version"]}).status_code == 204
    assert as_("admin").get(f"/api/v1/goals/{top['id']}").status_code == 404


def test_delete_refused_with_project_links(as_: Clients, world: World, db: Session) -> None:
    goal = _goal(as_, "D2")
    project = add_project(db, world, "IT", "P-GOAL", name="Linked")
    db.add(ProjectGoal(project_id=project.id, goal_id=goal["id"]))
    db.flush()
    r = as_("admin").delete(f"/api/v1/goals/{goal['id']}", params={"version": goal["version"]})
    assert r.status_code == 409
    assert "1 project" in r.json()["detail"]


def test_delete_stale_version_is_409(as_: Clients) -> None:
    goal = _goal(as_, "D3")
    r = as_("admin").delete(f"/api/v1/goals/{goal['id']}", params={"version": 99})
    assert r.status_code == 409 and r.json()["current_version"] == goal["version"]


def test_bad_input_names_the_field(as_: Clients) -> None:
    r = as_("admin").post("/api/v1/goals", json={"code": "U1", "name": "U", "colour": "red"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "colour"
    goal = _goal(as_, "U2")
    r = as_("admin").patch(f"/api/v1/goals/{goal['id']}",
                           json={"version": goal["version"], "priority": 1})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "priority"
    r = as_("admin").post("/api/v1/goals", json={"code": "U3", "name": "U", "weight": 101})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "weight"
    r = as_("admin").post("/api/v1/goals", json={"code": "U4", "name": "U", "parent_id": 99999})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "parent_id"
    r = as_("admin").post("/api/v1/goals", json={"code": "U5", "name": "U", "owner_id": 99999})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "owner_id"
    r = as_("admin").patch(f"/api/v1/goals/{goal['id']}",
                           json={"version": goal["version"], "name": None})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "name"
    r = as_("admin").post("/api/v1/goals", json={"code": "U2", "name": "Again"})
    assert r.status_code == 409 and r.json()["errors"] == [{"field": "code", "message": "already used"}]


def test_unknown_goal_and_anonymous(as_: Clients) -> None:
    assert as_("it_viewer").get("/api/v1/goals/999999").status_code == 404
    assert as_("admin").patch("/api/v1/goals/999999", json={"version": 1}).status_code == 404
    assert as_.anon.get("/api/v1/goals").status_code == 401

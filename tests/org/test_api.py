"""The org API: departments and people, with access rules, conflicts and bad input."""

from __future__ import annotations

from decimal import Decimal

from tests.conftest import Clients
from tests.factories import Maker
from tests.world import World


def test_admin_creates_department_under_parent(as_: Clients, world: World) -> None:
    r = as_("admin").post("/api/v1/departments",
                          json={"code": "OPS", "name": "Operations", "parent_id": world.departments["IT"]})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["code"] == "OPS" and body["parent_id"] == world.departments["IT"]
    assert body["version"] == 1
    listed = as_("it_viewer").get("/api/v1/departments", params={"q": "operat"}).json()
    assert [d["code"] for d in listed["items"]] == ["OPS"]


def test_department_lead_cannot_create_department(as_: Clients) -> None:
    r = as_("it_lead").post("/api/v1/departments", json={"code": "X1", "name": "X"})
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("application/problem+json")


def test_duplicate_code_is_conflict_naming_field(as_: Clients) -> None:
    r = as_("admin").post("/api/v1/departments", json={"code": "IT", "name": "Again"})
    assert r.status_code == 409
    assert r.json()["errors"] == [{"field": "code", "message": "already used"}]


def test_unknown_field_and_wrong_type_rejected(as_: Clients) -> None:
    r = as_("admin").post("/api/v1/departments", json={"code": "Z", "name": "Z", "colour": "red"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "colour"
    r = as_("admin").post("/api/v1/departments", json={"code": "Z", "name": "Z", "parent_id": "1"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "parent_id"


def test_malformed_json_is_422(as_: Clients) -> None:
    r = as_("admin").post("/api/v1/departments", content=b"{not json",
                          headers={"content-type": "application/json"})
    assert r.status_code == 422


def test_stale_version_is_409_with_current_version(as_: Clients, world: World) -> None:
    dept_id = world.departments["HR"]
    current = as_("admin").get(f"/api/v1/departments/{dept_id}").json()
    ok = as_("admin").patch(f"/api/v1/departments/{dept_id}",
                            json={"version": current["version"], "name": "People & Culture"})
    assert ok.status_code == 200 and ok.json()["version"] == current["version"] + 1
    stale = as_("admin").patch(f"/api/v1/departments/{dept_id}",
                               json={"version": current["version"], "name": "Lost update"})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == current["version"] + 1
    assert as_("admin").get(f"/api/v1/departments/{dept_id}").json()["name"] == "People & Culture"


def test_hierarchy_cycle_refused(as_: Clients, world: World) -> None:
    it = as_("admin").get(f"/api/v1/departments/{world.departments['IT']}").json()
    r = as_("admin").patch(f"/api/v1/departments/{it['id']}",
                           json={"version": it["version"], "parent_id": world.departments["IT-INFRA"]})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "parent_id"


def test_null_for_required_field_refused(as_: Clients, world: World) -> None:
    it = as_("admin").get(f"/api/v1/departments/{world.departments['IT']}").json()
    r = as_("admin").patch(f"/api/v1/departments/{it['id']}", json={"version": it["version"], "name": None})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "name"


def test_department_lead_maintains_own_people_only(as_: Clients, world: World) -> None:
    body = {"code": "NEW-IT", "name": "New Hire", "department_id": world.departments["IT-INFRA"],
            "role": "Data engineer", "weekly_capacity_hours": "32.5"}
    r = as_("it_lead").post("/api/v1/people", json=body)
    assert r.status_code == 201, r.text
    assert Decimal(r.json()["weekly_capacity_hours"]) == Decimal("32.5")
    other = body | {"code": "NEW-FIN", "department_id": world.departments["FIN"]}
    assert as_("it_lead").post("/api/v1/people", json=other).status_code == 403
    assert as_("it_pm").post("/api/v1/people", json=other | {"code": "N3"}).status_code == 403


def test_person_capacity_out_of_range(as_: Clients, world: World) -> None:
    body = {"code": "P9", "name": "Too Busy", "department_id": world.departments["IT"],
            "weekly_capacity_hours": 200}
    r = as_("admin").post("/api/v1/people", json=body)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "weekly_capacity_hours"


def test_unknown_department_reference(as_: Clients) -> None:
    r = as_("admin").post("/api/v1/people", json={"code": "P8", "name": "X", "department_id": 99999})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "department_id"


def test_anonymous_gets_401_problem(as_: Clients) -> None:
    r = as_.anon.get("/api/v1/departments")
    assert r.status_code == 401
    assert r.json()["status"] == 401


def test_paging(as_: Clients) -> None:
    page = as_("admin").get("/api/v1/departments", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == 4 and len(page["items"]) == 2 and page["offset"] == 1
    assert as_("admin").get("/api/v1/departments", params={"limit": 0}).status_code == 422


def test_department_owning_a_project_cannot_be_deleted(as_: Clients, world: World,
                                                        make: Maker) -> None:
    made = as_("admin").post("/api/v1/departments", json={
        "code": "IT-SEC", "name": "Information Security", "parent_id": world.departments["IT"]})
    assert made.status_code == 201
    dept = made.json()
    make.project(code="SEC-001", name="SOC uplift", department_id=dept["id"])
    response = as_("admin").delete(f"/api/v1/departments/{dept['id']}",
                                   params={"version": dept["version"]})
    assert response.status_code == 409
    assert "projects" in response.json()["errors"][0]["message"]
    assert as_("admin").get(f"/api/v1/departments/{dept['id']}").status_code == 200


def test_department_owning_a_programme_or_portfolio_cannot_be_deleted(
        as_: Clients, world: World) -> None:
    admin = as_("admin")
    dept = admin.post("/api/v1/departments", json={"code": "IT-NET", "name": "Networks"}).json()
    made = admin.post("/api/v1/programs", json={
        "code": "NET-P", "name": "Network renewal", "department_id": dept["id"]})
    assert made.status_code == 201, made.text
    admin.post("/api/v1/portfolios", json={
        "code": "NET-PF", "name": "Network portfolio", "department_id": dept["id"]})
    refused = admin.delete(f"/api/v1/departments/{dept['id']}", params={"version": 1})
    assert refused.status_code == 409
    assert refused.json()["detail"] == "Department still owns programmes"
    admin.delete(f"/api/v1/programs/{made.json()['id']}", params={"version": 1})
    refused = admin.delete(f"/api/v1/departments/{dept['id']}", params={"version": 1})
    assert refused.json()["errors"][0]["message"] == "move or delete its portfolios first"

"""Milestones of a project: create, list in date order, read, change, delete."""

from __future__ import annotations

from tests.conftest import Clients
from tests.factories import API, Maker


def test_milestone_crud(as_: Clients, make: Maker) -> None:
    project = make.project("IT")
    url = f"{API}/projects/{project['id']}/milestones"
    late = as_("it_pm").post(url, json={"name": "Go-live", "planned_date": "2025-09-01",
                                        "description": "Big bang"})
    early = as_("it_pm").post(url, json={"name": "Design done", "planned_date": "2025-03-01",
                                         "status": "achieved", "actual_date": "2025-03-04"})
    undated = as_("it_pm").post(url, json={"name": "Someday"})
    assert late.status_code == early.status_code == undated.status_code == 201
    listed = as_("it_viewer").get(url).json()
    assert [m["name"] for m in listed["items"]] == ["Design done", "Go-live", "Someday"]
    assert listed["total"] == 3
    one = as_("it_viewer").get(f"{url}/{late.json()['id']}").json()
    assert one == late.json()
    r = as_("it_pm").patch(f"{url}/{one['id']}", json={"version": 1, "status": "in_progress",
                                                       "forecast_date": "2025-10-01"})
    assert r.status_code == 200 and r.json()["version"] == 2
    assert r.json()["status"] == "in_progress" and r.json()["forecast_date"] == "2025-10-01"
    assert as_("it_pm").patch(f"{url}/{one['id']}",
                              json={"version": 1, "name": "Lost"}).status_code == 409
    assert as_("it_pm").delete(f"{url}/{one['id']}", params={"version": 2}).status_code == 204
    assert as_("it_pm").get(f"{url}/{one['id']}").status_code == 404


def test_milestone_of_another_project_is_404(as_: Clients, make: Maker) -> None:
    first, second = make.project("IT"), make.project("IT")
    milestone = as_("admin").post(f"{API}/projects/{first['id']}/milestones",
                                  json={"name": "M"}).json()
    r = as_("admin").get(f"{API}/projects/{second['id']}/milestones/{milestone['id']}")
    assert r.status_code == 404
    r = as_("admin").patch(f"{API}/projects/{second['id']}/milestones/{milestone['id']}",
                           json={"version": 1, "name": "x"})
    assert r.status_code == 404


def test_milestone_bad_input(as_: Clients, make: Maker) -> None:
    project = make.project("IT")
    url = f"{API}/projects/{project['id']}/milestones"
    for body, field in (({"name": ""}, "name"), ({"name": "M", "status": "late"}, "status"),
                        ({"name": "M", "planned_date": "soon"}, "planned_date"),
                        ({"name": "M", "owner": 1}, "owner"), ({}, "name")):
        r = as_("admin").post(url, json=body)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == field
    milestone = as_("admin").post(url, json={"name": "M"}).json()
    r = as_("admin").patch(f"{url}/{milestone['id']}", json={"version": 1, "name": None})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "name"
    r = as_("admin").patch(f"{url}/{milestone['id']}", json={"name": "no version"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "version"

"""Programmes (/programs) and portfolios: create, read, update, delete, bad input."""

from __future__ import annotations

from typing import Any

from tests.conftest import Clients
from tests.factories import API, Maker
from tests.world import World


def test_programme_crud(as_: Clients, world: World) -> None:
    body = {"code": "PRG-ERP", "name": "ERP renewal", "department_id": world.departments["IT"],
            "department_ids": [world.departments["FIN"], world.departments["IT"]],
            "manager_id": world.people["it_lead"], "description": "Two years"}
    r = as_("it_lead").post(f"{API}/programs", json=body)
    assert r.status_code == 201, r.text
    programme = r.json()
    assert programme["version"] == 1 and programme["department_code"] == "IT"
    assert programme["department_ids"] == [world.departments["FIN"]]  # the owner is dropped
    assert programme["manager_name"] == "It Lead"
    url = f"{API}/programs/{programme['id']}"
    assert as_("fin_pm").get(url).json() == programme
    r = as_("it_lead").patch(url, json={"version": 1, "department_ids": [], "name": "ERP"})
    assert r.status_code == 200 and r.json()["department_ids"] == [] and r.json()["version"] == 2
    assert as_("fin_pm").get(url).status_code == 404  # FIN no longer takes part
    listed = as_("it_viewer").get(f"{API}/programs", params={"q": "erp"}).json()
    assert [p["code"] for p in listed["items"]] == ["PRG-ERP"]
    assert as_("it_lead").delete(url, params={"version": 1}).status_code == 409
    assert as_("it_lead").delete(url, params={"version": 2}).status_code == 204
    assert as_("it_lead").get(url).status_code == 404


def test_programme_with_projects_cannot_be_deleted(as_: Clients, make: Maker) -> None:
    programme = make.programme("IT")
    make.project("IT", programme_id=programme["id"])
    r = as_("admin").delete(f"{API}/programs/{programme['id']}", params={"version": 1})
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "id"


def test_programme_bad_input(as_: Clients, make: Maker, world: World) -> None:
    existing = make.programme("IT")
    base = {"code": "PRG-BAD", "name": "B", "department_id": world.departments["IT"]}
    cases: list[tuple[dict[str, Any], int, str]] = [({"department_id": 999999}, 422, "department_id"),
             ({"manager_id": 999999}, 422, "manager_id"),
             ({"department_ids": [999999]}, 422, "department_ids"),
             ({"code": existing["code"]}, 409, "code"),
             ({"extra": 1}, 422, "extra"), ({"department_id": "1"}, 422, "department_id")]
    for change, status, field in cases:
        r = as_("admin").post(f"{API}/programs", json=base | change)
        assert (r.status_code, r.json()["errors"][0]["field"]) == (status, field), change


def test_programme_move_needs_lead_of_both(as_: Clients, make: Maker, world: World) -> None:
    programme = make.programme("IT")
    url = f"{API}/programs/{programme['id']}"
    r = as_("it_lead").patch(url, json={"version": 1, "department_id": world.departments["FIN"]})
    assert r.status_code == 403
    r = as_("it_lead").patch(url, json={"version": 1,
                                        "department_id": world.departments["IT-INFRA"]})
    assert r.status_code == 200


def test_portfolio_crud(as_: Clients, world: World) -> None:
    r = as_("admin").post(f"{API}/portfolios", json={"code": "ENT", "name": "Enterprise"})
    assert r.status_code == 201
    enterprise = r.json()
    assert enterprise["department_id"] is None and enterprise["department_code"] is None
    r = as_("it_lead").post(f"{API}/portfolios", json={
        "code": "IT-PF", "name": "IT portfolio", "department_id": world.departments["IT"]})
    it = r.json()
    assert it["department_code"] == "IT"
    listed = as_("it_viewer").get(f"{API}/portfolios").json()["items"]
    assert [p["code"] for p in listed][:2] == ["ENT", "IT-PF"]  # the enterprise one first
    url = f"{API}/portfolios/{it['id']}"
    r = as_("it_lead").patch(url, json={"version": 1, "description": "All of IT"})
    assert r.status_code == 200 and r.json()["version"] == 2
    r = as_("it_lead").patch(url, json={"version": 2, "department_id": None})
    assert r.status_code == 403  # only administrators own enterprise portfolios
    r = as_("it_lead").patch(url, json={"version": 2, "department_id": 999999})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "department_id"
    assert as_("it_lead").delete(url, params={"version": 2}).status_code == 204


def test_portfolio_holding_projects_cannot_be_deleted(as_: Clients, make: Maker) -> None:
    portfolio = make.portfolio(None)
    make.project("IT", portfolio_ids=[portfolio["id"]])
    r = as_("admin").delete(f"{API}/portfolios/{portfolio['id']}", params={"version": 1})
    assert r.status_code == 409
    assert as_("admin").post(f"{API}/portfolios", json={
        "code": portfolio["code"], "name": "Dup"}).status_code == 409

"""The project API: create, read, update, delete, links, bad input and concurrent edits."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from tests.conftest import Clients
from tests.factories import API, Maker
from tests.world import World


def _full_body(world: World, goals: dict[str, int], **extra: Any) -> dict[str, Any]:
    return {
        "code": "CRM-2025", "name": "New CRM", "description": "Replace the old CRM",
        "department_id": world.departments["IT"],
        "department_ids": [world.departments["FIN"], world.departments["HR"]],
        "sponsor_id": world.people["fin_lead"], "manager_id": world.people["it_pm"],
        "methodology": "Scrum", "headcount": 12, "risk_rating": 4, "health": "amber",
        "planned_start": "2025-01-01", "planned_finish": "2025-12-31",
        "baseline_start": "2025-01-01", "baseline_finish": "2025-12-31",
        "forecast_start": "2025-02-01", "forecast_finish": "2026-01-31",
        "actual_start": "2025-02-03",
        "budget_planned": "250000.00", "budget_actual": "1200.5", "budget_forecast": "260000",
        "goals": [{"goal_id": goals["GROW"], "weight": "60"}, {"goal_id": goals["COST"]}],
    } | extra


def test_create_and_read_full_project(as_: Clients, make: Maker, world: World,
                                      goals: dict[str, int]) -> None:
    programme = make.programme("IT")
    portfolio = make.portfolio(None)
    body = _full_body(world, goals, programme_id=programme["id"], portfolio_ids=[portfolio["id"]])
    r = as_("it_pm").post(f"{API}/projects", json=body)
    assert r.status_code == 201, r.text
    created = r.json()
    read = as_("it_pm").get(f"{API}/projects/{created['id']}").json()
    for key in ("created_at", "updated_at"):
        created.pop(key), read.pop(key)
    assert created.pop("warnings") == []  # no charter in this world: nothing to warn about
    assert created.pop("change_events") == []  # a new project moved no one's dates
    assert created == read
    assert read["version"] == 1 and read["stage"] == "proposed"
    assert read["department_code"] == "IT" and read["department_name"] == "Information Technology"
    assert read["department_ids"] == [world.departments["FIN"], world.departments["HR"]]
    assert [d["code"] for d in read["departments"]] == ["FIN", "HR"]
    assert read["manager_name"] == "It Pm" and read["sponsor_name"] == "Fin Lead"
    assert read["programme_code"] == programme["code"]
    assert read["portfolio_ids"] == [portfolio["id"]]
    assert read["portfolios"][0]["code"] == portfolio["code"]
    assert [(g["code"], g["weight"]) for g in read["goals"]] == [("COST", "100.00"),
                                                                 ("GROW", "60.00")]
    assert (read["budget_planned"], read["budget_actual"], read["budget_forecast"]) == (
        "250000.00", "1200.50", "260000.00")
    assert read["forecast_finish"] == "2026-01-31" and read["actual_finish"] is None
    assert (read["headcount"], read["risk_rating"]) == (12, 4)
    assert read["next_stages"] == ["approved", "cancelled"]


def test_defaults_of_a_minimal_project(make: Maker) -> None:
    project = make.project("FIN")
    # Nothing reported, no money given: unknown (null), never green or 0.
    assert (project["stage"], project["health"], project["tier"]) == ("proposed", None, 3)
    assert project["budget_planned"] is None and project["goals"] == []
    assert project["manager_id"] is None and project["description"] == ""


def test_update_replaces_lists_and_bumps_version(as_: Clients, make: Maker, world: World,
                                                 goals: dict[str, int]) -> None:
    project = make.project("IT", department_ids=[world.departments["FIN"]],
                           goals=[{"goal_id": goals["GROW"], "weight": 10}])
    url = f"{API}/projects/{project['id']}"
    r = as_("it_lead").patch(url, json={
        "version": 1, "name": "Renamed", "department_ids": [world.departments["HR"]],
        "goals": [{"goal_id": goals["GROW"], "weight": "75.5"}], "budget_planned": "10",
    })
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["version"] == 2 and body["name"] == "Renamed"
    assert body["department_ids"] == [world.departments["HR"]]
    assert body["goals"][0]["weight"] == "75.50" and body["budget_planned"] == "10.00"
    # Changing only a link still bumps the version, so stale link edits are caught too.
    r = as_("it_lead").patch(url, json={"version": 2, "goals": []})
    assert r.json()["version"] == 3 and r.json()["goals"] == []
    assert as_("it_lead").patch(url, json={"version": 2, "department_ids": []}).status_code == 409


def test_owner_is_never_listed_as_participant(as_: Clients, make: Maker, world: World) -> None:
    it, fin = world.departments["IT"], world.departments["FIN"]
    project = make.project("IT", department_ids=[it, fin])
    assert project["department_ids"] == [fin]
    moved = as_("admin").patch(f"{API}/projects/{project['id']}",
                               json={"version": 1, "department_id": fin}).json()
    assert moved["department_id"] == fin and moved["department_ids"] == []


def test_clearing_nullable_fields(as_: Clients, make: Maker, world: World) -> None:
    project = make.project("IT", manager_id=world.people["it_pm"], planned_start="2025-01-01")
    r = as_("admin").patch(f"{API}/projects/{project['id']}",
                           json={"version": 1, "manager_id": None, "planned_start": None})
    assert r.status_code == 200
    assert r.json()["manager_id"] is None and r.json()["manager_name"] is None


def test_stale_version_is_409_and_keeps_the_newer_data(as_: Clients, make: Maker) -> None:
    project = make.project("IT")
    url = f"{API}/projects/{project['id']}"
    assert as_("it_lead").patch(url, json={"version": 1, "name": "First"}).status_code == 200
    stale = as_("it_pm").patch(url, json={"version": 1, "name": "Lost"})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert stale.json()["errors"][0]["field"] == "version"
    assert as_("admin").get(url).json()["name"] == "First"


def test_delete_needs_current_version(as_: Clients, make: Maker) -> None:
    project = make.project("IT")
    url = f"{API}/projects/{project['id']}"
    as_("admin").post(f"{url}/milestones", json={"name": "M1"})
    assert as_("it_lead").delete(url, params={"version": 7}).status_code == 409
    assert as_("it_lead").delete(url).status_code == 422
    assert as_("it_lead").delete(url, params={"version": 1}).status_code == 204
    assert as_("admin").get(url).status_code == 404
    assert as_("admin").get(f"{url}/milestones").status_code == 404


@pytest.mark.parametrize(("body", "field"), [
    ({"tier": 1}, "tier"),                        # computed by the tier rules, never sent
    ({"headcount": "3"}, "headcount"),            # strict: no strings for numbers
    ({"headcount": -1}, "headcount"),
    ({"risk_rating": 0}, "risk_rating"),
    ({"risk_rating": 6}, "risk_rating"),
    ({"budget_planned": "-1"}, "budget_planned"),
    ({"budget_actual": "12.345"}, "budget_actual"),
    ({"budget_forecast": "lots"}, "budget_forecast"),
    ({"health": "purple"}, "health"),
    ({"stage": "dreaming"}, "stage"),
    ({"planned_start": "2025-13-01"}, "planned_start"),
    ({"colour": "red"}, "colour"),                 # unknown field
    ({"code": "has space"}, "code"),
    ({"code": ""}, "code"),
    ({"name": "x" * 201}, "name"),
    ({"methodology": "m" * 61}, "methodology"),
    ({"department_ids": "1"}, "department_ids"),
    ({"goals": [{"goal_id": 1, "weight": 101}]}, "goals.0.weight"),
    ({"goals": [{"goal_id": 1, "share": 1}]}, "goals.0.share"),
    ({"department_id": None}, "department_id"),
])
def test_bad_input_is_422_naming_the_field(as_: Clients, world: World, body: dict[str, Any],
                                            field: str) -> None:
    base = {"code": "BAD-1", "name": "Bad", "department_id": world.departments["IT"]}
    r = as_("admin").post(f"{API}/projects", json=base | body)
    assert r.status_code == 422, r.text
    assert field in [e["field"] for e in r.json()["errors"]]


@pytest.mark.parametrize(("start", "finish"), [
    ("planned_start", "planned_finish"), ("baseline_start", "baseline_finish"),
    ("forecast_start", "forecast_finish"), ("actual_start", "actual_finish"),
])
def test_finish_before_start_names_the_finish(as_: Clients, make: Maker, world: World,
                                              start: str, finish: str) -> None:
    body = {"code": "DATES", "name": "D", "department_id": world.departments["IT"],
            start: "2025-06-02", finish: "2025-06-01"}
    r = as_("admin").post(f"{API}/projects", json=body)
    assert r.status_code == 422
    words = start.replace("_", " ")  # the message names the other field in words
    assert r.json()["errors"] == [{"field": finish, "message": f"must not be before {words}"}]
    same_day = as_("admin").post(f"{API}/projects", json=body | {finish: "2025-06-02"})
    assert same_day.status_code == 201
    # On update the stored start counts too.
    project = make.project("IT", **{start: "2025-06-02"})
    r = as_("admin").patch(f"{API}/projects/{project['id']}",
                           json={"version": 1, finish: "2025-01-01"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == finish


def test_duplicate_code_is_409(as_: Clients, make: Maker) -> None:
    first, second = make.project("IT"), make.project("IT")
    r = as_("admin").post(f"{API}/projects", json={
        "code": first["code"], "name": "Again", "department_id": first["department_id"]})
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "code"
    r = as_("admin").patch(f"{API}/projects/{second['id']}",
                           json={"version": 1, "code": first["code"]})
    assert r.status_code == 409
    same = as_("admin").patch(f"{API}/projects/{second['id']}",
                              json={"version": 1, "code": second["code"]})
    assert same.status_code == 200


@pytest.mark.parametrize(("field", "value", "message"), [
    ("department_id", 999999, "no such department: 999999"),
    ("manager_id", 999999, "no such person: 999999"),
    ("sponsor_id", 999999, "no such person: 999999"),
    ("programme_id", 999999, "no such programme"),
    ("department_ids", [999999], "no such department: 999999"),
    ("portfolio_ids", [999999], "no such portfolio: 999999"),
    ("goals", [{"goal_id": 999999}], "no such goal"),
])
def test_references_to_nothing_are_invalid(as_: Clients, world: World, field: str, value: Any,
                                           message: str) -> None:
    body = {"code": "REF", "name": "R", "department_id": world.departments["IT"], field: value}
    r = as_("admin").post(f"{API}/projects", json=body)
    assert r.status_code == 422, r.text
    error = r.json()["errors"][0]
    assert error["field"].split(".")[0] == field and error["message"] == message


def test_references_the_actor_cannot_see_read_like_missing_ones(
    as_: Clients, make: Maker, world: World,
) -> None:
    fin_programme = make.programme("FIN")
    fin_portfolio = make.portfolio("FIN")
    base = {"code": "SEE", "name": "S", "department_id": world.departments["IT"]}
    r = as_("it_pm").post(f"{API}/projects", json=base | {"programme_id": fin_programme["id"]})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "programme_id", "message": "no such programme"}]
    r = as_("it_pm").post(f"{API}/projects", json=base | {"portfolio_ids": [fin_portfolio["id"]]})
    assert r.json()["errors"] == [{"field": "portfolio_ids",
                                   "message": f"no such portfolio: {fin_portfolio['id']}"}]


def test_keeping_an_invisible_link_is_allowed(as_: Clients, make: Maker, world: World) -> None:
    fin_portfolio = make.portfolio("FIN")
    project = make.project("FIN", manager_id=world.people["it_member"],
                           portfolio_ids=[fin_portfolio["id"]])
    r = as_("it_member").patch(f"{API}/projects/{project['id']}", json={
        "version": 1, "name": "Still in FIN's portfolio", "portfolio_ids": [fin_portfolio["id"]]})
    assert r.status_code == 200, r.text


def test_goal_listed_twice_is_invalid(as_: Clients, world: World, goals: dict[str, int]) -> None:
    body = {"code": "TWICE", "name": "T", "department_id": world.departments["IT"],
            "goals": [{"goal_id": goals["COST"]}, {"goal_id": goals["COST"], "weight": 5}]}
    r = as_("admin").post(f"{API}/projects", json=body)
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "goals.1.goal_id", "message": "goal listed twice"}]


def test_malformed_json_and_unknown_ids_never_500(as_: Clients) -> None:
    r = as_("admin").post(f"{API}/projects", content=b"{nope",
                          headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert as_("admin").get(f"{API}/projects/abc").status_code == 422
    assert as_("admin").patch(f"{API}/projects/999999", json={"version": 1}).status_code == 404


def test_anonymous_is_401(as_: Clients) -> None:
    assert as_.anon.get(f"{API}/projects").status_code == 401


def test_list_reads_in_a_fixed_number_of_queries(as_: Clients, make: Maker, world: World,
                                                 goals: dict[str, int], db: Session) -> None:
    def count_queries(limit: int) -> int:
        statements: list[str] = []
        engine = db.get_bind()

        def record(*args: Any) -> None:
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", record)
        try:
            r = as_("admin").get(f"{API}/projects", params={"limit": limit, "q": "T-"})
        finally:
            event.remove(engine, "before_cursor_execute", record)
        assert len(r.json()["items"]) == limit
        return len(statements)

    programme = make.programme("IT")
    for _ in range(12):
        make.project("IT", manager_id=world.people["it_pm"], sponsor_id=world.people["fin_lead"],
                     programme_id=programme["id"], department_ids=[world.departments["FIN"]],
                     goals=[{"goal_id": goals["GROW"]}])
    assert count_queries(2) == count_queries(12)


@pytest.mark.parametrize("url", [
    f"{API}/projects/{10**20}", f"{API}/programs/{10**20}", f"{API}/portfolios/{10**20}",
    f"{API}/projects/1/milestones/{10**20}", f"{API}/projects?department_id={10**20}",
    f"{API}/projects?goal_id={10**20}", f"{API}/programs?department_id={10**20}",
    f"/projects/{10**20}",
])
def test_ids_beyond_the_key_range_are_422_not_500(as_: Clients, url: str) -> None:
    assert as_("admin").get(url).status_code == 422


def test_ids_beyond_the_key_range_in_bodies_are_422(as_: Clients, world: World) -> None:
    body = {"code": "BIG", "name": "B", "department_id": world.departments["IT"],
            "manager_id": 10**20, "department_ids": [10**20], "goals": [{"goal_id": 10**20}]}
    r = as_("admin").post(f"{API}/projects", json=body)
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {
        "manager_id", "department_ids.0", "goals.0.goal_id"}

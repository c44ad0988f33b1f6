"""Frontier, compare and commit over the API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.intake.models import IntakeRequest, RequestCost
from epmo.portfolio.models import Project
from tests.selection.conftest import ROLE, Env, by_code


def test_frontier_has_twenty_non_decreasing_points_with_their_portfolios(env: Env) -> None:
    scenario, _ = env.knapsack()
    url = f"/api/v1/scenarios/{scenario['id']}/frontier"
    assert env.as_("admin").get(url).json() == []
    response = env.as_("admin").post(url)
    assert response.status_code == 200, response.text
    points = response.json()
    assert len(points) == 20
    values = [p["value"] for p in points]
    assert values == sorted(values) and values[-1] == pytest.approx(150)
    assert points[-1]["total_budget"] == pytest.approx(100)
    ids = {c["id"]: c["code"] for c in scenario["candidates"]}
    assert {ids[i] for i in points[-1]["selected"]} == {"A", "C"}
    assert points[0]["selected"] == [] and points[0]["value"] == 0
    assert env.as_("exec").get(url).json() == points


def test_compare_shows_figures_and_the_items_that_differ(env: Env) -> None:
    first, ids = env.knapsack()
    second = env.add(env.scenario("Plan B", budgets={"2027": 60}), list(ids.values()))
    for scenario in (first, second):
        assert env.solve(scenario).status_code == 200
    response = env.as_("exec").get(
        f"/api/v1/scenarios/compare?ids={first['id']}&ids={second['id']}")
    assert response.status_code == 200, response.text
    body = response.json()
    figures = {s["name"]: s for s in body["scenarios"]}
    assert figures["Plan A"]["value"] == pytest.approx(150)
    assert figures["Plan B"]["value"] == pytest.approx(100)
    assert figures["Plan A"]["cost"] == {"2027": 100.0}
    assert figures["Plan B"]["cost"] == {"2027": 60.0}
    assert body["differences"] == [{"code": "C", "title": "Request C",
                                    "selected_in": [first["id"]]}]
    lone = env.as_("exec").get(f"/api/v1/scenarios/compare?ids={first['id']}")
    assert lone.status_code == 422
    assert env.as_("it_lead").get(
        f"/api/v1/scenarios/compare?ids={first['id']}&ids={second['id']}").status_code == 404


def test_commit_approves_the_selected_and_waits_the_rest(env: Env, db: Session) -> None:
    ids = {code: env.request(code, {"2027": cost}, benefit=benefit)
           for code, cost, benefit in (("A", 60, 100), ("B", 50, 70), ("C", 40, 50),
                                       ("X", 5, 500))}
    scenario = env.add(env.scenario(budgets={"2027": 100, "2028": 100}), list(ids.values()))
    cid = by_code(scenario)["X"]["id"]
    flagged = env.as_("admin").patch(f"/api/v1/scenarios/{scenario['id']}/candidates", json={
        "version": scenario["version"], "candidate_id": cid, "excluded": True}).json()
    url = f"/api/v1/scenarios/{scenario['id']}/commit"
    unsolved = env.as_("admin").post(url, json={"version": flagged["version"]})
    assert unsolved.status_code == 409
    solved = env.solve(flagged).json()
    assert env.as_("exec").post(url, json={"version": solved["version"]}).status_code == 403
    response = env.as_("admin").post(url, json={"version": solved["version"]})
    assert response.status_code == 200, response.text
    outcome = response.json()
    assert sorted(outcome["approved"]) == ["A", "C"]
    waits = {w["code"]: w for w in outcome["not_yet"]}
    # No role demand: nothing to wait for in the queue, which weighs capacity, not budgets;
    # the reason keeps the budget line.
    now = date.today().strftime("%Y-%m")
    assert waits["B"]["earliest_start"] == now and "2027 budget" in waits["B"]["reason"]
    assert waits["X"]["earliest_start"] == now and "excluded" in waits["X"]["reason"]
    rows = {r.code: r for r in db.scalars(select(IntakeRequest).where(
        IntakeRequest.id.in_(ids.values())))}
    for code in ("A", "C"):
        assert rows[code].stage == "approved" and rows[code].project_id is not None
        assert db.get(Project, rows[code].project_id) is not None
    assert rows["B"].stage == "not_yet" and rows["B"].earliest_start == now
    assert "Plan A" in rows["B"].decision_reason
    committed = env.as_("admin").get(f"/api/v1/scenarios/{scenario['id']}").json()
    assert committed["status"] == "committed" and committed["committed_at"]
    again = env.as_("admin").patch(f"/api/v1/scenarios/{scenario['id']}", json={
        "version": committed["version"], "name": "Renamed"})
    assert again.status_code == 409


def test_capacity_bound_request_gets_the_quarter_capacity_frees_up(env: Env) -> None:
    env.person(hours=40)  # 3 FTE-months a quarter
    first = env.request("FIRST", {"2027": 1}, {(ROLE, "2027-Q1"): 3, (ROLE, "2027-Q2"): 3},
                        benefit=10, desired_start=date(2027, 1, 1), duration_months=6)
    second = env.request("SECOND", {"2027": 1}, {(ROLE, "2027-Q1"): 2}, benefit=5)
    scenario = env.add(env.scenario(budgets={"2027": 100, "2028": 100}), [first, second])
    solved = env.solve(scenario).json()
    assert not by_code(solved)["SECOND"]["selected"]
    outcome = env.as_("admin").post(f"/api/v1/scenarios/{scenario['id']}/commit",
                                    json={"version": solved["version"]}).json()
    assert outcome["not_yet"] == [{
        "code": "SECOND", "earliest_start": "2027-07",  # FIRST, approved, holds January-June
        "reason": "Not selected in scenario Plan A: data engineer capacity in 2027-Q1 is "
                  "used up by item FIRST, which gives more value per unit of it (short by 2)"}]


def test_commit_refuses_a_result_whose_inputs_changed(env: Env, db: Session) -> None:
    scenario, ids = env.knapsack()
    solved = env.solve(scenario).json()
    line = db.get(RequestCost, (ids["D"], "2027"))
    assert line is not None
    line.amount = Decimal(5)
    db.flush()
    response = env.as_("admin").post(f"/api/v1/scenarios/{scenario['id']}/commit",
                                     json={"version": solved["version"]})
    assert response.status_code == 409 and "solve again" in response.text
    stale = env.as_("admin").post(f"/api/v1/scenarios/{scenario['id']}/commit",
                                  json={"version": scenario["version"]})
    assert stale.status_code == 409


def test_not_yet_never_offers_a_start_before_the_requests_own(env: Env) -> None:
    late = env.request("LATE", {"2028": 50}, benefit=10, desired_start=date(2028, 4, 1))
    scenario = env.add(env.scenario(budgets={"2027": 100, "2028": 10}), [late])
    solved = env.solve(scenario).json()
    assert by_code(solved)["LATE"]["selected"] is False
    outcome = env.as_("admin").post(f"/api/v1/scenarios/{scenario['id']}/commit",
                                    json={"version": solved["version"]}).json()
    [wait] = outcome["not_yet"]
    assert wait["earliest_start"] == "2028-04"  # its desired start: never sooner
    assert "2028 budget" in wait["reason"]


def test_compare_with_an_unsolved_scenario_says_so_instead_of_the_same_items(env: Env) -> None:
    first, ids = env.knapsack()
    second = env.add(env.scenario("Plan B", budgets={"2027": 60}), list(ids.values()))
    assert env.solve(first).status_code == 200
    url = f"/api/v1/scenarios/compare?ids={first['id']}&ids={second['id']}"
    body = env.as_("exec").get(url).json()
    assert body["unsolved"] == [second["id"]] and body["differences"] == []
    assert "Plan B (draft) is not solved" in body["note"]
    assert "same items" not in body["note"]
    # Solved, then changed: the result is cleared, so it is unsolved again.
    solved = env.solve(second).json()
    assert env.as_("exec").get(url).json()["unsolved"] == []
    changed = env.as_("admin").patch(f"/api/v1/scenarios/{second['id']}", json={
        "version": solved["version"], "budgets": {"2027": 70}})
    assert changed.status_code == 200, changed.text
    again = env.as_("exec").get(url).json()
    assert again["unsolved"] == [second["id"]] and again["differences"] == []
    assert "not solved" in again["note"]


def test_compare_of_solved_scenarios_that_agree_says_the_same_items(env: Env) -> None:
    first, ids = env.knapsack()
    second = env.add(env.scenario("Plan B"), list(ids.values()))
    for scenario in (first, second):
        assert env.solve(scenario).status_code == 200
    body = env.as_("exec").get(
        f"/api/v1/scenarios/compare?ids={first['id']}&ids={second['id']}").json()
    assert body["unsolved"] == [] and body["differences"] == []
    assert body["note"] == "The solved scenarios select the same items."

"""Scenarios over the API: bad input, solve, reasons, capacity, rules, infeasible, access."""

from __future__ import annotations

from typing import Any

import pytest

from tests.selection.conftest import ROLE, Env, by_code, day


def _fields(response: Any) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json().get("errors", [])}


@pytest.mark.parametrize(("body", "field"), [
    ({"budgets": {"2027": -5}}, "budgets.2027"),
    ({"budgets": {"27": 5}}, "budgets.27.[key]"),
    ({"capacity_overrides": {"Astronaut": {"2027-Q1": 3}}}, "capacity_overrides.Astronaut"),
    ({"capacity_overrides": {ROLE: {"2031-Q1": 3}}}, f"capacity_overrides.{ROLE}.2031-Q1"),
    ({"capacity_overrides": {ROLE: {"2027-Q1": -1}}}, f"capacity_overrides.{ROLE}.2027-Q1"),
    ({"exclusive": [[991, 992]]}, "exclusive.0"),
    ({"requires": [[991, 992]]}, "requires.0"),
    ({"balance": [{"tag": "colour:red", "max_share": 0.5}]}, "balance.0.tag"),
    ({"balance": [{"tag": "category:ops", "min_share": 0.6, "max_share": 0.5}]}, "balance.0"),
    ({"objective": "profit"}, "objective"),
    ({"time_limit": 0}, "time_limit"),
])
def test_create_refuses_bad_input_naming_the_field(env: Env, body: dict[str, Any],
                                                    field: str) -> None:
    env.person()
    payload = {"name": "Bad", "budgets": {"2027": 100}} | body
    response = env.as_("admin").post("/api/v1/scenarios", json=payload)
    assert response.status_code == 422, response.text
    assert field in _fields(response), response.json()


def test_names_are_unique_and_updates_need_the_version(env: Env) -> None:
    first = env.scenario("Plan A")
    again = env.as_("admin").post("/api/v1/scenarios", json={"name": "Plan A"})
    assert again.status_code == 409 and "name" in _fields(again)
    url = f"/api/v1/scenarios/{first['id']}"
    changed = env.as_("admin").patch(url, json={"version": first["version"],
                                                "budgets": {"2027": 50, "2028": 70}})
    assert changed.status_code == 200 and changed.json()["budgets"] == {"2027": 50, "2028": 70}
    stale = env.as_("admin").patch(url, json={"version": first["version"], "name": "Plan Z"})
    assert stale.status_code == 409
    gone = env.as_("admin").delete(f"{url}?version={changed.json()['version']}")
    assert gone.status_code == 204
    assert env.as_("admin").get(url).status_code == 404


def test_solve_finds_the_known_optimum_and_explains_every_left_out_item(env: Env) -> None:
    scenario, _ = env.knapsack()
    response = env.solve(scenario)
    assert response.status_code == 200, response.text
    solved = response.json()
    result = solved["result"]
    assert result["status"] == "optimal" and result["value"] == pytest.approx(150)
    cands = by_code(solved)
    assert {c for c, v in cands.items() if v["selected"]} == {"A", "C"}
    assert all(v["reason"] for v in cands.values() if not v["selected"])
    assert "2027 budget" in cands["B"]["reason"] and "2027 budget" in cands["D"]["reason"]
    assert result["usage"] == [{"kind": "budget", "name": "2027", "used": 100.0, "limit": 100.0}]
    assert "2027" in result["binding"]
    assert solved["status"] == "solved"


def test_value_comes_from_scores_by_objective(env: Env) -> None:
    ids = {code: env.request(code, {"2027": 60}, benefit=benefit)
           for code, benefit in (("HI", 10), ("LO", 1000))}
    model = env.scores({ids["HI"]: 5, ids["LO"]: 2})
    scenario = env.add(env.scenario(objective="score", scoring_model_id=model), list(ids.values()))
    solved = env.solve(scenario).json()
    assert solved["result"]["value"] == pytest.approx(100)
    assert by_code(solved)["HI"]["selected"] and not by_code(solved)["LO"]["selected"]
    flip = env.as_("admin").patch(f"/api/v1/scenarios/{scenario['id']}", json={
        "version": solved["version"], "objective": "score_x_benefit"})
    assert flip.json()["status"] == "draft" and flip.json()["result"] is None
    again = env.solve(flip.json()).json()
    assert again["result"]["value"] == pytest.approx(250)  # 25 % of 1,000
    assert by_code(again)["LO"]["selected"]


def test_capacity_is_people_minus_committed_work(env: Env) -> None:
    env.person(hours=40)
    env.person(hours=20)  # 1.5 FTE: 4.5 FTE-months a quarter
    open_project = env.project("PRJ-OLD", demand={(ROLE, "2027-Q1"): 1.5})
    env.request("OLD", stage="approved", project_id=open_project)
    big = env.request("BIG", {"2027": 10}, {(ROLE, "2027-Q1"): 3.5}, benefit=90)
    small = env.request("SMALL", {"2027": 10}, {(ROLE.upper(), "2027-Q1"): 3.0}, benefit=40)
    scenario = env.add(env.scenario(), [big, small])
    solved = env.solve(scenario).json()
    usage = {u["name"]: u for u in solved["result"]["usage"]}
    line = usage["data engineer capacity in 2027-Q1"]
    assert line["limit"] == pytest.approx(3.0) and line["used"] == pytest.approx(3.0)
    cands = by_code(solved)
    assert cands["SMALL"]["selected"] and not cands["BIG"]["selected"]
    assert "data engineer capacity in 2027-Q1" in cands["BIG"]["reason"]
    override = env.as_("admin").patch(f"/api/v1/scenarios/{scenario['id']}", json={
        "version": solved["version"], "capacity_overrides": {ROLE: {"2027-Q1": 7}}})
    assert override.status_code == 200, override.text
    both = env.solve(override.json()).json()
    assert all(c["selected"] for c in both["candidates"])


def test_rules_dependencies_exclusive_groups_and_balance(env: Env) -> None:
    base = env.request("BASE", {"2027": 50}, benefit=1)
    top = env.request("TOP", {"2027": 40}, benefit=100)
    env.depends(top, on_request=base)
    one = env.request("ONE", {"2027": 10}, benefit=30, category="ops")
    two = env.request("TWO", {"2027": 10}, benefit=20, category="ops")
    scenario = env.add(env.scenario(budgets={"2027": 200}), [base, top, one, two])
    ids = {c["code"]: c["id"] for c in scenario["candidates"]}
    grouped = env.as_("admin").patch(f"/api/v1/scenarios/{scenario['id']}", json={
        "version": scenario["version"], "exclusive": [[ids["ONE"], ids["TWO"]]],
        "balance": [{"tag": "category:ops", "min_share": 0, "max_share": 0.15}]})
    assert grouped.status_code == 200, grouped.text
    solved = env.solve(grouped.json()).json()
    cands = by_code(solved)
    assert cands["TOP"]["selected"] and cands["BASE"]["selected"]
    assert cands["ONE"]["selected"] and not cands["TWO"]["selected"]
    assert "mutually exclusive with item ONE" in cands["TWO"]["reason"]
    unbase = env.as_("admin").patch("/api/v1/scenarios/" + str(scenario["id"]) + "/candidates",
                                    json={"version": solved["version"],
                                          "candidate_id": ids["BASE"], "excluded": True})
    left = by_code(env.solve(unbase.json()).json())
    assert left["BASE"]["reason"] == "excluded"
    assert "requires item BASE, which is not selected" in left["TOP"]["reason"]
    # alone, ONE would be all of the spend: above the 15 % that category:ops may take
    assert left["ONE"]["reason"] == ("would break the balance rule: category:ops share of "
                                     "spend above 15%")


def test_infeasible_scenario_names_the_conflict(env: Env) -> None:
    must = [env.request(code, {"2027": 70}, benefit=1, mandatory=True) for code in ("M1", "M2")]
    scenario = env.add(env.scenario(), must)
    assert all(c["mandatory"] for c in scenario["candidates"])
    response = env.solve(scenario)
    assert response.status_code == 422
    body = response.json()
    assert body["result_status"] == "infeasible"
    assert any("mandatory items alone exceed the 2027 budget by 40 EUR" in c
               for c in body["conflicts"]), body
    assert "conflicts" in _fields(response)
    frontier = env.as_("admin").post(f"/api/v1/scenarios/{scenario['id']}/frontier")
    assert frontier.status_code == 422 and frontier.json()["conflicts"]


def test_solve_needs_candidates_and_budgets(env: Env) -> None:
    empty = env.scenario(budgets={})
    response = env.solve(empty)
    assert response.status_code == 422
    assert {"candidates", "budgets"} <= set(_fields(response))


def test_candidates_are_checked_and_rules_name_them(env: Env) -> None:
    approved = env.request("DONE", stage="approved")
    fresh = env.request("NEW", {"2027": 5})
    closed = env.project("PRJ-CLOSED", stage="closed")
    scenario = env.scenario()
    url = f"/api/v1/scenarios/{scenario['id']}/candidates"
    bad = env.as_("admin").post(url, json={"version": scenario["version"],
                                           "request_ids": [approved, 999999],
                                           "project_ids": [closed]})
    assert bad.status_code == 422
    assert set(_fields(bad)) == {"request_ids.0", "request_ids.1", "project_ids.0"}
    added = env.add(scenario, [fresh])
    again = env.as_("admin").post(url, json={"version": added["version"], "request_ids": [fresh]})
    assert again.status_code == 422 and "already a candidate" in again.text
    cid = added["candidates"][0]["id"]
    removed = env.as_("admin").request("DELETE", url, json={"version": added["version"],
                                                            "candidate_ids": [cid]})
    assert removed.status_code == 200 and removed.json()["candidates"] == []


def test_existing_project_costs_its_remaining_budget_in_the_scenario_years(env: Env) -> None:
    project = env.project("PRJ-RUN", budget_planned=300, budget_forecast=500, budget_actual=100,
                          planned_start=day("2026-07-01"), planned_finish=day("2028-06-30"))
    scenario = env.add(env.scenario(budgets={"2027": 1000, "2028": 1000}), project_ids=[project])
    flagged = env.as_("admin").patch(f"/api/v1/scenarios/{scenario['id']}/candidates", json={
        "version": scenario["version"], "candidate_id": scenario["candidates"][0]["id"],
        "value_override": "5"})
    solved = env.solve(flagged.json()).json()
    usage = {u["name"]: u["used"] for u in solved["result"]["usage"]}
    # 400 remaining over 365 days of 2027 and 182 days of 2028 (2026 is outside the scenario)
    assert usage["2027"] == pytest.approx(400 * 365 / 547)
    assert usage["2028"] == pytest.approx(400 * 182 / 547)
    assert solved["result"]["value"] == pytest.approx(5)
    assert by_code(solved)["PRJ-RUN"]["kind"] == "project"


def test_executives_read_others_see_nothing(env: Env) -> None:
    scenario, _ = env.knapsack()
    url = f"/api/v1/scenarios/{scenario['id']}"
    assert env.as_("exec").get(url).status_code == 200
    assert env.as_("exec").get("/api/v1/scenarios").json()["total"] >= 1
    assert env.as_("exec").post(f"{url}/solve").status_code == 403
    assert env.as_("exec").post("/api/v1/scenarios", json={"name": "X"}).status_code == 403
    for user in ("it_lead", "fin_pm", "it_viewer"):
        assert env.as_(user).get(url).status_code == 404
        assert env.as_(user).get("/api/v1/scenarios").status_code == 404
        assert env.as_(user).post(f"{url}/solve").status_code == 404


def test_a_time_limit_too_small_to_solve_anything_is_refused(env: Env) -> None:
    scenario, _ = env.knapsack()
    url = f"/api/v1/scenarios/{scenario['id']}/solve?time_limit=5e-324"
    response = env.as_("admin").post(url, json={"version": scenario["version"]})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["time_limit"]

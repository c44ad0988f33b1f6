"""Capacity counts running work: supply minus the demand of running projects and approved
requests, shown per role and quarter with the running projects that carry no demand."""

from __future__ import annotations

from typing import Any

import pytest

from tests.selection.conftest import ROLE, Env, by_code

LINE = "data engineer capacity in 2027-Q1"


def _running_work(env: Env) -> dict[str, int]:
    """Two data engineers (6 FTE-months a quarter) and work in every state."""
    env.person(hours=40)
    env.person(hours=40)
    run = env.project("RUN-1", {(ROLE, "2027-Q1"): 2, (ROLE, "2026-Q4"): 9})
    env.request("DONE", demand={(ROLE, "2027-Q1"): 10}, stage="approved", project_id=run)
    env.request("APPROVED", demand={(ROLE, "2027-Q1"): 1.5}, stage="approved")
    env.project("RUN-2", stage="planning")
    env.project("OLD-1", {(ROLE, "2027-Q1"): 5}, stage="closed")
    env.project("GONE-1", {(ROLE, "2027-Q1"): 5}, stage="cancelled")
    env.project("PROP-1", {(ROLE, "2027-Q1"): 5}, stage="proposed")
    return {"cand": env.project("CAND-1", {(ROLE, "2027-Q1"): 1}),
            "bare": env.project("CAND-0", stage="on_hold")}


def _line(capacity: dict[str, Any], role: str, period: str) -> dict[str, Any]:
    return next(ln for ln in capacity["lines"] if (ln["role"], ln["period"]) == (role, period))


def test_running_projects_and_approved_requests_take_capacity(env: Env) -> None:
    ids = _running_work(env)
    new = env.request("NEW", {"2027": 10}, {(ROLE, "2027-Q1"): 2}, benefit=50)
    scenario = env.add(env.scenario(), [new], [ids["cand"], ids["bare"]])
    capacity = env.as_("exec").get(f"/api/v1/scenarios/{scenario['id']}/capacity").json()
    # running RUN-1 (2) and the approved request without a project (1.5) are committed; closed,
    # cancelled and proposed work is not, nor the candidates; DONE's demand is RUN-1's now
    assert _line(capacity, "data engineer", "2027-Q1") == {
        "role": "data engineer", "period": "2027-Q1", "supply": 6.0, "committed": 3.5,
        "override": None, "free": 2.5}
    assert _line(capacity, "data engineer", "2027-Q2")["free"] == 6.0
    assert capacity["running_without_demand"] == ["RUN-2"]
    assert capacity["note"] == ("1 running project has no role demand: RUN-2; the capacity it "
                                "uses is not taken off")
    solved = env.solve(scenario).json()
    usage = {u["name"]: u for u in solved["result"]["usage"]}
    assert usage[LINE]["limit"] == pytest.approx(2.5) and usage[LINE]["used"] == pytest.approx(2)
    cands = by_code(solved)
    assert cands["NEW"]["selected"] and not cands["CAND-1"]["selected"]
    assert cands["CAND-1"]["reason"] == (
        f"{LINE} is used up by item NEW, which gives more value per unit of it (short by 0.5)")


def test_an_override_replaces_the_free_figure(env: Env) -> None:
    _running_work(env)
    scenario = env.scenario(capacity_overrides={ROLE: {"2027-Q1": 1}})
    capacity = env.as_("admin").get(f"/api/v1/scenarios/{scenario['id']}/capacity").json()
    # no candidates: CAND-1 is running work like any other, CAND-0 a project without demand
    assert _line(capacity, "data engineer", "2027-Q1") == {
        "role": "data engineer", "period": "2027-Q1", "supply": 6.0, "committed": 4.5,
        "override": 1.0, "free": 1.0}
    assert capacity["running_without_demand"] == ["CAND-0", "RUN-2"]


def test_the_scenario_page_shows_supply_committed_free_and_projects_without_demand(
        env: Env) -> None:
    ids = _running_work(env)
    scenario = env.add(env.scenario(), [], [ids["cand"]])
    page = env.as_("admin").get(f"/scenarios/{scenario['id']}").text
    for measure, figure in (("supply", "6.00"), ("committed", "3.50"), ("free", "2.50")):
        row = page[page.index(f'data-role="data engineer" data-measure="{measure}"'):]
        row = row[:row.index("</tr>")]
        assert f'data-period="2027-Q1">{figure}<' in row, row
    assert 'data-measure="override"' not in page
    assert ('2 running projects have no role demand: CAND-0, RUN-2; the capacity they use is '
            'not taken off.') in page


def test_the_reason_says_when_the_combination_wins(env: Env) -> None:
    x = env.request("X", {"2027": 1}, {(ROLE, "2027-Q1"): 6}, benefit=9)
    y = env.request("Y", {"2027": 1}, {(ROLE, "2027-Q1"): 5}, benefit=5.5)
    z = env.request("Z", {"2027": 1}, {(ROLE, "2027-Q1"): 5}, benefit=5.5)
    env.person(hours=40)
    scenario = env.add(env.scenario(capacity_overrides={ROLE: {"2027-Q1": 10}}), [x, y, z])
    cands = by_code(env.solve(scenario).json())
    assert not cands["X"]["selected"] and cands["Y"]["selected"] and cands["Z"]["selected"]
    assert cands["X"]["reason"] == (
        f"{LINE} is used up by the selected combination: no selected item using it gives more "
        "value per unit of it, but together they give more value (short by 6)")

"""GET /api/v1/rollup: levels, both rules, trends, carried-forward statuses, goal de-duplication."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Clients
from tests.rollup.conftest import Data

API = "/api/v1/rollup"


def rollup(as_: Clients, user: str = "admin", **params: str) -> dict[str, Any]:
    """The roll-up as ``user`` sees it (asserting success)."""
    r = as_(user).get(API, params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def rows(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Rows by node code."""
    return {row["code"]: row for row in body["rows"]}


def test_departments_roll_sub_departments_into_parents(as_: Clients, data: Data) -> None:
    body = rollup(as_, level="department", period="2025-03")
    got = rows(body)
    assert (body["period"], body["previous_period"], body["rule"]) == ("2025-03", "2025-02",
                                                                        "worst")
    infra, it = got["IT-INFRA"], got["IT"]
    assert (infra["colour"], infra["count"], infra["carried_forward"]) == ("amber", 2, 1)
    assert infra["counts"] == {"green": 1, "amber": 1, "red": 0, "unknown": 0}
    assert (infra["previous_colour"], infra["trend"]) == ("red", "improved")
    assert (it["colour"], it["count"], it["depth"], infra["depth"]) == ("red", 3, 0, 1)
    assert (it["planned"], it["forecast"]) == ("150000.00", "180000.00")  # P1's forecast 130k
    assert (it["previous_colour"], it["trend"]) == ("red", "unchanged")
    assert (got["FIN"]["colour"], got["FIN"]["trend"]) == ("amber", "worsened")
    assert [body["rows"][i]["code"] for i in range(4)] == ["FIN", "HR", "IT", "IT-INFRA"]


def test_finished_projects_and_silent_months(as_: Clients, data: Data) -> None:
    """P5 finished in January: it counts there, not later; P6 never reports."""
    january = rows(rollup(as_, level="department", period="2025-01"))
    february = rows(rollup(as_, level="department", period="2025-02"))
    assert (january["HR"]["colour"], january["HR"]["count"]) == ("red", 1)
    assert (february["HR"]["colour"], february["HR"]["count"]) == ("unknown", 0)
    assert (february["HR"]["previous_colour"], february["HR"]["trend"]) == ("red", None)
    assert january["IT"]["count"] == 2  # P1 and P2; P3 reports from February, P6 never
    assert (january["IT"]["trend"], january["IT"]["previous_colour"]) == ("new", "unknown")


def test_latest_report_of_the_month_wins_and_carries_forward(as_: Clients, data: Data) -> None:
    body = rollup(as_, level="department", period="2025-03")
    assert body["carried_forward"] == 1  # P3: February's report
    assert "For 1 of them the status is carried forward from an earlier month (no report for 2025-03)" in body["note"]
    april = rollup(as_, level="department", period="2025-04")
    assert april["carried_forward"] == 4
    assert rows(april)["IT"]["colour"] == "red"  # P1's 17 March report, carried
    assert rows(april)["IT"]["trend"] == "unchanged"


@pytest.mark.parametrize(("rule", "it", "infra", "score"), [
    ("worst", "red", "amber", "1.33"),
    # weights: P1 red 100,000, P2 green 50,000, P3 amber (no budget) 1: mean 200,001/150,001
    ("weighted", "amber", "green", "1.33"),
])
def test_both_rules(as_: Clients, data: Data, rule: str, it: str, infra: str,
                    score: str) -> None:
    body = rollup(as_, level="department", period="2025-03", rule=rule)
    got = rows(body)
    assert body["rule"] == rule
    assert (got["IT"]["rule"], got["IT"]["colour"], got["IT-INFRA"]["colour"]) == (rule, it, infra)
    assert got["IT"]["score"] == score


def test_goal_counts_a_project_once_per_goal(as_: Clients, data: Data) -> None:
    got = rows(rollup(as_, level="goal", period="2025-03"))
    # GROW: P1 (DIGI), P2 (DIGI and CUST) and P3 (GROW and CUST): three projects, not five.
    assert (got["GROW"]["count"], got["GROW"]["planned"], got["GROW"]["colour"]) == (
        3, "150000.00", "red")
    assert (got["DIGI"]["count"], got["CUST"]["count"], got["COST"]["count"]) == (2, 2, 1)
    assert (got["CUST"]["colour"], got["CUST"]["depth"]) == ("amber", 1)


def test_programmes(as_: Clients, data: Data) -> None:
    worst = rows(rollup(as_, level="programme", period="2025-03"))
    weighted = rows(rollup(as_, level="programme", period="2025-03", rule="weighted"))
    assert set(worst) == {"PRG-A", "PRG-B"}
    assert (worst["PRG-A"]["colour"], worst["PRG-A"]["count"]) == ("red", 2)
    assert weighted["PRG-A"]["colour"] == "amber"  # 200,000 / 150,000 = 1.33
    assert (worst["PRG-B"]["trend"], worst["PRG-A"]["trend"]) == ("worsened", "unchanged")


def test_portfolios_use_their_own_rule_unless_overridden(as_: Clients, data: Data) -> None:
    body = rollup(as_, level="portfolio", period="2025-03")
    got = rows(body)
    assert body["rule"] is None
    assert (got["PF-IT"]["rule"], got["PF-IT"]["colour"]) == ("weighted", "amber")
    assert (got["PF-ENT"]["rule"], got["PF-ENT"]["colour"], got["PF-ENT"]["count"]) == (
        "worst", "red", 2)
    forced = rows(rollup(as_, level="portfolio", period="2025-03", rule="worst"))
    assert (forced["PF-IT"]["rule"], forced["PF-IT"]["colour"]) == ("worst", "red")


def test_portfolio_rule_set_through_the_portfolio_api(as_: Clients, data: Data) -> None:
    portfolio_id = data.portfolios["PF-ENT"]
    current = as_("admin").get(f"/api/v1/portfolios/{portfolio_id}").json()
    changed = as_("admin").patch(f"/api/v1/portfolios/{portfolio_id}",
                                 json={"version": current["version"], "rollup_rule": "weighted"})
    assert changed.status_code == 200 and changed.json()["rollup_rule"] == "weighted"
    got = rows(rollup(as_, level="portfolio", period="2025-03"))
    # P1 red 100,000 and P4 amber 200,000: mean 400,000 / 300,000 = 1.33
    assert (got["PF-ENT"]["rule"], got["PF-ENT"]["colour"], got["PF-ENT"]["score"]) == (
        "weighted", "amber", "1.33")


def test_default_period_is_the_latest_reported_month(as_: Clients, data: Data) -> None:
    body = rollup(as_, level="department")
    assert (body["period"], body["previous_period"]) == ("2025-03", "2025-02")


@pytest.mark.parametrize(("params", "field"), [
    ({"level": "division"}, "level"),
    ({}, "level"),
    ({"level": "goal", "period": "2025-13"}, "period"),
    ({"level": "goal", "period": "2025-3"}, "period"),
    ({"level": "goal", "period": "March"}, "period"),
    ({"level": "goal", "period": "0000-01"}, "period"),
    ({"level": "goal", "rule": "average"}, "rule"),
])
def test_bad_parameters_name_the_parameter(as_: Clients, data: Data, params: dict[str, str],
                                           field: str) -> None:
    r = as_("admin").get(API, params=params)
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == [field]


def test_sign_in_required(as_: Clients) -> None:
    assert as_.anon.get(API, params={"level": "goal"}).status_code == 401

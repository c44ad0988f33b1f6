"""The overview API: exact totals, department and goal roll-ups, drill-down filters, access."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from epmo.portfolio.models import Project
from tests.conftest import Clients
from tests.factories import add_project
from tests.overview.conftest import Portfolio
from tests.world import World

URL = "/api/v1/overview"


def _money(totals: dict[str, Any]) -> tuple[int, str, str, str, str]:
    return (totals["count"], totals["planned"], totals["actual"], totals["forecast"],
            totals["variance"])


def _rows(body: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
    return {row["code"]: row for row in body[key]}


def test_enterprise_totals_are_exact(as_: Clients, portfolio: Portfolio) -> None:
    r = as_("admin").get(URL)
    assert r.status_code == 200, r.text
    totals = r.json()["totals"]
    assert _money(totals) == (5, "250000.35", "60000.50", "279500.35", "29500.00")
    assert totals["health_counts"] == {"green": 3, "amber": 1, "red": 1, "unknown": 0}
    assert totals["worst"] == "red"
    # Budget-weighted: 180000.10 green, 50000.25 amber, 20000 red -> mean below amber.
    assert totals["weighted"] == "green"


def test_empty_enterprise_has_zero_totals(as_: Clients) -> None:
    body = as_("admin").get(URL).json()
    assert _money(body["totals"]) == (0, "0.00", "0.00", "0.00", "0.00")
    assert body["totals"]["worst"] == "unknown"
    assert [s["count"] for s in body["by_stage"]] == [0] * 8
    assert body["by_programme"] == []


def test_department_totals_roll_up_sub_departments(
    as_: Clients, portfolio: Portfolio, world: World
) -> None:
    rows = _rows(as_("admin").get(URL).json(), "by_department")
    it, infra = rows["IT"], rows["IT-INFRA"]
    assert _money(it["own"]) == (1, "100000.00", "40000.50", "110000.00", "10000.00")
    assert _money(it["rolled"]) == (3, "170000.25", "55000.50", "200000.25", "30000.00")
    assert it["rolled"]["worst"] == "red" and it["own"]["worst"] == "green"
    assert _money(infra["own"]) == _money(infra["rolled"]) == (
        2, "70000.25", "15000.00", "90000.25", "20000.00")
    assert infra["parent_id"] == world.departments["IT"] and infra["depth"] == 1
    assert _money(rows["HR"]["rolled"]) == (1, "5000.00", "5000.00", "4500.00", "-500.00")
    # Tree order: each department directly followed by its sub-departments.
    codes = [row["code"] for row in as_("admin").get(URL).json()["by_department"]]
    assert codes.index("IT-INFRA") == codes.index("IT") + 1


def test_goals_count_each_project_once_per_goal_and_subtree(
    as_: Clients, portfolio: Portfolio
) -> None:
    rows = _rows(as_("admin").get(URL).json(), "by_goal")
    assert _money(rows["DIGI"]["own"]) == (2, "150000.25", "50000.50", "170000.25", "20000.00")
    assert _money(rows["CUST"]["own"]) == (2, "70000.25", "15000.00", "90000.25", "20000.00")
    assert _money(rows["GROW"]["own"]) == (1, "20000.00", "5000.00", "30000.00", "10000.00")
    # P2 serves DIGI and CUST, P3 serves GROW and CUST: GROW's subtree still has 3 projects.
    assert _money(rows["GROW"]["rolled"]) == (3, "170000.25", "55000.50", "200000.25", "30000.00")
    assert rows["GROW"]["rolled"]["health_counts"] == {"green": 1, "amber": 1, "red": 1,
                                                        "unknown": 0}
    assert _money(rows["COST"]["rolled"]) == (1, "75000.10", "0.00", "75000.10", "0.00")
    assert [(r["code"], r["depth"]) for r in as_("admin").get(URL).json()["by_goal"]] == [
        ("COST", 0), ("GROW", 0), ("CUST", 1), ("DIGI", 1)]


def test_stages_in_lifecycle_order(as_: Clients, portfolio: Portfolio) -> None:
    stages = as_("admin").get(URL).json()["by_stage"]
    assert [s["stage"] for s in stages] == [
        "proposed", "approved", "planning", "executing", "closing", "closed", "on_hold",
        "cancelled"]
    counts = {s["stage"]: s["count"] for s in stages}
    assert counts == {"proposed": 1, "approved": 0, "planning": 1, "executing": 2, "closing": 1,
                      "closed": 0, "on_hold": 0, "cancelled": 0}
    executing = stages[3]
    assert executing["planned"] == "120000.00" and executing["worst"] == "red"


def test_by_health_and_by_programme(as_: Clients, portfolio: Portfolio) -> None:
    body = as_("admin").get(URL).json()
    assert body["by_health"]["green"] == {"count": 3, "planned": "180000.10",
                                          "actual": "45000.50", "forecast": "189500.10",
                                          "missing_planned": 0}
    assert body["by_health"]["red"]["planned"] == "20000.00"
    assert body["by_health"]["unknown"]["count"] == 0
    programmes = [(p["code"], p["count"], p["planned"]) for p in body["by_programme"]]
    assert programmes == [("PRG-CLOUD", 2, "150000.25"), ("PRG-LEAN", 1, "75000.10"),
                          (None, 2, "25000.00")]
    assert body["programme_count"] == 2


def test_programme_rows_are_the_largest_first(as_: Clients, portfolio: Portfolio) -> None:
    body = as_("admin").get(URL, params={"programmes": 1}).json()
    assert [(p["code"], p["count"]) for p in body["by_programme"]] == [("PRG-CLOUD", 2),
                                                                       (None, 2)]
    assert body["programme_count"] == 2
    none = as_("admin").get(URL, params={"programmes": 0}).json()
    assert [p["code"] for p in none["by_programme"]] == [None]
    assert none["totals"]["count"] == 5


@pytest.mark.parametrize("value", ["-1", "100001", "many"])
def test_programme_rows_out_of_range_is_422(as_: Clients, value: str) -> None:
    response = as_("admin").get(URL, params={"programmes": value})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "programmes"


def test_department_drill_down_is_its_subtree(
    as_: Clients, portfolio: Portfolio, world: World
) -> None:
    body = as_("admin").get(URL, params={"department_id": world.departments["IT"]}).json()
    assert _money(body["totals"]) == (3, "170000.25", "55000.50", "200000.25", "30000.00")
    assert [d["code"] for d in body["by_department"]] == ["IT", "IT-INFRA"]
    assert body["by_department"][0]["depth"] == 0
    assert body["filters"]["department"]["code"] == "IT"
    goals = _rows(body, "by_goal")
    assert goals["COST"]["rolled"]["count"] == 0 and goals["DIGI"]["rolled"]["count"] == 2

    infra = as_("admin").get(URL, params={"department_id": world.departments["IT-INFRA"]}).json()
    assert [d["code"] for d in infra["by_department"]] == ["IT-INFRA"]
    assert infra["by_department"][0]["depth"] == 0
    assert [c["code"] for c in infra["filters"]["department_path"]] == ["IT"]


def test_goal_drill_down_is_projects_serving_its_subtree(
    as_: Clients, portfolio: Portfolio
) -> None:
    body = as_("admin").get(URL, params={"goal_id": portfolio.goals["GROW"]}).json()
    assert _money(body["totals"]) == (3, "170000.25", "55000.50", "200000.25", "30000.00")
    assert [g["code"] for g in body["by_goal"]] == ["GROW", "CUST", "DIGI"]
    cust = as_("admin").get(URL, params={"goal_id": portfolio.goals["CUST"]}).json()
    assert _money(cust["totals"]) == (2, "70000.25", "15000.00", "90000.25", "20000.00")
    assert [g["code"] for g in cust["by_goal"]] == ["CUST"]
    assert [c["code"] for c in cust["filters"]["goal_path"]] == ["GROW"]
    assert _rows(cust, "by_department")["IT"]["rolled"]["count"] == 2


def test_filters_combine(as_: Clients, portfolio: Portfolio, world: World) -> None:
    params = {"department_id": world.departments["IT-INFRA"], "goal_id": portfolio.goals["DIGI"]}
    body = as_("admin").get(URL, params=params).json()
    assert _money(body["totals"]) == (1, "50000.25", "10000.00", "60000.25", "10000.00")
    cloud = as_("admin").get(URL, params={"programme_id": portfolio.programmes["PRG-CLOUD"]})
    assert _money(cloud.json()["totals"]) == (2, "150000.25", "50000.50", "170000.25",
                                              "20000.00")
    assert cloud.json()["filters"]["programme"]["code"] == "PRG-CLOUD"


def test_unknown_filter_is_404_naming_the_field(as_: Clients, portfolio: Portfolio) -> None:
    for field in ("department_id", "goal_id", "programme_id"):
        r = as_("admin").get(URL, params={field: 999_999})
        assert r.status_code == 404, field
        assert r.json()["errors"] == [{"field": field, "message": "not found"}]
    assert as_("admin").get(URL, params={"goal_id": "x"}).status_code == 422


def test_every_signed_in_user_may_read_an_overview(as_: Clients, portfolio: Portfolio) -> None:
    admin = as_("admin").get(URL).json()
    assert as_("exec").get(URL).json() == admin  # enterprise roles see it all
    for user in ("hr_viewer", "it_member", "fin_pm"):  # the rest, what they may open
        r = as_(user).get(URL)
        assert r.status_code == 200 and r.json()["restricted"] is True, user


def test_anonymous_gets_401(as_: Clients) -> None:
    r = as_.anon.get(URL)
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")


def test_unrecognised_health_counts_as_unknown(
    as_: Clients, db: Session, world: World, portfolio: Portfolio
) -> None:
    add_project(db, world, "FIN", "P-ODD", name="Odd", health="grey",
                budget_planned=Decimal("0.10"))
    totals = as_("admin").get(URL).json()["totals"]
    assert totals["health_counts"]["unknown"] == 1 and totals["count"] == 6
    assert totals["planned"] == "250000.45"


def test_money_sums_stay_exact_at_scale(as_: Clients, db: Session, world: World) -> None:
    # A float sum of these drifts by cents, and the actual total in cents is beyond 2**53.
    db.add_all(Project(code=f"BIG{i}", name="Big", department_id=world.departments["HR"],
                       budget_planned=Decimal("9876543210.99"),
                       budget_actual=Decimal("123456789012.34")) for i in range(1000))
    db.flush()
    totals = as_("admin").get(URL).json()["totals"]
    assert (totals["planned"], totals["actual"]) == ("9876543210990.00", "123456789012340.00")


def test_openapi_documents_the_overview(as_: Clients) -> None:
    spec = as_("admin").get("/api/openapi.json").json()
    operation = spec["paths"]["/api/v1/overview"]["get"]
    assert operation["tags"] == ["overview"]
    assert {p["name"] for p in operation["parameters"]} == {"department_id", "goal_id",
                                                            "programme_id", "programmes",
                                                            "status"}

"""Searching the register (filters, sort, paging) and exporting it as CSV and Excel."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from tests.conftest import Clients
from tests.factories import API, Maker
from tests.web.helpers import login
from tests.world import World


@pytest.fixture
def register(make: Maker, world: World, goals: dict[str, int]) -> dict[str, Any]:
    """Five projects with distinct departments, stages, health, budgets, finishes and links."""
    programme = make.programme("IT")
    portfolio = make.portfolio(None)
    rows = [  # code, dept, stage, health, budget, finish, in programme/portfolio, goal
        ("ALPHA", "IT", "executing", "green", "500.00", "2025-05-01", True, "DIGI"),
        ("BRAVO", "IT-INFRA", "planning", "red", "100.00", "2025-03-01", True, None),
        ("CHARLIE", "FIN", "executing", "amber", "300.00", None, False, "COST"),
        ("DELTA", "HR", "proposed", "green", "200.00", "2025-01-15", False, "GROW"),
        ("ECHO", "IT-INFRA", "closed", "green", "400.00", "2026-01-01", False, None),
    ]
    made = {}
    for code, dept, stage, health, budget, finish, grouped, goal in rows:
        fields: dict[str, Any] = {"code": code, "name": f"Project {code.title()}",
                                  "stage": stage, "health": health, "budget_planned": budget,
                                  "planned_finish": finish,
                                  "manager_id": world.people["it_pm"]}
        if grouped:
            fields |= {"programme_id": programme["id"], "portfolio_ids": [portfolio["id"]]}
        if goal:
            fields["goals"] = [{"goal_id": goals[goal], "weight": 40}]
        made[code] = make.project(dept, **fields)
    return {"programme": programme, "portfolio": portfolio, "projects": made, "goals": goals}


def _codes(as_: Clients, user: str = "admin", **params: Any) -> list[str]:
    r = as_(user).get(f"{API}/projects", params={"limit": 100, "status": "all"} | params)
    assert r.status_code == 200, r.text
    return [p["code"] for p in r.json()["items"]]


def test_filters(as_: Clients, world: World, register: dict[str, Any]) -> None:
    goals = register["goals"]
    assert _codes(as_, department_id=world.departments["IT"]) == ["ALPHA", "BRAVO", "ECHO"]
    assert _codes(as_, department_id=world.departments["IT-INFRA"]) == ["BRAVO", "ECHO"]
    assert _codes(as_, stage="executing") == ["ALPHA", "CHARLIE"]
    assert _codes(as_, stage=["planning", "proposed"]) == ["BRAVO", "DELTA"]
    assert _codes(as_, health="green") == ["ALPHA", "DELTA", "ECHO"]
    assert _codes(as_, goal_id=goals["GROW"]) == ["ALPHA", "DELTA"]  # DIGI is under GROW
    assert _codes(as_, goal_id=goals["DIGI"]) == ["ALPHA"]
    assert _codes(as_, programme_id=register["programme"]["id"]) == ["ALPHA", "BRAVO"]
    assert _codes(as_, portfolio_id=register["portfolio"]["id"]) == ["ALPHA", "BRAVO"]
    assert _codes(as_, q="charl") == ["CHARLIE"]
    assert _codes(as_, q="project d") == ["DELTA"]
    assert _codes(as_, department_id=world.departments["IT"], health="green",
                  stage="executing") == ["ALPHA"]
    assert _codes(as_, department_id=999999) == []


def test_sorting(as_: Clients, register: dict[str, Any]) -> None:
    assert _codes(as_, sort="-code") == ["ECHO", "DELTA", "CHARLIE", "BRAVO", "ALPHA"]
    assert _codes(as_, sort="name") == ["ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO"]
    assert _codes(as_, sort="budget") == ["BRAVO", "DELTA", "CHARLIE", "ECHO", "ALPHA"]
    assert _codes(as_, sort="-budget") == ["ALPHA", "ECHO", "CHARLIE", "DELTA", "BRAVO"]
    # Projects without a finish come last either way.
    assert _codes(as_, sort="finish") == ["DELTA", "BRAVO", "ALPHA", "ECHO", "CHARLIE"]
    assert _codes(as_, sort="-finish") == ["ECHO", "ALPHA", "BRAVO", "DELTA", "CHARLIE"]


def test_paging(as_: Clients, register: dict[str, Any]) -> None:
    first = as_("admin").get(f"{API}/projects", params={"limit": 2, "status": "all"}).json()
    assert (first["total"], first["limit"], first["offset"]) == (5, 2, 0)
    assert [p["code"] for p in first["items"]] == ["ALPHA", "BRAVO"]
    last = as_("admin").get(f"{API}/projects",
                            params={"limit": 2, "offset": 4, "status": "all"}).json()
    assert [p["code"] for p in last["items"]] == ["ECHO"]
    assert as_("admin").get(f"{API}/projects", params={"limit": 0}).status_code == 422
    assert as_("admin").get(f"{API}/projects", params={"offset": -1}).status_code == 422


def test_register_lists_active_work_unless_asked(as_: Clients, app: object, world: World,
                                                register: dict[str, Any]) -> None:
    r = as_("admin").get(f"{API}/projects", params={"limit": 100})
    assert [p["code"] for p in r.json()["items"]] == ["ALPHA", "BRAVO", "CHARLIE", "DELTA"]
    assert _codes(as_, status="closed") == ["ECHO"]
    assert _codes(as_, status="active", stage="closed") == ["ECHO"]  # a stage filter wins
    csv_rows = as_("admin").get(f"{API}/projects/export", params={"format": "csv"}).text
    assert "ECHO" not in csv_rows and "ALPHA" in csv_rows
    page = login(app, world, "admin").client.get("/projects", params={"status": "closed"}).text
    assert "ECHO" in page and "ALPHA" not in page
    assert '<option value="closed" selected>' in page
    assert as_("admin").get(f"{API}/projects", params={"status": "gone"}).status_code == 422


@pytest.mark.parametrize(("params", "field"), [
    ({"stage": "dreaming"}, "stage.0"), ({"health": "blue"}, "health.0"),
    ({"sort": "budgetz"}, "sort"), ({"department_id": "IT"}, "department_id"),
    ({"q": "x" * 201}, "q"),
])
def test_bad_filters_are_422(as_: Clients, params: dict[str, Any], field: str) -> None:
    r = as_("admin").get(f"{API}/projects", params=params)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == field
    r = as_("admin").get(f"{API}/projects/export", params=params)
    assert r.status_code == 422


def test_csv_export_is_the_filtered_list(as_: Clients, world: World,
                                         register: dict[str, Any]) -> None:
    r = as_("it_viewer").get(f"{API}/projects/export",
                             params={"format": "csv", "sort": "-budget", "status": "all"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["code"] for row in rows] == ["ALPHA", "ECHO", "BRAVO"]  # IT's scope only
    alpha = rows[0]
    assert alpha["department"] == "IT" and alpha["stage"] == "executing"
    assert alpha["manager"] == "It Pm" and alpha["programme"] == register["programme"]["code"]
    assert alpha["portfolios"] == register["portfolio"]["code"]
    assert alpha["goals"] == "DIGI (40)"
    assert alpha["budget_planned"] == "500.00" and alpha["planned_finish"] == "2025-05-01"
    assert alpha["actual_finish"] == ""
    filtered = as_("admin").get(f"{API}/projects/export",
                                params={"health": "green", "department_id": world.departments["IT"],
                                        "status": "all"})
    assert [line.split(",")[0] for line in filtered.text.splitlines()] == ["code", "ALPHA", "ECHO"]


def test_xlsx_export_keeps_numbers_and_dates(as_: Clients, register: dict[str, Any]) -> None:
    r = as_("admin").get(f"{API}/projects/export", params={"format": "xlsx", "stage": "executing"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    book = CalamineWorkbook.from_filelike(io.BytesIO(r.content))
    rows = book.get_sheet_by_name("Projects").to_python()
    header = rows[0]
    records = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert [rec["code"] for rec in records] == ["ALPHA", "CHARLIE"]
    alpha = records[0]
    assert alpha["budget_planned"] == 500.0 and isinstance(alpha["budget_planned"], float)
    assert alpha["tier"] == 3
    assert alpha["planned_finish"] == date(2025, 5, 1)
    assert records[1]["planned_finish"] == ""
    assert records[1]["goals"] == "COST (40)"


def test_export_format_is_checked(as_: Clients) -> None:
    r = as_("admin").get(f"{API}/projects/export", params={"format": "pdf"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "format"


def test_export_of_text_that_looks_like_a_formula_stays_text(as_: Clients, make: Maker) -> None:
    make.project("IT", name="=HYPERLINK(\"http://evil\")")
    r = as_("admin").get(f"{API}/projects/export", params={"format": "xlsx"})
    rows = CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_index(0).to_python()
    assert rows[1][1] == "=HYPERLINK(\"http://evil\")"

"""Unknown health and unknown money (issue 10, items 4 and 5), through the API and the pages.

A project nobody reported on has no health (unknown, never green); a budget nobody entered is
unknown (null, never 0). Totals leave unknown money out and say how many projects lack it; the
variance covers only projects that know both planned and forecast.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from sqlalchemy.orm import Session

from tests.conftest import Clients
from tests.factories import API, Maker
from tests.web.helpers import login
from tests.world import World

OVERVIEW = f"{API}/overview"


def _portfolio(make: Maker) -> dict[str, dict[str, Any]]:
    """Three projects in FIN: one fully known, one with no budget at all, one with a planned
    budget but no forecast, and (apart from the first) no health."""
    return {
        "known": make.project("FIN", code="K-1", health="amber", budget_planned="1000",
                              budget_actual="200", budget_forecast="1500"),
        "blank": make.project("FIN", code="U-1"),
        "half": make.project("FIN", code="U-2", budget_planned="9000000"),
    }


def test_a_new_project_has_unknown_health_and_money(make: Maker, as_: Clients) -> None:
    made = _portfolio(make)
    blank = made["blank"]
    assert blank["health"] is None
    assert (blank["budget_planned"], blank["budget_actual"], blank["budget_forecast"]) == (
        None, None, None)
    read = as_("admin").get(f"{API}/projects/{made['half']['id']}").json()
    assert (read["budget_planned"], read["budget_forecast"]) == ("9000000.00", None)


def test_overview_counts_unknown_health_apart_and_never_as_green(make: Maker,
                                                                 as_: Clients) -> None:
    _portfolio(make)
    totals = as_("admin").get(OVERVIEW).json()["totals"]
    assert totals["health_counts"] == {"green": 0, "amber": 1, "red": 0, "unknown": 2}
    assert (totals["worst"], totals["weighted"]) == ("amber", "amber")


def test_overview_money_leaves_unknown_out_and_says_how_many_lack_it(make: Maker,
                                                                     as_: Clients) -> None:
    _portfolio(make)
    body = as_("admin").get(OVERVIEW).json()
    totals = body["totals"]
    assert (totals["count"], totals["planned"], totals["forecast"]) == (
        3, "9001000.00", "1500.00")
    assert (totals["missing_planned"], totals["missing_actual"],
            totals["missing_forecast"]) == (1, 2, 2)
    # Only K-1 knows both: 1500 - 1000. Counting unknown as 0 would give -8,999,500.
    assert (totals["compared"], totals["variance"]) == (1, "500.00")
    fin = next(row for row in body["by_department"] if row["code"] == "FIN")
    assert (fin["rolled"]["variance"], fin["rolled"]["missing_planned"]) == ("500.00", 1)
    assert body["by_health"]["unknown"]["count"] == 2
    assert body["by_health"]["unknown"]["missing_planned"] == 1


def test_overview_page_shows_the_unknown_band_and_the_missing_figures(make: Maker,
                                                                      as_: Clients) -> None:
    _portfolio(make)
    page = as_("admin").get("/").text
    unknown = re.search(r'data-testid="kpi-unknown".*?</div>\s*</div>', page, re.S)
    assert unknown and "66.7 %" in unknown.group(0)
    assert re.search(r'data-testid="kpi-planned-missing">\s*1 of 3 projects have no planned '
                     r'budget<', page)
    assert '1 of 3 projects have no planned budget' in page
    assert re.search(r'data-testid="kpi-variance-over">over the 1 of 3 projects with both', page)
    assert "(+2 unknown)" in page


def test_a_status_report_sets_the_unknown_health(make: Maker, as_: Clients) -> None:
    project = make.project("FIN", code="R-1")
    assert project["health"] is None
    r = as_("admin").post(f"{API}/projects/{project['id']}/status-reports", json={
        "period": "2026-01-05", "overall": "red", "achievements": "Late"})
    assert r.status_code == 201, r.text
    assert as_("admin").get(f"{API}/projects/{project['id']}").json()["health"] == "red"
    assert as_("admin").get(OVERVIEW).json()["totals"]["health_counts"]["unknown"] == 0


def test_patch_may_set_money_and_health_back_to_unknown(make: Maker, as_: Clients) -> None:
    project = make.project("FIN", health="green", budget_planned="5000")
    r = as_("admin").patch(f"{API}/projects/{project['id']}", json={
        "version": project["version"], "budget_planned": None, "health": None})
    assert r.status_code == 200, r.text
    assert (r.json()["budget_planned"], r.json()["health"]) == (None, None)


def test_project_list_filters_unknown_health(make: Maker, as_: Clients) -> None:
    made = _portfolio(make)
    r = as_("admin").get(f"{API}/projects", params={"health": ["unknown", "amber"]})
    assert r.status_code == 200, r.text
    codes = sorted(p["code"] for p in r.json()["items"])
    assert codes == sorted(p["code"] for p in made.values())
    only = as_("admin").get(f"{API}/projects", params={"health": "unknown"}).json()["items"]
    assert sorted(p["code"] for p in only) == ["U-1", "U-2"]


def test_project_form_leaves_empty_money_and_health_unknown(app: object, as_: Clients,
                                                           world: World, db: Session) -> None:
    browser = login(app, world, "it_pm")
    page = browser.client.get("/projects/new").text
    assert '<option value="" selected>unknown (not reported yet)</option>' in page
    assert 'name="budget_planned" value="" placeholder="unknown"' in page
    r: Any = browser.post_form("/projects/new", {
        "code": "WEB-U", "name": "Typed without money",
        "department_id": str(world.departments["IT"]), "health": "", "stage": "proposed",
        "headcount": "1", "risk_rating": "1", "budget_planned": "", "budget_actual": "",
        "budget_forecast": "", "goal_id": "", "goal_weight": ""})
    assert r.status_code == 303, r.text
    read = as_("admin").get(f"{API}/projects", params={"q": "WEB-U"}).json()["items"][0]
    assert (read["health"], read["budget_planned"], read["budget_actual"]) == (None, None, None)
    detail = as_("admin").get(r.headers["location"]).text
    assert 'id="project-health">unknown<' in detail
    assert detail.count('<td class="text-end">unknown</td>') == 3


def test_group_page_says_how_many_projects_lack_a_budget(make: Maker, as_: Clients) -> None:
    portfolio = make.portfolio("FIN")
    for code, planned in (("G-1", "1000"), ("G-2", None)):
        fields = {"portfolio_ids": [portfolio["id"]], "code": code}
        make.project("FIN", **fields, **({"budget_planned": planned} if planned else {}))
    page = as_("admin").get(f"/portfolios/{portfolio['id']}").text
    assert re.search(r'data-testid="missing-planned">1 of 2 projects have no planned budget', page)
    assert 'data-testid="total-planned" data-value="1000.00"' in page


def test_export_leaves_unknown_cells_empty(make: Maker, as_: Clients) -> None:
    _portfolio(make)
    r = as_("admin").get(f"{API}/projects/export", params={"format": "csv", "q": "U-"})
    assert r.status_code == 200, r.text
    rows = list(csv.DictReader(io.StringIO(r.text)))
    blank = next(row for row in rows if row["code"] == "U-1")
    half = next(row for row in rows if row["code"] == "U-2")
    assert (blank["health"], blank["budget_planned"], blank["budget_forecast"]) == ("", "", "")
    assert (half["budget_planned"], half["budget_forecast"]) == ("9000000.00", "")

"""The overview pages: KPI cards, chart containers with their JSON data, tables, drill-downs."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from tests.conftest import Clients
from tests.factories import add_programme, add_project
from tests.overview.conftest import Portfolio
from tests.world import World

DATA = re.compile(r'<script type="application/json" id="overview-data">(.*?)</script>', re.S)
CHARTS = ("chart-health", "chart-department", "chart-stage", "chart-goal")
KPIS = ("kpi-projects", "kpi-planned", "kpi-actual", "kpi-forecast", "kpi-variance", "kpi-red",
        "kpi-amber", "kpi-green")


def _data(html: str) -> dict[str, Any]:
    found = DATA.search(html)
    assert found, "page embeds no overview-data"
    return dict(json.loads(found.group(1)))


def _card(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</div>\s*</div>\s*</div>', html, re.S)
    assert found, testid
    return re.sub(r"<[^>]+>|\s+", " ", found.group(1)).strip()


def test_overview_page_has_kpis_charts_and_data(as_: Clients, portfolio: Portfolio) -> None:
    r = as_("admin").get("/")
    assert r.status_code == 200
    html = r.text
    for chart in CHARTS:
        assert f'id="{chart}"' in html
    for kpi in KPIS:
        assert f'data-testid="{kpi}"' in html
    assert _card(html, "kpi-projects").endswith("5")
    # the exact planned total, in the hub's currency, on hover over the compact card
    assert 'title="€250,000.35"' in html and _card(html, "kpi-planned").endswith("€250K")
    assert _card(html, "kpi-red").endswith("20.0 %") and _card(html, "kpi-green").endswith("60.0 %")
    assert '<script src="/static/vendor/echarts.min.js"></script>' in html
    assert '<script src="/static/overview.js"></script>' in html
    assert "counted, with its full budget, under each goal it serves" in html


def test_overview_chart_data(as_: Clients, portfolio: Portfolio) -> None:
    data = _data(as_("admin").get("/").text)
    assert data["health"] == [{"name": "green", "value": 3}, {"name": "amber", "value": 1},
                              {"name": "red", "value": 1}, {"name": "unknown", "value": 0}]
    department = data["department"]
    assert department["labels"] == ["FIN", "HR", "IT"]  # top-level, rolled up
    assert department["planned"] == ["75000.10", "5000.00", "170000.25"]
    assert department["links"][2].startswith("/overview/departments/")
    assert data["goal"]["labels"] == ["COST", "GROW"]
    assert data["goal"]["planned"] == ["75000.10", "170000.25"]
    assert data["stage"]["labels"][3] == "executing"
    assert data["stage"]["series"]["red"][3] == 1 and data["stage"]["series"]["green"][3] == 1


def test_overview_tables_link_to_drill_downs_and_project_list(
    as_: Clients, portfolio: Portfolio, world: World
) -> None:
    html = as_("admin").get("/").text
    it = world.departments["IT"]
    assert f'href="/overview/departments/{it}"' in html
    assert f'href="/projects?department_id={it}"' in html
    assert f'href="/overview/goals/{portfolio.goals["GROW"]}"' in html
    assert f'href="/projects?goal_id={portfolio.goals["GROW"]}"' in html
    assert 'href="/projects?stage=on_hold"' in html
    assert f'href="/projects?programme_id={portfolio.programmes["PRG-CLOUD"]}"' in html
    assert 'id="project-list-link" href="/projects"' in html


def test_department_drill_down_page(as_: Clients, portfolio: Portfolio, world: World) -> None:
    it = world.departments["IT"]
    r = as_("admin").get(f"/overview/departments/{it}")
    assert r.status_code == 200
    html = r.text
    assert "Information Technology</h1>" in html
    assert f'id="project-list-link" href="/projects?department_id={it}"' in html
    assert f'href="/projects?department_id={it}&amp;stage=executing"' in html
    assert _card(html, "kpi-projects").endswith("3")
    data = _data(html)
    assert data["department"]["labels"] == ["IT (own)", "IT-INFRA"]
    assert data["department"]["links"][0] is None
    infra = as_("admin").get(f"/overview/departments/{world.departments['IT-INFRA']}").text
    assert f'<a href="/overview/departments/{it}">Information Technology</a>' in infra  # crumb


def test_goal_drill_down_page(as_: Clients, portfolio: Portfolio) -> None:
    grow = portfolio.goals["GROW"]
    r = as_("it_member").get(f"/overview/goals/{grow}")
    assert r.status_code == 200
    html = r.text
    assert "Goal GROW</h1>" in html
    assert f'id="project-list-link" href="/projects?goal_id={grow}"' in html
    assert _card(html, "kpi-projects").endswith("3")
    assert _data(html)["goal"]["labels"] == ["GROW (own)", "CUST", "DIGI"]


def test_programme_drill_down_page(as_: Clients, portfolio: Portfolio) -> None:
    cloud = portfolio.programmes["PRG-CLOUD"]
    home = as_("it_member").get("/").text
    assert f'href="/overview/programmes/{cloud}"' in home
    r = as_("it_member").get(f"/overview/programmes/{cloud}")
    assert r.status_code == 200
    html = r.text
    assert "Programme PRG-CLOUD</h1>" in html
    assert f'id="project-list-link" href="/projects?programme_id={cloud}"' in html
    assert _card(html, "kpi-projects").endswith("2")


def test_missing_drill_down_is_404(as_: Clients, portfolio: Portfolio) -> None:
    assert as_("admin").get("/overview/departments/999999").status_code == 404
    assert as_("admin").get("/overview/goals/999999").status_code == 404
    assert as_("admin").get("/overview/programmes/999999").status_code == 404
    assert as_("admin").get("/overview/programmes/99999999999999999999").status_code == 422


def test_anonymous_is_sent_to_sign_in(as_: Clients) -> None:
    r = as_.anon.get("/", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/"


def test_empty_enterprise_page_renders(as_: Clients) -> None:
    html = as_("admin").get("/").text
    assert _card(html, "kpi-projects").endswith("0")
    assert _data(html)["department"]["labels"] == []


def test_overview_script_is_served(as_: Clients) -> None:
    r = as_.anon.get("/static/overview.js")
    assert r.status_code == 200
    assert "overview-data" in r.text and "echarts.init" in r.text


def test_page_lists_the_largest_programmes_only(
    as_: Clients, db: Session, world: World, portfolio: Portfolio
) -> None:
    for i in range(12):
        programme = add_programme(db, world, "FIN", f"MANY{i:02}", name=f"Many {i}")
        add_project(db, world, "FIN", f"MP{i}", name="Many", programme_id=programme.id,
                    budget_planned=Decimal(1000 + i))
    html = as_("admin").get("/").text
    assert "Largest programmes" in html and "and 4 smaller programmes" in html
    assert ">PRG-CLOUD<" in html and ">MANY11<" in html and ">MANY03<" not in html
    assert len(as_("admin").get("/api/v1/overview").json()["by_programme"]) == 15

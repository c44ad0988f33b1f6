"""The /rollup page: pickers, the table with colour chips and trends, heatmap, pack links."""

from __future__ import annotations

import json
import re

import pytest

from tests.rollup.conftest import Data
from tests.web.helpers import login
from tests.world import World


def _row(html: str, code: str) -> str:
    """The table row of one node."""
    found = re.search(rf'<tr data-id="\d+"[^>]*>\s*<td[^>]*>\s*(<a [^>]*>)?{re.escape(code)}\b.*?</tr>',
                      html, re.S)
    assert found, f"no row for {code}"
    return found.group(0)


def test_department_table_with_chips_and_trends(app: object, world: World, data: Data) -> None:
    browser = login(app, world, "exec")
    page = browser.client.get("/rollup", params={"level": "department", "period": "2025-03"})
    assert page.status_code == 200, page.text
    html = page.text
    assert 'href="/rollup">Roll-up</a>' in html  # the nav link
    assert "Status roll-up · Department · 2025-03" in html
    infra = _row(html, "IT-INFRA")
    assert 'data-colour="amber"' in infra and 'data-trend="improved"' in infra and "▲" in infra
    fin = _row(html, "FIN")
    assert 'data-trend="worsened"' in fin and "▼" in fin
    assert 'value="2025-03"' in html and "For 1 of them the status is carried forward from an earlier month (no report for 2025-03)" in html
    assert 'id="focus-hint"' in html and 'id="rag-heatmap"' not in html


def test_weighted_rule_and_goal_level(app: object, world: World, data: Data) -> None:
    browser = login(app, world, "admin")
    weighted = browser.client.get("/rollup", params={"level": "department", "period": "2025-03",
                                                     "rule": "weighted"}).text
    assert 'data-colour="amber"' in _row(weighted, "IT") and "weighted" in _row(weighted, "IT")
    goals = browser.client.get("/rollup", params={"level": "goal", "period": "2025-03"}).text
    assert re.search(r"<td class=\"text-end\">3</td>", _row(goals, "GROW"))


def test_heatmap_and_pack_links_for_a_department(app: object, world: World, data: Data) -> None:
    browser = login(app, world, "it_lead")
    it = world.departments["IT"]
    html = browser.client.get("/rollup", params={"level": "department", "period": "2025-03",
                                                 "department_id": str(it),
                                                 "portfolio_id": ""}).text
    assert 'id="rag-heatmap"' in html and "/static/vendor/echarts.min.js" in html
    heatmap = json.loads(re.search(r'<script type="application/json" id="heatmap-data">(.*?)'
                                   r"</script>", html, re.S).group(1))  # type: ignore[union-attr]
    assert heatmap["x"] == ["overall", "schedule", "cost", "scope", "risk", "resources"]
    assert [label.split()[0] for label in heatmap["y"]] == ["P1", "P3", "P2"]
    assert [0, 0, 2] in heatmap["cells"] and [5, 0, -1] in heatmap["cells"]  # P1 red; no resources
    assert f"/api/v1/rollup/pack?department_id={it}&amp;period=2025-03&amp;format=pdf" in html
    pdf = browser.client.get(f"/api/v1/rollup/pack?department_id={it}&period=2025-03&format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert 'option value="FIN"' not in html and ">FIN Finance<" not in html


@pytest.mark.parametrize(("params", "field"), [
    ({"level": "division"}, "Level must be one of"),
    ({"level": "goal", "period": "2025-13"}, "Period must be a month such as 2027-03"),
    ({"level": "goal", "department_id": "x"}, "Department must be a whole number"),
])
def test_bad_parameters_answer_422(app: object, world: World, data: Data,
                                   params: dict[str, str], field: str) -> None:
    browser = login(app, world, "admin")
    page = browser.client.get("/rollup", params=params)
    assert page.status_code == 422 and field in page.text


def test_both_subjects_is_refused(app: object, world: World, data: Data) -> None:
    browser = login(app, world, "admin")
    page = browser.client.get("/rollup", params={"department_id": world.departments["IT"],
                                                 "portfolio_id": data.portfolios["PF-IT"]})
    assert page.status_code == 422 and "not both" in page.text


def test_out_of_scope_focus_looks_missing(app: object, world: World, data: Data) -> None:
    browser = login(app, world, "fin_pm")
    page = browser.client.get("/rollup", params={"department_id": world.departments["IT"]})
    assert page.status_code == 404


def test_empty_pickers_show_the_default_view(app: object, world: World, data: Data) -> None:
    browser = login(app, world, "exec")
    page = browser.client.get("/rollup", params={"level": "portfolio", "period": "", "rule": "",
                                                 "department_id": "", "portfolio_id": ""})
    assert page.status_code == 200 and "Portfolio · 2025-03" in page.text
    assert 'data-colour="amber"' in _row(page.text, "PF-IT")


def test_anonymous_is_sent_to_sign_in(app: object) -> None:
    from fastapi.testclient import TestClient

    r = TestClient(app).get("/rollup", follow_redirects=False)  # type: ignore[arg-type]
    assert r.status_code == 303 and r.headers["location"].startswith("/login")

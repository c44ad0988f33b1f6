"""The frontier chart in a real Chromium: the scenario's own solve is marked with its own
legend entry, and the axis names and last tick stay inside the chart at desktop and phone
widths.

A copy of the demo's plan (same budgets and candidates) is solved and its frontier computed
through the API, so the demo's own scenario is left as it was for the other journeys.
Set EPMO_SCREENSHOTS to a folder to keep the screenshots for a look.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.conftest import ADMIN, Api, sign_in_watched

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

# The chart's option and its geometry: the grid, where the y name and last x tick sit, the
# canvas size and where the current scenario's marker is drawn.
GEOMETRY = """() => {
    const el = document.getElementById("frontier-chart");
    const chart = echarts.getInstanceByDom(el);
    const option = chart.getOption();
    const rect = chart.getModel().getComponent("grid").coordinateSystem.getRect();
    const current = option.series.find((s) => s.id === "current");
    const at = current ? chart.convertToPixel({seriesId: "current"}, current.data[0]) : null;
    return {width: chart.getWidth(), height: chart.getHeight(),
            grid: [rect.x, rect.y, rect.width, rect.height],
            names: option.series.map((s) => s.name), legend: option.legend[0].show !== false,
            current: current ? {symbol: current.symbol, data: current.data[0]} : null, at: at};
}"""


def _plan_copy(api: Api) -> dict[str, Any]:
    """A solved copy of the demo's plan with its frontier computed."""
    found = api.get("/scenarios?limit=100")["items"]
    plan = api.get(f"/scenarios/{next(s for s in found if s['name'].startswith('Plan '))['id']}")
    made = api.send("POST", "/scenarios", {"name": "Frontier <b>check</b>",
                                          "budgets": plan["budgets"]})
    made = api.send("POST", f"/scenarios/{made['id']}/candidates", {
        "version": made["version"],
        "request_ids": [c["request_id"] for c in plan["candidates"] if c["request_id"]],
        "project_ids": [c["project_id"] for c in plan["candidates"] if c["project_id"]]})
    solved = api.send("POST", f"/scenarios/{made['id']}/solve", {})
    api.send("POST", f"/scenarios/{made['id']}/frontier", {})
    return solved  # type: ignore[no-any-return]


def _check_chart(page: Page, scenario: dict[str, Any], width: int) -> None:
    """The marker at the scenario's budget and value, inside the grid; room for the names."""
    from playwright.sync_api import expect

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.url)
    expect(page.locator("#frontier-chart canvas")).to_have_count(1)
    found = page.evaluate(GEOMETRY)
    assert found["names"] == ["frontier", "this scenario (Frontier <b>check</b>)"], found
    assert found["legend"] and found["current"]["symbol"] == "diamond"
    budget = sum(float(v) for v in scenario["budgets"].values())
    assert found["current"]["data"] == pytest.approx([budget, scenario["result"]["value"]])
    x, y, w, h = found["grid"]
    assert x - 1 <= found["at"][0] <= x + w + 1 and y - 1 <= found["at"][1] <= y + h + 1
    # The y name (12 px above the grid, about 14 px tall) and the x name (28 px below the
    # axis) plus the legend fit in the canvas; the last tick has 40 px on the right.
    assert y >= 26 and found["height"] - (y + h) >= 56 and found["width"] - (x + w) >= 40, found
    shots = os.environ.get("EPMO_SCREENSHOTS")
    if shots:  # once the opening animation has run (ECharts' "finished" after a re-render)
        page.evaluate("""() => new Promise((done) => {
            const chart = echarts.getInstanceByDom(document.getElementById("frontier-chart"));
            chart.on("finished", done); chart.resize(); })""")
        page.locator("#frontier-chart").screenshot(path=str(Path(shots) / f"frontier-{width}.png"))


def test_frontier_marks_the_current_scenario_without_clipping(server: str,
                                                               browser: Browser) -> None:
    errors: list[str] = []
    context, page = sign_in_watched(browser, server, *ADMIN, errors)
    scenario = _plan_copy(Api(context, page, server))
    page.goto(f"{server}/scenarios/{scenario['id']}")
    assert re.search(r"/scenarios/\d+$", page.url)
    for width in (1280, 390):
        _check_chart(page, scenario, width)
    # A click on the marker lists the frontier's portfolio at the scenario's (full) budget.
    from playwright.sync_api import expect

    at = page.evaluate(GEOMETRY)["at"]
    points = page.evaluate(
        "() => JSON.parse(document.getElementById('frontier-data').textContent).points")
    for _ in range(25):  # the marker grows in with ECharts' opening animation
        page.locator("#frontier-chart").click(position={"x": at[0], "y": at[1]})
        if page.locator("#frontier-items").count():
            break
        page.wait_for_timeout(200)
    expect(page.locator("#frontier-items li")).to_have_count(len(points[-1]["selected"]))
    assert errors == [], f"JavaScript errors: {errors}"
    context.close()

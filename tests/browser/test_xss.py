"""Issue 9, item 1: names and titles a member can type never run as script in a chart.

A server of its own (the demo enterprise on a fresh SQLite file) has every department,
portfolio, programme, goal, project and intake request renamed, through the API, to a name
carrying markup: an ``<img onerror>`` that sets ``window.__xss`` or a ``<script>`` that would.
The administrator then opens every page that draws a chart or a graph, hovers every data
point of every chart (ECharts writes its tooltips into the page as HTML) and sweeps the mouse
over each chart; no payload may run, and no page may break the Content-Security-Policy
(a violation means one of our own scripts or styles is refused, or a payload was stopped only
by the policy instead of by escaping).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tests.browser.conftest import ADMIN, _free_port, _wait_until_up, demo_env, sign_in_watched

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

# Short, since the roll-up heatmap cuts "<code> <name>" at 48 characters.
PAYLOADS = ("<img src=x onerror=__xss='{tag}'>", "<script>__xss='{tag}'</script>")
RENAMED = (("departments", "name"), ("portfolios", "name"), ("programs", "name"),
           ("goals", "name"), ("projects", "name"), ("intake/requests", "title"))
BACK_TO_TRIAGE = {"scoring": ("triage",), "decision": ("scoring", "triage")}
# Records what the policy refuses, before any page script runs.
WATCH_CSP = """document.addEventListener("securitypolicyviolation", function (e) {
  (window.__csp = window.__csp || []).push(e.violatedDirective + " " + e.blockedURI + " "
    + e.sourceFile + ":" + e.lineNumber);
});"""
# Every data point of every ECharts chart on the page gets its tooltip shown.
SHOW_EVERY_TIP = """() => {
  var shown = 0;
  document.querySelectorAll("[_echarts_instance_]").forEach(function (el) {
    var chart = echarts.getInstanceByDom(el);
    (chart.getOption().series || []).forEach(function (series, s) {
      (series.data || []).forEach(function (_, i) {
        chart.dispatchAction({ type: "showTip", seriesIndex: s, dataIndex: i });
        shown += 1;
      });
    });
  });
  return shown;
}"""


def _payload(index: int, tag: str) -> str:
    return PAYLOADS[index % len(PAYLOADS)].format(tag=tag)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own whose every chart name carries a payload (shared data stays clean)."""
    env = demo_env(tmp_path_factory.mktemp("xss"))
    token = subprocess.run([sys.executable, "-m", "epmo", "token", "create", "--user", ADMIN[0]],
                           env=env, check=True, capture_output=True, text=True).stdout.strip()
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "epmo", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, proc)
        with httpx.Client(base_url=f"{url}/api/v1", timeout=60,
                          headers={"Authorization": f"Bearer {token}"}) as api:
            _plant(api)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _items(api: httpx.Client, path: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while True:
        page = api.get(f"/{path}", params={"limit": 100, "offset": len(found)}).json()
        found += page["items"]
        if len(found) >= page["total"] or not page["items"]:
            return found


def _plant(api: httpx.Client) -> None:
    """Rename everything a chart shows; draw the frontier and a compliance snapshot too."""
    for path, field in RENAMED:
        for index, item in enumerate(_items(api, path)):
            tag = f"{path}/{item['id']}"
            if path == "intake/requests":
                _retitle(api, item, _payload(index, tag))
                continue
            r = api.patch(f"/{path}/{item['id']}",
                          json={"version": item["version"], field: _payload(index, tag)})
            assert r.status_code == 200, f"PATCH {tag}: {r.status_code} {r.text}"
    for scenario in _items(api, "scenarios"):
        assert api.post(f"/scenarios/{scenario['id']}/frontier").status_code == 200
    assert api.post("/compliance/snapshots").status_code == 201


def _retitle(api: httpx.Client, item: dict[str, Any], title: str) -> None:
    """Retitle a request. Only early stages can be edited, so one in scoring or decision goes
    back to triage and forward again; decided ones (approved, not yet) keep their title."""
    url = f"/intake/requests/{item['id']}"
    back = BACK_TO_TRIAGE.get(item["stage"], ())
    forward = [*reversed(back[:-1]), item["stage"]] if back else []
    for stage in back:
        item = _ok(api.post(f"{url}/stage", json={"stage": stage, "version": item["version"]}))
    r = api.patch(url, json={"version": item["version"], "title": title})
    if r.status_code == 422 and not back:
        return
    item = _ok(r)
    for stage in forward:
        item = _ok(api.post(f"{url}/stage", json={"stage": stage, "version": item["version"]}))


def _ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, f"{response.request.url}: {response.status_code} {response.text}"
    return response.json()  # type: ignore[no-any-return]


# Every page with a chart, a graph or a script of its own, and the charts it must draw.
PAGES = {"/": 4, "/overview/departments/{department}": 4, "/overview/goals/{goal}": 4,
         "/overview/programmes/{programme}": 4, "/scoring/ranking": 1, "/rollup": 0,
         "/rollup?department_id={department}": 1, "/rollup?portfolio_id={portfolio}": 1,
         "/scenarios/{scenario}": 1, "/compliance": 1, "/network": 0, "/intake/new": 0,
         "/scoring-models/{model}": 0, "/projects/{project}/raid": 0,
         "/projects/{project}/reports": 0}


def _hover(page: Page) -> int:
    """Show every tooltip, then sweep the mouse over every chart and graph; points shown."""
    shown = int(page.evaluate(SHOW_EVERY_TIP)) if page.evaluate("typeof echarts") != "undefined" else 0
    for box in page.locator("[_echarts_instance_], #network-graph").all():
        area = box.bounding_box()
        if not area:
            continue
        for row in range(1, 8):
            for col in range(1, 16):
                page.mouse.move(area["x"] + area["width"] * col / 16,
                                area["y"] + area["height"] * row / 8)
    page.wait_for_load_state("networkidle")
    return shown


def test_no_name_or_title_runs_as_script_in_any_chart(hostile: str, browser: Browser) -> None:
    """Hover every chart of every page: no payload runs and the policy refuses nothing."""
    errors: list[str] = []
    context, page = sign_in_watched(browser, hostile, *ADMIN, errors)
    context.add_init_script(WATCH_CSP)
    ids = _first_ids(context.request, hostile)
    shown = 0
    for template, charts in PAGES.items():
        url = hostile + template.format(**ids)
        response = page.goto(url)
        assert response is not None and response.ok, f"{url}: {response and response.status}"
        page.wait_for_load_state("networkidle")
        assert page.locator("[_echarts_instance_]").count() == charts, f"{url}: charts not drawn"
        shown += _hover(page)
        assert page.evaluate("window.__xss") is None, f"{url}: payload ran: {page.evaluate('window.__xss')}"
        assert page.evaluate("window.__csp || []") == [], f"{url}: CSP refused something"
    assert shown > 100, f"only {shown} tooltips shown: the charts did not draw"
    page.goto(f"{hostile}/network")
    page.wait_for_load_state("networkidle")
    assert page.locator("#network-graph canvas").count() > 0, "the network graph did not draw"
    assert errors == [], "\n".join(errors)
    context.close()


def test_tooltips_show_the_markup_as_text(hostile: str, browser: Browser) -> None:
    """The ranking's and the heatmap's tooltips show a payload's characters, not an element."""
    errors: list[str] = []
    context, page = sign_in_watched(browser, hostile, *ADMIN, errors)
    ids = _first_ids(context.request, hostile)
    for template in ("/scoring/ranking", "/rollup?department_id={department}"):
        page.goto(hostile + template.format(**ids))
        page.wait_for_load_state("networkidle")
        page.evaluate("""() => {
          var chart = echarts.getInstanceByDom(document.querySelector("[_echarts_instance_]"));
          chart.dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: 0 });
        }""")
        tip = page.locator("[_echarts_instance_] > div:not(:first-child)").last
        text = tip.text_content() or ""
        assert "<img src=x" in text or "<script>" in text, f"{template}: tooltip reads {text!r}"
        assert tip.locator("img, script").count() == 0
    assert errors == [], "\n".join(errors)
    context.close()


def _first_ids(request: Any, server: str) -> dict[str, int]:
    """The first department, goal, programme, portfolio, scenario, model and project's ids."""
    def first(path: str) -> int:
        response = request.get(f"{server}/api/v1/{path}?limit=1")
        assert response.ok, f"GET {path}: {response.status}"
        return int(response.json()["items"][0]["id"])

    return {"department": first("departments"), "goal": first("goals"),
            "programme": first("programs"), "portfolio": first("portfolios"),
            "scenario": first("scenarios"), "model": first("scoring-models"),
            "project": first("projects")}


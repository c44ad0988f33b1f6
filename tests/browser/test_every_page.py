"""Every page, for every role, fits 1280 px and 390 px and has no serious or critical axe-core
violation; every chart has an accessible name and its data as a table.

The pages come from the app's routes (``tests/browser/pages.py``): each GET page route,
opened on one instance each role can reach by following its own pages' links. A route no
role reaches fails its test by name (add data to ``_seed`` or the route to ``pages.SKIP``).
axe-core is the npm package's own file, vendored under ``tests/browser/vendor`` (see NOTICE).
Screenshots of every page at both widths go to the test's temporary folder.
"""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import ADMIN, Api, _free_port, _wait_until_up, demo_env, watch
from tests.browser.pages import PAGES, ROUTES, SKIP, Reach, instances

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

USERS: dict[str, tuple[str, str] | None] = {
    "epmo_admin": ADMIN,
    "executive": ("exec@demo.epmo", "demo-password-exec"),
    "department_lead": ("lead.it@demo.epmo", "demo-password-lead"),
    "project_manager": ("pm.it@demo.epmo", "demo-password-pm"),
    "member": ("member.it@demo.epmo", "demo-password-member"),
    "viewer": ("viewer.fin@demo.epmo", "demo-password-viewer"),
    "anonymous": None,  # the sign-in and password-reset pages
}
WIDTHS = (1280, 390)
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
SEVERE = ("serious", "critical")
# The elements reaching past the window's right edge, outside any box that scrolls or clips
# them (a wide table in .table-responsive is fine), widest first.
WIDEST = """() => {
  const w = window.innerWidth, root = document.documentElement;
  const clipped = (el) => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== 'visible') { return true; } } return false; };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  return [...document.body.querySelectorAll('*')]
    .map((el) => [el, el.getBoundingClientRect().right])
    .filter(([el, right]) => right > w + 1 && !clipped(el))
    .sort((a, b) => b[1] - a[1]).slice(0, 3)
    .map(([el, right]) => name(el) + ' (right edge ' + Math.round(right) + ' px)');
}"""
# Every ECharts chart: its accessible name and the rows of the table given next to it.
CHARTS = """() => [...document.querySelectorAll('[_echarts_instance_]')].map((el) => {
  const table = document.querySelector('details.chart-data[data-chart="' + el.id + '"] table');
  return { id: el.id, role: el.getAttribute('role'), label: el.getAttribute('aria-label') || '',
           rows: table ? table.querySelectorAll('tbody tr').length : -1 };
})"""
# What a page shows besides the menu (the menu is the role's own and is checked on the role's
# first page): the same content seen by two roles is checked once. The CSRF token differs.
CONTENT = """() => (document.querySelector('main') || document.body).outerHTML
  .replace(/name="csrf_token" value="[^"]*"/g, '')"""
AXE_RUN = """async () => {
  const found = await axe.run(document, { resultTypes: ['violations'] });
  return found.violations.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) =>
    v.impact + ' ' + v.id + ' (' + v.help + '): ' +
    v.nodes.slice(0, 6).map((n) => n.target.join(' ')).join(' | ') +
    (v.nodes.length > 6 ? ' and ' + (v.nodes.length - 6) + ' more' : ''));
}"""


@dataclass
class Visitor:
    """One role's browser page and the path it opens for each route it reaches."""

    page: Page
    reach: Reach
    errors: list[str] = field(default_factory=list)
    checked: int = 0  # pages checked in full (the first always is: it checks the role's menu)


@dataclass
class Hub:
    """The server, a visitor per role and the folder the screenshots go to."""

    server: str
    visitors: dict[str, Visitor]
    shots: Path
    seen: dict[str, set[str]] = field(default_factory=dict)  # route: contents checked


def _seed(context: BrowserContext, page: Page, server: str) -> None:
    """What the small demo lacks for some pages to have an instance: a webhook, a Jira
    connection, two resource scenarios, a second selection scenario (the compare pages need
    two) and the first scenario's efficient frontier (its chart)."""
    api = Api(context, page, server)
    api.send("POST", "/webhooks", {"name": "Every page", "url": "https://hooks.example.org/e"})
    department = api.get("/departments")["items"][0]["id"]
    api.send("POST", "/connectors/jira", {
        "name": "Every page", "site_url": "https://every-page.atlassian.net",
        "email": "bot@example.org", "api_token": "not-a-real-token", "project_keys": ["EP"],
        "target_department_id": department})
    for name in ("Hire two analysts", "Lose a developer"):
        api.send("POST", "/resources/scenarios", {"name": name})
    first = api.get("/scenarios")["items"][0]
    api.send("POST", "/scenarios", {"name": "Every page, second"})
    api.send("POST", f"/scenarios/{first['id']}/frontier", {})


def _sign_in(browser: Browser, server: str, user: tuple[str, str] | None) -> Visitor:
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    page = context.new_page()
    visitor = Visitor(page, Reach())
    watch(page, visitor.errors)
    if user:
        page.goto(f"{server}/login")
        page.fill("#email", user[0])
        page.fill("#password", user[1])
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"^(?!.*/login)"))
    return visitor


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[Hub]:
    """A server of its own (the pages add data to it), each role signed in and its reach."""
    env = demo_env(tmp_path_factory.mktemp("every-page"))
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "epmo", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(server, proc)
        visitors = {role: _sign_in(browser, server, user) for role, user in USERS.items()}
        admin = visitors["epmo_admin"].page
        _seed(admin.context, admin, server)
        for visitor in visitors.values():
            visitor.reach = instances(visitor.page.context.request, server)
        yield Hub(server, visitors, tmp_path_factory.mktemp("screenshots"))
        for visitor in visitors.values():
            visitor.page.context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _check(hub: Hub, role: str, route: str) -> list[str]:
    """The problems of ``route`` as ``role`` sees it, at each width (none to look for when
    another role saw the same content and this role's menu was checked already)."""
    visitor = hub.visitors[role]
    page, path = visitor.page, visitor.reach.paths[route]
    problems: list[str] = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{hub.server}{path}")
        if width == WIDTHS[0]:
            content = hashlib.sha256(page.evaluate(CONTENT).encode()).hexdigest()
            if content in hub.seen.setdefault(route, set()) and visitor.checked:
                return []
            hub.seen[route].add(content)
            visitor.checked += 1
        where = f"{path} ({route}) as {role} at {width} px"
        name = re.sub(r"[^a-z0-9]+", "-", f"{role}{path}-{width}".lower())
        _screenshot(page, hub.shots / f"{name}.png")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width + 1:
            problems.append(f"{where}: the page is {scroll} px wide; widest: "
                            + "; ".join(page.evaluate(WIDEST)))
        if width == WIDTHS[0]:
            problems += [f"{where}: {found}" for found in _axe(page)]
            problems += [f"{where}: {found}" for found in _charts(page)]
    return problems


def _screenshot(page: Page, path: Path) -> None:
    """The window's picture, straight from Chromium: Playwright's own screenshot waits for a
    frame the roadmap (56,000 px tall at 390 px) does not give within minutes."""
    cdp = page.context.new_cdp_session(page)
    try:
        for _ in range(3):  # a loaded machine's compositor sometimes has no frame yet: ask again
            try:
                shot = cdp.send("Page.captureScreenshot", {"format": "png",
                                                           "captureBeyondViewport": False})
            except PlaywrightError:
                page.wait_for_timeout(300)
                continue
            path.write_bytes(base64.b64decode(shot["data"]))
            return
    finally:
        cdp.detach()


def _axe(page: Page) -> list[str]:
    page.evaluate(AXE)  # through the driver, so the page's Content-Security-Policy allows it
    found: list[str] = page.evaluate(AXE_RUN)
    return found


def _charts(page: Page) -> list[str]:
    found: list[dict[str, Any]] = page.evaluate(CHARTS)
    return [f"chart #{c['id']} has no accessible name (role=img, aria-label)"
            for c in found if c["role"] != "img" or not c["label"].strip()] + [
            f"chart #{c['id']} has no data table (details.chart-data) with rows"
            for c in found if c["rows"] < 1]


@pytest.mark.parametrize("route", PAGES)
def test_the_page_fits_both_widths_and_axe_finds_nothing_serious(hub: Hub, route: str) -> None:
    """Each role that can open the page: no sideways scroll at 1280 or 390 px, no serious or
    critical axe violation, every chart named and tabled, no script error."""
    roles = [role for role, visitor in hub.visitors.items() if route in visitor.reach.paths]
    assert roles, (f"{route}: no role reaches it by a link or form; give the demo an instance "
                   "(_seed) or name it in pages.SKIP with the reason")
    problems: list[str] = []
    for role in roles:
        problems += _check(hub, role, route)
        problems += hub.visitors[role].errors
        hub.visitors[role].errors.clear()
    assert not problems, "\n".join(problems)


def test_every_route_is_a_page_or_skipped_for_a_reason(hub: Hub) -> None:
    """The skip list names real routes only, and no page answered an error while crawled."""
    assert set(SKIP) <= set(ROUTES), f"stale SKIP entries: {set(SKIP) - set(ROUTES)}"
    broken = {role: v.reach.broken for role, v in hub.visitors.items() if v.reach.broken}
    assert broken == {}
    assert len(PAGES) > 90  # the routes really were read from the app


# Each chart page, its charts and the rows each chart's table must have, read from the JSON
# the page embeds for the chart (not from the chart): {chart id: (JSON id, rows of that JSON)}.
NUMBER = "(v) => v.toLocaleString(undefined, { maximumFractionDigits: 2 })"
CHART_PAGES: dict[str, dict[str, tuple[str, str]]] = {
    "/": {"chart-health": ("overview-data", "d.health.filter((r) => r.value > 0).map((r) => r.name)"),
          "chart-department": ("overview-data", "d.department.labels"),
          "chart-stage": ("overview-data", "d.stage.labels"),
          "chart-goal": ("overview-data", "d.goal.labels")},
    "/compliance": {"league-chart": ("league-data", "d.days")},
    "/benefits": {"benefits-chart": ("benefits-data", "d.months")},
    "/scoring/ranking": {"bubble-chart": ("bubble-data",
                                          "d.departments.flatMap((x) => d.points[x].map((p) => p[3]))")},
    "/business-case/{case_id}/compare": {"payback-chart": ("business-case-data", "d.years"),
                                         "sensitivity-chart": ("business-case-data", "d.steps")},
    "/diagnostics/rounds/{round_id}": {"radar-chart": ("diagnostics-data", "d.indicators")},
    "/surveys/rounds/{round_id}": {"quadrant-chart": ("survey-quadrant",
                                                      "d.questions.map((q) => q.service)")},
    "/surveys/rounds": {"trend-chart": ("survey-trend", "d")},
    "/rollup": {"rag-heatmap": ("heatmap-data", "d.y")},
    "/scenarios/{scenario_id}": {"frontier-chart": ("frontier-data",
                                                    f"d.points.map((p) => ({NUMBER})(p.total_budget))")},
}
# (Written into the function's text: the page's policy forbids eval, so no new Function.)
ROWS = """() => {
  const d = JSON.parse(document.getElementById('%(source)s').textContent);
  const expected = (%(rows)s).map(String);
  const table = document.querySelector('details.chart-data[data-chart="%(chart)s"] table');
  const found = table ? [...table.querySelectorAll('tbody tr > th')].map((th) => th.textContent) : null;
  return [expected, found, table ? table.caption.textContent : ''];
}"""


def _chart_page(hub: Hub, route: str, chart: str) -> str:
    """Open (as the EPMO) an instance of ``route`` that draws its charts: the rollup of the
    first department the form offers; for a route with an id, the first of the instances
    its list page links to that draws the chart (an open survey round, a scenario
    without a frontier have none)."""
    page = hub.visitors["epmo_admin"].page
    if route == "/rollup":
        page.goto(f"{hub.server}/rollup")
        route = "/rollup?department_id=" + (page.locator(
            "select[name=department_id] option[value]:not([value=''])").first.get_attribute("value") or "")
    if "{" not in route:
        page.goto(f"{hub.server}{route}")
        return route
    prefix = route.split("{", 1)[0]
    listing = prefix.rstrip("/")
    while listing not in ROUTES:
        listing = listing.rsplit("/", 1)[0]
    page.goto(f"{hub.server}{listing}")
    ids = dict.fromkeys(page.evaluate("""(prefix) => [...document.querySelectorAll('a[href]')]
      .map((a) => a.pathname).filter((p) => p.startsWith(prefix))
      .map((p) => p.slice(prefix.length).split('/')[0]).filter((id) => /^[0-9]+$/.test(id))""", prefix))
    for path in [re.sub(r"\{[^}]+\}", found, route) for found in ids] if ids else [route]:
        page.goto(f"{hub.server}{path}")
        if page.locator(f"#{chart}").count():
            return path
    raise AssertionError(f"{route}: no instance linked from {listing} draws #{chart}")


@pytest.mark.parametrize("route", list(CHART_PAGES))
def test_each_chart_has_its_data_as_a_table(hub: Hub, route: str) -> None:
    """Under every chart, a table of the rows the chart draws, captioned with its name."""
    admin = hub.visitors["epmo_admin"]
    admin.page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    path = _chart_page(hub, route, next(iter(CHART_PAGES[route])))
    for chart, (source, rows) in CHART_PAGES[route].items():
        expected, found, caption = admin.page.evaluate(
            ROWS % {"source": source, "rows": rows, "chart": chart})
        assert expected, f"{path}: #{chart} has no data to draw, so nothing is tested"
        assert found == expected, f"{path}: the table of #{chart} has rows {found}, not {expected}"
        label = admin.page.locator(f"#{chart}").get_attribute("aria-label")
        assert caption and caption == label

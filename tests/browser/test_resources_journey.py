"""Issue 13's journey in a real headless Chromium against a real server with the demo data.

The IT department lead opens the heatmap and sees next quarter's overload of a role in IT (the
cell marked over capacity, the overload in words), drills into the cell and sees the project
behind it, follows "Borrow" and asks Finance for the role; Finance's lead signs in and accepts;
the EPMO sees the queued IT request that needs the role move earlier in the queue and on the
request's own page. Every page
fits a 390 px phone without the page scrolling sideways, and a hostile request title and
lending note show as text.

The EPMO (the server's administrator) sets the stage through the API with a role of its own
(unique per run, so the demo's people and projects never share its pool): one person with the
role in IT and two in Finance, 1.5 FTE a month of it next quarter added to a demo IT project
that runs all quarter, an intake request in IT asking 0.5 FTE a month from the quarter's start, and a Finance lead.
Holidays take at most a tenth of a month, so IT's 1 FTE stays under 1.5 and, with 1.5 FTE
borrowed, leaves the request its 0.5. Nothing depends on the day the test runs.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.conftest import ADMIN, Api, fits_a_phone, sign_in_watched

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

DEMO_LEAD = ("lead.it@demo.epmo", "demo-password-lead")
PASSWORD = "resources-journey-pw"
HOSTILE = "<img src=x onerror=alert(1)>"
RUNNING = ("approved", "planning", "executing", "closing", "on_hold")


def next_quarter(today: date) -> tuple[str, list[str], date, date]:
    """The next calendar quarter: its name, months, first and last day."""
    index = today.year * 4 + (today.month - 1) // 3 + 1
    year, first_month = index // 4, index % 4 * 3 + 1
    first = date(year, first_month, 1)
    after = date(year + (first_month + 3 > 12), (first_month + 2) % 12 + 1, 1)
    months = [f"{year}-{first_month + k:02d}" for k in range(3)]
    return f"{year}-Q{index % 4 + 1}", months, first, after - timedelta(days=1)


def _running_it_project(api: Api, it: int, first: date, last: date) -> dict[str, Any]:
    """A running project of IT itself (not below it) that runs all next quarter."""
    found = api.get(f"/projects?department_id={it}&limit=100")["items"]
    for project in sorted(found, key=lambda p: p["stage"] != "executing"):
        starts = project["forecast_start"] or project["planned_start"]
        ends = project["forecast_finish"] or project["planned_finish"]
        if (project["department_code"] == "IT" and project["stage"] in RUNNING
                and starts and ends and starts <= first.isoformat()
                and ends >= last.isoformat()):
            return project  # type: ignore[no-any-return]
    raise AssertionError("no running IT project runs all next quarter")


def _set_up(api: Api) -> dict[str, Any]:
    """People with the journey's role in IT and Finance, an over-asking IT project, a queued
    IT request and a Finance lead."""
    tag = uuid.uuid4().hex[:6]
    quarter, months, first, last = next_quarter(date.today())
    departments = {d["code"]: d["id"] for d in api.get("/departments?limit=100")["items"]}
    role = f"Journey analyst {tag}"
    people = [api.send("POST", "/people", {
        "code": f"JR-{tag}-{k}", "name": f"Journey {dept} analyst {k}",
        "department_id": departments[dept], "role": role})
        for k, dept in enumerate(("IT", "FIN", "FIN"))]
    project = _running_it_project(api, departments["IT"], first, last)
    lines = api.get(f"/projects/{project['id']}/demand")
    api.send("PUT", f"/projects/{project['id']}/demand", {
        "version": lines["version"],
        "lines": [{k: line[k] for k in ("role", "period", "fte_months")}
                  for line in lines["lines"]]
        + [{"role": role, "period": quarter, "fte_months": "4.5"}]})
    request = api.send("POST", "/intake/requests", {
        "code": f"JQ-{tag}", "title": f"{HOSTILE} reporting {tag}",
        "department_id": departments["IT"], "desired_start": first.isoformat(),
        "duration_months": 3,
        "demand": [{"role": role, "period": quarter, "fte_months": "1.5"}]})
    lead = f"lead.fin.{tag}@journey.epmo"
    api.send("POST", "/users", {"email": lead, "name": f"Finance lead {tag}",
                                "role": "department_lead", "password": PASSWORD,
                                "department_codes": ["FIN"]})
    return {"role": role, "months": months, "first": first, "last": last, "project": project,
            "request": request, "fin_lead": lead, "it_person": people[0]["id"],
            "fin": departments["FIN"], "it": departments["IT"]}


# --- 1. the IT lead sees the overload, drills in and asks Finance ----------------------------


def _see_overload(page: Page, server: str, world: dict[str, Any]) -> None:
    """The IT row of the role is over capacity next quarter, and the overload is in words."""
    from playwright.sync_api import expect

    page.goto(f"{server}/resources")
    row = page.locator(f"[data-testid=heat-row][data-department='IT']"
                       f"[data-role='{world['role']}']")
    expect(row).to_have_count(1)
    for month in world["months"]:
        expect(row.locator(f"td[data-month='{month}']")).to_have_class(re.compile("heat-over"))
    page.select_option("#f-department_id", str(world["it"]))
    page.fill("#f-role", world["role"])
    page.get_by_role("button", name="Show").click()
    words = page.get_by_test_id("overload")
    expect(words).to_have_count(3)
    expect(words.first).to_contain_text(
        re.compile(rf"IT · {world['role']} · {world['months'][0]}: 1\.5 FTE asked for, "
                   r"0\.\d+ FTE available, short by 0\.\d+ FTE"))


def _drill_in(page: Page, world: dict[str, Any]) -> None:
    """The cell names the project behind it (its hostile name as text)."""
    from playwright.sync_api import expect

    row = page.locator(f"[data-testid=heat-row][data-role='{world['role']}']")
    row.locator(f"td[data-month='{world['months'][0]}'] a").click()
    expect(page.locator("h1")).to_contain_text(f"IT · {world['role']} · {world['months'][0]}")
    expect(page.get_by_test_id("cell-demand")).to_have_text("1.5 FTE")
    projects = page.locator("#cell-projects")
    expect(projects).to_contain_text(world["project"]["code"])
    expect(projects).to_contain_text(world["project"]["name"])


def _ask_finance(page: Page, world: dict[str, Any]) -> None:
    """Borrow: the form comes with the role and month; the rest is typed in."""
    from playwright.sync_api import expect

    page.get_by_role("link", name="Borrow from another department").click()
    expect(page).to_have_url(re.compile(r"/resources/lending\?"))
    form = page.locator("#ask-form")
    expect(form.locator("[name=role]")).to_have_value(world["role"])
    expect(form.locator("[name=starts]")).to_have_value(world["first"].isoformat())
    form.locator("[name=project_id]").fill(world["project"]["code"])
    form.locator("[name=lender_department_id]").select_option(str(world["fin"]))
    form.locator("[name=fte]").fill("1.5")
    form.locator("[name=ends]").fill(world["last"].isoformat())
    form.locator("[name=note]").fill(f"{HOSTILE} Quarter-end peak: could Finance help?")
    form.get_by_role("button", name="Send request").click()
    expect(page.locator(".alert-success").first).to_contain_text("Lending request sent to FIN")
    card = _card(page, world)
    expect(card).to_have_attribute("data-status", "requested")
    expect(card).to_contain_text(f"{HOSTILE} Quarter-end peak")
    expect(card.locator("img")).to_have_count(0)


def _card(page: Page, world: dict[str, Any]) -> Any:
    return page.get_by_test_id("lending").filter(has_text=world["role"])


# --- 2. Finance's lead accepts ----------------------------------------------------------------


def _accept(page: Page, server: str, world: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    page.goto(f"{server}/resources/lending")
    card = _card(page, world)
    expect(card).to_have_attribute("data-status", "requested")
    expect(card).to_contain_text(f"asks FIN for 1.50 FTE {world['role']}")
    card.locator("[name=comment]").fill("Two of ours can cover the quarter.")
    card.get_by_role("button", name="Accept (soft-book)").click()
    expect(page.locator(".alert-success").first).to_contain_text("accepted (soft-booked)")
    expect(_card(page, world)).to_have_attribute("data-status", "soft")


# --- 3. the EPMO sees the queue move; every page fits a phone ---------------------------------


def _earliest(page: Page, server: str, world: dict[str, Any]) -> str:
    from playwright.sync_api import expect

    page.goto(f"{server}/resources/queue")
    item = page.locator(f"[data-testid=queue-item][data-code='{world['request']['code']}']")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(f"{HOSTILE} reporting")  # the hostile title, as text
    expect(page.locator("#queue img")).to_have_count(0)
    return item.get_attribute("data-earliest") or ""


def _request_start(page: Page, server: str, world: dict[str, Any]) -> str:
    """The earliest feasible start the request's own page shows (the queue's, live)."""
    from playwright.sync_api import expect

    page.goto(f"{server}/intake/{world['request']['id']}")
    start = page.locator("#earliest-start")
    expect(start).to_have_count(1)
    return start.inner_text()


def test_overload_borrow_accept_queue(server: str, browser: Browser) -> None:
    from playwright.sync_api import expect

    errors: list[str] = []
    admin, epmo = sign_in_watched(browser, server, *ADMIN, errors)
    world = _set_up(Api(admin, epmo, server))
    before = _earliest(epmo, server, world)
    assert before > world["months"][0], f"the request fits already ({before})"
    assert _request_start(epmo, server, world) == before

    lead, page = sign_in_watched(browser, server, *DEMO_LEAD, errors)
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"),
                                      dialog.dismiss()))
    _see_overload(page, server, world)
    _drill_in(page, world)
    cell = page.url.removeprefix(server)
    _ask_finance(page, world)

    fin, fin_page = sign_in_watched(browser, server, world["fin_lead"], PASSWORD, errors)
    _accept(fin_page, server, world)

    after = _earliest(epmo, server, world)
    assert after == world["months"][0] < before, (before, after)
    expect(epmo.locator(f"[data-code='{world['request']['code']}']")).to_contain_text(
        world["months"][0])
    assert _request_start(epmo, server, world) == after  # the request's page moved with it

    fits_a_phone(page, server, ["/resources", cell, "/resources/lending", "/resources/queue",
                                 "/resources/holidays", f"/people/{world['it_person']}/calendar"])
    assert errors == [], f"JavaScript errors: {errors}"
    for context in (fin, lead, admin):
        context.close()

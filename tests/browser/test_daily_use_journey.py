"""Issue 15's journey in a real headless Chromium against a real server with the demo data.

The demo's IT project manager links one of their milestones to a Finance milestone, picking
it by name (no id is typed anywhere); Finance's lead accepts the link; the IT manager sees it
on the roadmap, in words beside the chart; Finance's lead slips the milestone on its project
page, and the slip reaches the IT manager's My work with the project and the dates in words.

Everything is found through the hub as the users see it: the IT manager's own projects from
My work, Finance projects the IT manager may read, their open dated milestones. The link's lag
is the gap between the two milestones, so any slip of the Finance milestone moves IT's.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.conftest import Api, sign_in_watched

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

PM = ("pm.it@demo.epmo", "demo-password-pm")
FIN_LEAD = ("lead.fin@demo.epmo", "demo-password-lead")
LIVE = ("planning", "approved", "executing")
SLIP_DAYS = 15
REASON = "Audit findings need a second close"


def _day(milestone: dict[str, Any]) -> date:
    return date.fromisoformat(milestone["forecast_date"] or milestone["planned_date"])


def _first_open_milestone(api: Api, project: dict[str, Any]) -> dict[str, Any] | None:
    items = api.get(f"/projects/{project['id']}/milestones?limit=100")["items"]
    open_ = [m for m in items if m["actual_date"] is None and m["status"] != "done"
             and (m["forecast_date"] or m["planned_date"])]
    return open_[0] if open_ else None


def _own_milestone(api: Api) -> tuple[dict[str, Any], dict[str, Any]]:
    """One of the IT manager's live projects (from My work) and an open, dated milestone."""
    for project in api.get("/my-work")["projects"]:
        if project["stage"] in LIVE and (found := _first_open_milestone(api, project)):
            return project, found
    raise AssertionError("the IT manager has no live project with an open milestone")


def _fin_milestone(api: Api) -> tuple[dict[str, Any], dict[str, Any]]:
    """A live Finance project the IT manager may read, with an open, dated milestone."""
    for project in api.get("/projects?limit=100")["items"]:
        if project["department_code"] == "FIN" and project["stage"] in LIVE:
            found = _first_open_milestone(api, project)
            if found:
                return project, found
    raise AssertionError("no live Finance project the IT manager may read")


def _pick(page: Page, field: str, typed: str, wanted: re.Pattern[str]) -> str:
    """Type into a picker, wait for its suggestions, and choose the one matching ``wanted``."""
    box = page.locator(f"#f-{field}")
    box.fill(typed)
    # the suggestions arrive as the user types (htmx swaps the datalist): wait for the wanted one
    found = page.wait_for_function(
        """([list, pattern]) => {
             const values = [...document.querySelectorAll(`#${list} option`)].map(o => o.value);
             return values.find(v => new RegExp(pattern).test(v)) || null;
           }""", arg=[f"f-{field}-options", wanted.pattern])
    chosen = str(found.json_value())
    assert "#" in chosen and not chosen.startswith("#"), chosen  # words first, the id last
    box.fill(chosen)
    return chosen


def test_a_pm_links_a_finance_milestone_by_name_and_its_slip_reaches_my_work(
        server: str, browser: Browser) -> None:
    from playwright.sync_api import expect

    errors: list[str] = []
    pm, page = sign_in_watched(browser, server, *PM, errors)
    expect(page).to_have_url(re.compile(r"/my-work$"))  # a project manager lands on My work
    api = Api(pm, page, server)
    own_project, own = _own_milestone(api)
    fin_project, fin = _fin_milestone(api)
    lag = (_day(own) - _day(fin)).days

    # 1. The IT manager proposes the link, typing a project's code and picking the milestone
    #    by its name among the suggestions.
    page.goto(f"{server}/dependencies")
    form = page.locator("#propose")
    assert "id" not in (form.inner_text().lower().split())  # no field asks for an id
    _pick(page, "predecessor_milestone_id", fin_project["code"],
          re.compile(rf"^{re.escape(fin_project['code'])} · {re.escape(fin['name'])} · "))
    _pick(page, "successor_milestone_id", own_project["code"],
          re.compile(rf"^{re.escape(own_project['code'])} · {re.escape(own['name'])} · "))
    form.locator("[name=lag_days]").fill(str(lag))
    form.locator("[name=criticality]").select_option("high")
    form.get_by_role("button", name="Propose").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    link = next(d for d in api.get("/dependencies?limit=100")["items"]
                if (d["predecessor"]["kind"], d["predecessor"]["id"]) == ("milestone", fin["id"])
                and (d["successor"]["kind"], d["successor"]["id"]) == ("milestone", own["id"]))
    assert link["status"] == "proposed", link

    # 2. Finance's lead accepts it on the dependencies page.
    lead, lead_page = sign_in_watched(browser, server, *FIN_LEAD, errors)
    lead_page.goto(f"{server}/dependencies")
    lead_page.locator(f"form[action='/dependencies/{link['id']}/accept']").get_by_role(
        "button", name="Accept").click()
    expect(lead_page.locator(".alert-success").first).to_be_visible()

    # 3. The IT manager sees the link on the roadmap, in words beside the timeline.
    page.goto(f"{server}/roadmap")
    words = (f"{fin_project['code']} · {fin['name']} → {own_project['code']} · {own['name']} "
             "(accepted, across departments)")
    expect(page.get_by_test_id("roadmap-link").filter(has_text=words)).to_have_count(1)
    expect(page.locator("#roadmap-gantt svg").first).to_be_attached()  # the timeline drew

    # 4. Finance's lead slips the milestone on its project page.
    new_date = (_day(fin) + timedelta(days=SLIP_DAYS)).isoformat()
    lead_page.goto(f"{server}/projects/{fin_project['id']}")
    row = lead_page.locator(f"[data-testid=milestone-row][data-id='{fin['id']}']")
    row.get_by_test_id("edit-milestone").click()
    edit = lead_page.locator("#milestone-edit-form")
    edit.locator("[name=forecast_date]").fill(new_date)
    edit.locator("[name=change_reason]").fill(REASON)
    edit.locator("#save-milestone").click()
    expect(lead_page.locator(".alert-success").first).to_contain_text("Milestone saved")

    # 5. The slip reaches the IT manager's My work: the project and the dates in words.
    page.goto(f"{server}/my-work")
    change = page.get_by_test_id("change").filter(has_text=fin_project["code"])
    expect(change.first).to_be_visible()
    text = change.first.inner_text()
    assert _day(fin).isoformat() in text and new_date in text, text
    assert fin["name"] in text, text

    assert errors == [], f"JavaScript errors: {errors}"
    lead.close()
    pm.close()

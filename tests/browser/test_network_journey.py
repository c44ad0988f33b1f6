"""Issue 4's journey in a real headless Chromium against a real server with the demo data.

A Finance project manager slips a milestone that a Human Resources milestone depends on; the
HR project manager sees the notification, opens the network view, opens the change event and
acknowledges it with a response; the response is recorded with its time of acknowledgement.

The demo has no dependencies and no FIN or HR project manager logins, so the EPMO (the
server's administrator) sets them up through the API: two users with unique e-mails, linked
to the people who manage a FIN and an HR project, and one accepted FS dependency between a
milestone of each (the administrator owns both ends, so it is accepted at once). Its lag is
the gap between the two milestones' dates, so any slip of the FIN milestone moves the HR one.
Nothing depends on the day the test runs: projects, milestones and dates come from the hub.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.conftest import ADMIN, Api, sign_in_watched

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

PASSWORD = "network-journey-pw"
REASON = "Vendor delivery of the ledger interface is late"
SLIP_DAYS = 20
CLOSED = ("closed", "cancelled", "completed", "done")


def _own_date(milestone: dict[str, Any]) -> date:
    return date.fromisoformat(milestone["forecast_date"] or milestone["planned_date"])


def _open_milestones(api: Api, project_id: int) -> list[dict[str, Any]]:
    items = api.get(f"/projects/{project_id}/milestones?limit=100")["items"]
    return [m for m in items if m["actual_date"] is None and m["status"] not in CLOSED
            and (m["forecast_date"] or m["planned_date"])]


def _managed_project(api: Api, code: str, taken: set[int]) -> tuple[dict[str, Any],
                                                                    dict[str, Any]]:
    """A live project of the department ``code`` managed by a person no user stands for,
    with an open, dated milestone."""
    department = next(d for d in api.get("/departments?limit=100")["items"] if d["code"] == code)
    projects = api.get(f"/projects?department_id={department['id']}&limit=100")["items"]
    for project in projects:
        if (project["department_code"] != code or project["manager_id"] in taken
                or project["manager_id"] is None or project["stage"] in CLOSED):
            continue
        milestones = _open_milestones(api, project["id"])
        if milestones:
            return project, milestones[0]
    raise AssertionError(f"no live {code} project with a manager and an open milestone")


def _manager_user(api: Api, project: dict[str, Any], tag: str) -> str:
    """A project-manager login for the person who manages ``project``; returns the e-mail."""
    email = f"pm.{project['department_code'].lower()}.{tag}@journey.epmo"
    api.send("POST", "/users", {"email": email, "name": f"{project['manager_name']} ({tag})",
                                "role": "project_manager", "password": PASSWORD,
                                "department_codes": [project["department_code"]],
                                "person_id": project["manager_id"]})
    return email


def _set_up(api: Api) -> dict[str, Any]:
    """Two managers' logins and an accepted FIN -> HR dependency with no slack."""
    # people who sign in as owners already (the demo's survey respondents are members: their
    # accounts only answer surveys, so their people may still get a manager's login here)
    taken = {u["person_id"] for u in api.get("/users?limit=100")["items"]
             if u["person_id"] and u["role"] != "member"}
    fin, fin_milestone = _managed_project(api, "FIN", taken)
    hr, hr_milestone = _managed_project(api, "HR", taken | {fin["manager_id"]})
    tag = uuid.uuid4().hex[:8]
    lag = (_own_date(hr_milestone) - _own_date(fin_milestone)).days
    dependency = api.send("POST", "/dependencies", {
        "predecessor_milestone_id": fin_milestone["id"],
        "successor_milestone_id": hr_milestone["id"], "type": "FS", "lag_days": lag,
        "criticality": "high", "note": f"Network journey {tag}: payroll data before training"})
    assert dependency["status"] == "accepted", dependency
    return {"fin": fin, "fin_milestone": fin_milestone, "hr": hr, "hr_milestone": hr_milestone,
            "fin_email": _manager_user(api, fin, tag), "hr_email": _manager_user(api, hr, tag)}


def _slip_on_the_project_page(page: Page, server: str, project_id: int,
                              milestone: dict[str, Any]) -> str:
    """Open the milestone's editor on its project page and move its forecast later."""
    from playwright.sync_api import expect

    new_date = (_own_date(milestone) + timedelta(days=SLIP_DAYS)).isoformat()
    page.goto(f"{server}/projects/{project_id}")
    row = page.locator(f"[data-testid=milestone-row][data-id='{milestone['id']}']")
    row.get_by_test_id("edit-milestone").click()
    form = page.locator("#milestone-edit-form")
    expect(form).to_be_visible()
    form.locator("[name=forecast_date]").fill(new_date)
    form.locator("[name=change_reason]").fill(REASON)
    form.locator("#save-milestone").click()
    expect(page.locator(".alert-success").first).to_contain_text("Milestone saved")
    return new_date


def test_fin_slip_reaches_hr_who_acknowledges(server: str, browser: Browser) -> None:
    from playwright.sync_api import expect

    errors: list[str] = []

    # 1. The EPMO sets up the two managers and the accepted cross-department dependency.
    admin, admin_page = sign_in_watched(browser, server, *ADMIN, errors)
    api = Api(admin, admin_page, server)
    world = _set_up(api)
    fin_milestone, hr_milestone = world["fin_milestone"], world["hr_milestone"]

    # 2. The Finance manager slips the milestone by 20 days on the project page.
    fin, page = sign_in_watched(browser, server, world["fin_email"], PASSWORD, errors)
    new_date = _slip_on_the_project_page(page, server, world["fin"]["id"], fin_milestone)
    events = api.get(f"/change-events?department_id={world['fin']['department_id']}"
                     "&limit=100")["items"]
    event = next(e for e in events if e["milestone_id"] == fin_milestone["id"])
    assert event["delta_days"] == SLIP_DAYS and event["new_date"] == new_date, event
    assert event["source"] == "form" and event["reason"] == REASON, event
    fin.close()

    # 3. The HR manager sees the unread notification of the change.
    hr, page = sign_in_watched(browser, server, world["hr_email"], PASSWORD, errors)
    expect(page.locator("#unread-badge")).to_be_visible()
    page.click("#nav-notifications")
    note = page.get_by_test_id("notification").filter(has_text=f"(+{SLIP_DAYS} days)")
    expect(note.first).to_have_attribute("data-read", "no")

    # 4. ... opens the network view: the graph draws, the change is among the recent ones.
    page.goto(f"{server}/network")
    expect(page.locator("#network-graph canvas").first).to_be_attached()
    expect(page.locator("#network-status")).to_contain_text(re.compile(r"\d+ nodes, \d+ dep"))
    expect(page.locator(f"#recent-changes [data-event='{event['id']}']")).to_be_visible()

    # 5. ... opens the change event from the notification and responds "absorb".
    page.click("#nav-notifications")
    note.first.get_by_role("button", name="Open").click()
    expect(page).to_have_url(re.compile(rf"/change-events/{event['id']}$"))
    expect(page.locator("#impacts")).to_contain_text(world["hr"]["code"])
    respond = page.locator("#respond")
    respond.locator("[name=response]").select_option("absorb")
    respond.locator("[name=comment]").fill("We absorb it: training moves inside our slack.")
    respond.get_by_role("button", name="Respond").click()
    expect(page.locator("#responses")).to_contain_text("absorb")
    page.click("#nav-notifications")  # answering the change marked its notification read
    expect(note.first).to_have_attribute("data-read", "yes")

    # 6. The response is recorded, acknowledged, for HR's department.
    recorded = api.get(f"/change-events/{event['id']}")
    mine = [r for r in recorded["responses"]
            if r["department_id"] == world["hr"]["department_id"]]
    assert len(mine) == 1, recorded["responses"]
    assert mine[0]["response"] == "absorb" and mine[0]["acknowledged_at"], mine[0]
    assert any(i["milestone_id"] == hr_milestone["id"] and i["slip_days"] == SLIP_DAYS
               for i in recorded["impacts"]), recorded["impacts"]

    assert errors == [], f"JavaScript errors: {errors}"
    hr.close()
    admin.close()

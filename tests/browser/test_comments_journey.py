"""Issue 15's comments in a real headless Chromium against a real server with the demo data.

A project manager comments on a change event of their department and mentions another
project manager of the department, picked by name in the people picker; the other manager
sees the notification, opens it and lands on the change event at the comment.

The demo has no project-manager logins, so the EPMO (the server's administrator) makes two
through the API for the people who manage two live projects of one department, and moves a
milestone of the first project, which records the change event they discuss.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.conftest import ADMIN, Api, fits_a_phone, sign_in_watched

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

PASSWORD = "comments-journey-pw"
CLOSED = ("closed", "cancelled", "completed", "done")
WORDS = "Can your team absorb this slip? <img src=x onerror=alert(1)>"


def _with_milestone(api: Api, project: dict[str, Any]) -> dict[str, Any] | None:
    items = api.get(f"/projects/{project['id']}/milestones?limit=100")["items"]
    return next((m for m in items if m["actual_date"] is None and m["status"] not in CLOSED
                 and (m["forecast_date"] or m["planned_date"])), None)


def _project_and_colleague(api: Api) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A live project whose manager no login stands for yet, with an open dated milestone,
    and another active person of its department (the other project manager to be)."""
    taken = {u["person_id"] for u in api.get("/users?limit=100")["items"] if u["person_id"]}
    for project in api.get("/projects?limit=100")["items"]:
        if project["stage"] in CLOSED or project["manager_id"] in taken | {None}:
            continue
        milestone = _with_milestone(api, project)
        people = api.get(f"/people?department_id={project['department_id']}&limit=100")["items"]
        colleague = next((p for p in people if p["active"] and not p["placeholder"]
                          and p["id"] not in taken | {project["manager_id"]}
                          and p["name"] != project["manager_name"]), None)
        if milestone and colleague:
            return project, colleague, milestone
    raise AssertionError("no live project with a manager, an open milestone and a colleague")


def _login_for(api: Api, person_id: int, name: str, department: str, tag: str) -> str:
    email = f"pm.{person_id}.{tag}@comments.epmo"
    api.send("POST", "/users", {"email": email, "name": name, "role": "project_manager",
                                "password": PASSWORD, "department_codes": [department],
                                "person_id": person_id})
    return email


def _day(milestone: dict[str, Any]) -> date:
    return date.fromisoformat(milestone["forecast_date"] or milestone["planned_date"])


def _change_event(api: Api, project: dict[str, Any], milestone: dict[str, Any]) -> int:
    """Link the milestone to a later one of another project (the network records change
    events of linked milestones only), then move it: the change event's id."""
    later = next(m for p in api.get("/projects?limit=100")["items"] if p["id"] != project["id"]
                 and p["stage"] not in CLOSED
                 for m in [_with_milestone(api, p)] if m and _day(m) >= _day(milestone))
    api.send("POST", "/dependencies", {
        "predecessor_milestone_id": milestone["id"], "successor_milestone_id": later["id"],
        "type": "FS", "lag_days": (_day(later) - _day(milestone)).days, "criticality": "low",
        "note": "Comments journey"})
    moved = api.send("PATCH", f"/projects/{project['id']}/milestones/{milestone['id']}",
                     {"version": milestone["version"],
                      "forecast_date": (_day(milestone) + timedelta(days=9)).isoformat(),
                      "change_reason": "Comments journey: supplier late"})
    return int(moved["change_event"]["id"])


def test_a_mention_on_a_change_event_reaches_the_other_manager(server: str,
                                                               browser: Browser) -> None:
    from playwright.sync_api import expect

    errors: list[str] = []
    admin, admin_page = sign_in_watched(browser, server, *ADMIN, errors)
    api = Api(admin, admin_page, server)
    project, colleague, milestone = _project_and_colleague(api)
    tag, department = uuid.uuid4().hex[:8], project["department_code"]
    author_email = _login_for(api, project["manager_id"], project["manager_name"], department, tag)
    reader_email = _login_for(api, colleague["id"], colleague["name"], department, tag)
    event_id = _change_event(api, project, milestone)
    name = colleague["name"]

    # 1. The first manager comments on the change event, mentioning the other by name.
    author, page = sign_in_watched(browser, server, author_email, PASSWORD, errors)
    page.on("dialog", lambda dialog: (errors.append(f"a script ran: {dialog.message}"),
                                      dialog.dismiss()))
    page.goto(f"{server}/change-events/{event_id}")
    form = page.locator("#comment-form")
    form.locator("[name=text]").fill(WORDS)
    # one mention field shows; "+ Another person" shows the next (five at most)
    expect(form.locator("[name=mentions]:visible")).to_have_count(1)
    form.get_by_role("button", name="+ Another person").click()
    expect(form.locator("[name=mentions]:visible")).to_have_count(2)
    expect(page.locator("#f-mentions-2")).to_be_focused()
    picker = form.locator("#f-mentions")
    picker.press_sequentially(name)
    option = page.locator(f"#f-mentions-options option[value$='#{colleague['id']}']")
    expect(option).to_have_count(1)  # the suggestions hold the person typed
    chosen = option.get_attribute("value") or ""
    assert chosen.startswith(f"{name} · "), chosen
    picker.fill(chosen)  # what choosing the suggestion does
    form.get_by_role("button", name="Comment").click()
    comment = page.get_by_test_id("comment").last
    expect(comment.get_by_test_id("comment-text")).to_have_text(WORDS)  # shown as text
    expect(comment.get_by_test_id("mention")).to_have_text(f"@{name}")
    expect(page.locator("#f-text")).to_have_value("")
    comment_id = comment.get_attribute("data-id")
    fits_a_phone(page, server, [f"/change-events/{event_id}/comments"])
    author.close()

    # 2. The other manager sees the notification and opens it: the event, at the comment.
    reader, page = sign_in_watched(browser, server, reader_email, PASSWORD, errors)
    page.on("dialog", lambda dialog: (errors.append(f"a script ran: {dialog.message}"),
                                      dialog.dismiss()))
    expect(page.locator("#unread-badge")).to_be_visible()
    page.click("#nav-notifications")
    note = page.get_by_test_id("notification").filter(has_text="mentioned you on change event")
    expect(note.first).to_have_attribute("data-read", "no")
    note.first.get_by_role("button", name="Open").click()
    expect(page).to_have_url(re.compile(rf"/change-events/{event_id}#comment-{comment_id}$"))
    target = page.locator(f"#comment-{comment_id}")
    expect(target).to_contain_text(WORDS)
    expect(target).to_be_in_viewport()

    assert errors == [], f"JavaScript errors: {errors}"
    reader.close()
    admin.close()

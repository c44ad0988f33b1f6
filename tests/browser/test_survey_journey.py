"""Issue 14's survey journey in a real headless Chromium against a real server with the demo.

The EPMO administrator opens a survey round for IT's members from the surveys page; the demo's
IT member, on a 390 px phone, finds the invitation on "Your surveys", follows the personal
link, answers every question (a hostile comment among them) and is thanked; following the link
again is refused in words; the administrator sees the answer counted. Nothing on the answer
page scrolls sideways, and no script fails.
"""

from __future__ import annotations

import os
import re
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import (
    ADMIN,
    Api,
    sign_in_watched,
    watch,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

MEMBER = ("member.it@demo.epmo", "demo-password-member")
HOSTILE = "<img src=x onerror=alert(1)> too slow"
PHONE = 390
SHOTS = Path(os.environ.get("EPMO_SCREENSHOTS", "/tmp"))


@pytest.fixture(scope="module")
def survey_server(server: str) -> str:
    """The shared demo server (its demo has the survey rounds)."""
    return server


def _open_round(page: Page, server: str, it: int, title: str) -> str:
    """The administrator opens a round for IT's members; returns the round page's path."""
    from playwright.sync_api import expect

    page.goto(f"{server}/surveys/rounds")
    page.fill("#f-title", title)
    page.fill("#f-closes_on", (date.today() + timedelta(days=10)).isoformat())
    page.select_option("#f-department_ids", value=str(it))
    page.check("input[name=roles][value=member]")
    page.click("#open-round button[type=submit]")
    expect(page).to_have_url(re.compile(r"/surveys/rounds/\d+$"))
    expect(page.locator("#response-count")).to_contain_text("0 of")
    return page.url.removeprefix(server)


def _answer(page: Page, server: str, round_id: str) -> str:
    """The member follows the invitation's link and answers; returns the link."""
    from playwright.sync_api import expect

    page.goto(f"{server}/surveys")
    link = page.locator(f"[data-round='{round_id}'] a", has_text="Answer now")
    href = link.get_attribute("href") or ""
    assert href.startswith(f"/surveys/{round_id}/answer/"), href
    link.click()
    expect(page.locator("#answer-form")).to_be_visible()
    questions = page.locator("fieldset[data-question]")
    assert questions.count() >= 5
    page.click("#answer-form button[type=submit]")  # nothing chosen: refused in words
    expect(page.locator("#form-errors")).to_contain_text("Please answer every question")
    for index in range(questions.count()):
        question = questions.nth(index)
        question.locator("input[name^=sat_][value='4']").check()
        question.locator("input[name^=imp_][value='5']").check()
    questions.first.locator("textarea").fill(HOSTILE)
    page.screenshot(path=str(SHOTS / "survey-answer.png"), full_page=True)
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] == PHONE, f"the answer page is {widths} px wide"
    page.click("#answer-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/surveys$"))
    expect(page.locator("body")).to_contain_text("your answer is recorded, anonymously")
    expect(page.locator(f"[data-round='{round_id}']")).to_contain_text("Answered")
    return href


def _demo_results(page: Page, server: str) -> None:
    """The demo's closed rounds: the trend and the quadrant are drawn, the groups shown."""
    from playwright.sync_api import expect

    page.goto(f"{server}/surveys/rounds")
    expect(page.locator("#trend-chart canvas")).to_have_count(1)
    assert page.locator("#trend tbody tr").count() == 2
    page.click("#rounds a:text('Stakeholder pulse, last month')")
    expect(page.locator("#quadrant-chart canvas")).to_have_count(1)
    expect(page.locator("#questions tbody tr")).to_have_count(11)
    rows = page.locator("#by-department tbody tr")
    assert rows.count() >= 1
    for index in range(rows.count()):
        answers = int(rows.nth(index).locator("td").nth(1).inner_text())
        assert answers >= 5, f"a department row of {answers} answers"


def test_open_answer_once_counted(survey_server: str, browser: Browser) -> None:
    from playwright.sync_api import expect

    server = survey_server
    errors: list[str] = []
    admin, epmo = sign_in_watched(browser, server, *ADMIN, errors)
    departments = {d["code"]: d["id"] for d in Api(admin, epmo, server).get(
        "/departments?limit=100")["items"]}
    title = f"Journey pulse {uuid.uuid4().hex[:6]}"
    round_path = _open_round(epmo, server, departments["IT"], title)
    round_id = round_path.rsplit("/", 1)[1]

    phone = browser.new_context(viewport={"width": PHONE, "height": 844})
    page = phone.new_page()
    watch(page, errors)
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"),
                                      dialog.dismiss()))
    page.goto(f"{server}/login")
    page.fill("#email", MEMBER[0])
    page.fill("#password", MEMBER[1])
    page.click("button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/login"))
    link = _answer(page, server, round_id)

    page.goto(f"{server}{link}")
    expect(page.locator("#link-refused")).to_contain_text("already been used")

    epmo.goto(f"{server}{round_path}")
    expect(epmo.locator("#response-count")).to_contain_text("1 of")
    expect(epmo.locator("#results-withheld")).to_contain_text("once the survey has closed")
    _demo_results(epmo, server)
    epmo.screenshot(path=str(SHOTS / "survey-results.png"), full_page=True)
    assert errors == [], f"JavaScript errors: {errors}"
    for context in (phone, admin):
        context.close()

"""Issue 12's journey in a real Chromium: a project manager hands the hub an MS Project file.

The administrator opens a demo project's Schedule tab, uploads an MS Project XML file whose
activity names carry markup, sees the Gantt drawn with the critical path, hovers every bar (no
name runs as script: frappe-gantt writes names with innerHTML, so ``schedule.js`` escapes them),
ticks an activity in the picker to make it a milestone and finds it on the register page. On a
390 px phone the Gantt scrolls inside its card instead of widening the page. A real file MS
Project wrote (``../shared/data/mspdi``) is uploaded too when the folder is there.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import ADMIN, sign_in_watched
from tests.schedule.files import fixture, renamed

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "mspdi"
PAYLOAD = "<img src=x onerror=__xss='gantt'>"


def _first_project(page: Page, server: str) -> int:
    response = page.context.request.get(f"{server}/api/v1/projects?limit=1")
    assert response.ok
    return int(response.json()["items"][0]["id"])


def _upload(page: Page, name: str, data: bytes) -> None:
    page.set_input_files("#schedule-file", files=[
        {"name": name, "mimeType": "application/xml", "buffer": data}])
    with page.expect_navigation():
        page.click("#schedule-upload button[type=submit]")


def test_schedule_upload_gantt_picker(server: str, browser: Browser, tmp_path: Path) -> None:
    errors: list[str] = []
    context, page = sign_in_watched(browser, server, *ADMIN, errors)
    project = _first_project(page, server)
    page.goto(f"{server}/projects/{project}/schedule")
    _upload(page, "plan.xml", renamed(fixture("plan-v1.xml"), "Develop", PAYLOAD))
    assert "Imported 5 activities" in page.content()
    page.wait_for_selector("#schedule-gantt svg .bar-wrapper")
    bars = page.locator("#schedule-gantt .bar-wrapper")
    assert bars.count() == 5
    assert page.locator("#schedule-gantt .bar-critical").count() == 2  # Design, Develop
    for index in range(bars.count()):
        bars.nth(index).hover()
    assert page.evaluate("window.__xss") is None
    assert PAYLOAD in (page.locator("#schedule-gantt").text_content() or "")
    page.check("#activity-table input[value='5']")
    with page.expect_navigation():
        page.click("#make-milestones")
    page.goto(f"{server}/projects/{project}")
    assert page.locator("#milestone-table", has_text="Test plan").count() == 1
    assert errors == [], "\n".join(errors)
    context.close()


def test_schedule_page_fits_a_phone(server: str, browser: Browser) -> None:
    errors: list[str] = []
    context, page = sign_in_watched(browser, server, *ADMIN, errors)
    project = _first_project(page, server)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}/projects/{project}/schedule")
    if page.locator("#schedule-gantt").count() == 0:
        _upload(page, "plan.xml", fixture("plan-v1.xml"))
    page.wait_for_selector("#schedule-gantt svg")
    box = page.locator("#schedule-gantt").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    # frappe-gantt's own container scrolls sideways inside the card
    inner = page.evaluate("""() => {
      var c = document.querySelector('#schedule-gantt .gantt-container');
      return [c.scrollWidth, c.clientWidth];
    }""")
    assert inner[0] > inner[1] and inner[1] <= box["width"]
    assert errors == [], "\n".join(errors)
    context.close()


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/mspdi is absent")
def test_a_file_ms_project_wrote(server: str, browser: Browser) -> None:
    errors: list[str] = []
    context, page = sign_in_watched(browser, server, *ADMIN, errors)
    response = page.context.request.get(f"{server}/api/v1/projects?limit=2")
    project = int(response.json()["items"][-1]["id"])
    page.goto(f"{server}/projects/{project}/schedule")
    _upload(page, "task-links.xml", (SHARED / "task-links-project2019-mspdi.xml").read_bytes())
    assert "Imported 16 activities" in page.content()
    page.wait_for_selector("#schedule-gantt svg .bar-wrapper")
    assert errors == [], "\n".join(errors)
    context.close()

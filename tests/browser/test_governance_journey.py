"""Issue 3's journey in a real headless Chromium against a real server with the demo data.

A department lead uploads a file of status reports, sees one row rejected (and nothing
stored), fixes the row and uploads again; the EPMO then sees the department's compliance
score go up on the dashboard.

The server evaluates compliance as of the real today while the demo's dates may be relative
to another day, so nothing here is hard-coded: the department, its projects with missing
status reports (as of the server's today) and the periods each one misses are read from the
running hub. The file fills every missing period of two projects (late reports are stored
with a warning, never refused), so their status report findings go and the score rises on
any day the test runs.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.conftest import ADMIN

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.browser

# The demo's department lead signs in with the demo's fixed password (printed by
# `epmo demo`; see logins() in src/epmo/demo/generator.py). Which user and department it is
# comes from the hub's users.
DEMO_DOMAIN = "@demo.epmo"
DEMO_LEAD_PASSWORD = "demo-password-lead"
COLOURS = ("green", "amber", "red")


def _sign_in(browser: Browser, server: str, email: str, password: str) -> BrowserContext:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{server}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/login"))
    return context


def _api(context: BrowserContext, server: str, path: str) -> Any:
    """GET an API resource with the context's session cookie."""
    response = context.request.get(f"{server}/api/v1{path}")
    assert response.ok, f"GET {path}: {response.status} {response.text()}"
    return response.json()


def _demo_lead_department(admin: BrowserContext, server: str) -> tuple[str, int, str]:
    """The demo's department lead (email) and their department (id, code)."""
    users = _api(admin, server, "/users?limit=100")["items"]
    lead = next(u for u in users if u["role"] == "department_lead"
                and u["email"].endswith(DEMO_DOMAIN) and u["department_ids"])
    department = _api(admin, server, f"/departments/{lead['department_ids'][0]}")
    return lead["email"], department["id"], department["code"]


def _projects_behind_on_reports(admin: BrowserContext, server: str,
                                department_id: int) -> list[dict[str, Any]]:
    """The status report findings (one per project, with every missing period) of projects of
    the department (and below) that their department lead may report on (the EPMO does not
    direct reporting there), fewest missing periods first."""
    findings = _api(admin, server, f"/compliance?department_id={department_id}"
                                   "&rule=status_report&limit=100")["items"]
    behind = [f for f in findings if f["level"] in ("supportive", "controlling")]
    return sorted(behind, key=lambda f: (f["count"], f["project_code"]))


def _league_cells(page: Page, department: str) -> tuple[str, str]:
    """The department's score now and in the latest snapshot, as the league shows them."""
    row = page.locator(f"[data-testid=league-row][data-department='{department}']")
    cells = row.locator("td")
    return cells.nth(2).inner_text().strip(), cells.nth(3).inner_text().strip()


def _status_report_findings(page: Page, server: str, department_id: int) -> int:
    page.goto(f"{server}/compliance?department_id={department_id}&rule=status_report")
    return int(page.locator("#finding-total").inner_text())


def _reports_for(page: Page, server: str, project_id: int, period_start: str) -> int:
    """How many reports the project's reports page lists for the period starting then."""
    page.goto(f"{server}/projects/{project_id}/reports")
    page.locator("#report-table").wait_for()
    rows = page.locator(f"[data-testid=report-row] td[title^='{period_start} to']")
    return rows.count()


def _write_reports(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows([{column: row.get(column, "") for column in header} for row in rows])
    return path


def _report_row(code: str, period_start: str, overall: str) -> dict[str, str]:
    dimensions = ("schedule", "cost", "scope", "risk", "resources")
    return {"project_code": code, "period_start": period_start, "overall": overall,
            **dict.fromkeys(dimensions, "green"),
            "achievements": "Uploaded from the browser journey",
            "next_steps": "Keep reporting every period"}


def _upload(page: Page, server: str, path: Path) -> None:
    page.goto(f"{server}/status-reports/upload")
    page.set_input_files("#upload-file", str(path))
    page.click("#upload-submit")


def test_lead_uploads_reports_and_epmo_sees_score_rise(server: str, browser: Browser,
                                                        tmp_path: Path) -> None:
    from playwright.sync_api import expect

    errors: list[str] = []

    # 1. The EPMO (the server's administrator) finds the demo's department lead, two of the
    #    department's projects behind on their status reports, and the department's score;
    #    it records today's snapshot so the league keeps the score from before the upload.
    admin = _sign_in(browser, server, *ADMIN)
    epmo = admin.new_page()
    epmo.on("pageerror", lambda exc: errors.append(str(exc)))
    lead_email, department_id, department = _demo_lead_department(admin, server)
    behind = _projects_behind_on_reports(admin, server, department_id)
    assert len(behind) >= 2, f"{department} has fewer than two projects behind: {behind}"
    first, second = behind[:2]

    epmo.goto(f"{server}/compliance")
    epmo.click("#take-snapshot")
    expect(epmo.locator(".alert-success")).to_contain_text("Snapshot of")
    score_before, snapshot = _league_cells(epmo, department)
    assert snapshot == score_before
    findings_before = _status_report_findings(epmo, server, department_id)
    assert findings_before >= 2

    # 2. The department lead writes a file in the template's shape for every period the two
    #    projects miss, with an impossible overall colour on the second project's first row.
    lead = _sign_in(browser, server, lead_email, DEMO_LEAD_PASSWORD)
    page = lead.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    periods = {p["project_id"]: p["periods"] for p in (first, second)}

    page.goto(f"{server}/status-reports/upload")
    with page.expect_download() as download:
        page.locator("#template-links").get_by_role("link", name="CSV", exact=True).click()
    template = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    header = next(csv.reader(template))
    assert {"project_code", "period_start", "overall"} <= set(header)

    good = [_report_row(first["project_code"], day, "green")
            for day in periods[first["project_id"]]]
    bad, *rest = [_report_row(second["project_code"], day, "purple" if i == 0 else "green")
                  for i, day in enumerate(periods[second["project_id"]])]
    report_file = _write_reports(tmp_path / "reports.csv", header, [*good, bad, *rest])
    _upload(page, server, report_file)

    # The whole file is refused: one problem, on the bad row (the header is row 1), column
    # overall.
    expect(page.locator("#upload-errors")).to_contain_text("nothing was imported")
    problems = page.get_by_test_id("problem-row")
    expect(problems).to_have_count(1)
    expect(problems.first.locator("td").nth(0)).to_have_text(str(len(good) + 2))
    expect(problems.first.locator("td").nth(1)).to_have_text("overall")
    # ... and nothing was stored, not even the valid rows.
    for project in (first, second):
        assert _reports_for(page, server, project["project_id"],
                            periods[project["project_id"]][0]) == 0

    # 3. The lead fixes the colour and uploads the file again: every report is stored.
    fixed = _write_reports(report_file, header, [*good, bad | {"overall": "amber"}, *rest])
    _upload(page, server, fixed)
    stored = len(good) + 1 + len(rest)
    expect(page.locator(".alert-success").first).to_have_text(
        re.compile(rf"Stored {stored} status reports for 2 projects from reports\.csv"))
    expect(page.locator("#upload-errors")).to_have_count(0)
    for project in (first, second):
        assert _reports_for(page, server, project["project_id"],
                            periods[project["project_id"]][0]) == 1

    # 4. The EPMO sees the two findings gone and the department's score up, with the
    #    snapshot from step 1 still showing the score before.
    assert _status_report_findings(epmo, server, department_id) == findings_before - 2
    epmo.goto(f"{server}/compliance")
    score_after, snapshot = _league_cells(epmo, department)
    assert snapshot == score_before
    assert float(score_after) > float(score_before), (score_before, score_after)

    assert errors == [], f"JavaScript errors: {errors}"
    lead.close()
    admin.close()

"""The key journey in a real headless Chromium against a real server with the demo data."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ADMIN

pytestmark = pytest.mark.browser


def _sign_in(page: object, server: str) -> None:
    page.goto(f"{server}/login")  # type: ignore[attr-defined]
    page.fill("#email", ADMIN[0])  # type: ignore[attr-defined]
    page.fill("#password", ADMIN[1])  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]


def test_sign_in_overview_drill_edit(server: str, browser: object) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(page, server)

    # The overview: KPI cards with real numbers and charts drawn by ECharts.
    expect(page.get_by_test_id("kpi-projects")).to_contain_text(re.compile(r"\d"))
    expect(page.locator("#chart-health canvas")).to_have_count(1)
    expect(page.locator("#chart-department canvas")).to_have_count(1)

    # Drill into a project from the register.
    page.goto(f"{server}/projects?stage=executing")
    first = page.locator("table a[href^='/projects/']").first
    code_and_name = first.inner_text()
    first.click()
    expect(page.locator("#project-name")).to_be_visible()

    # Edit it and see the change.
    page.locator("a[href$='/edit']").first.click()
    new_name = "Renamed in the browser"
    page.fill("#project-form [name=name]", new_name)
    page.click("#save")
    expect(page.locator("#project-name")).to_contain_text(new_name)
    assert new_name not in code_and_name
    assert errors == [], f"JavaScript errors: {errors}"
    context.close()


def test_wrong_password_stays_on_login(server: str, browser: object) -> None:
    from playwright.sync_api import expect

    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{server}/login")
    page.fill("#email", ADMIN[0])
    page.fill("#password", "not-the-password")
    page.click("button[type=submit]")
    expect(page.locator(".alert-danger")).to_contain_text("wrong")
    page.close()

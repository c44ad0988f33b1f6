"""The diagnostics journey in a real headless Chromium against a real server with the demo.

The EPMO administrator opens Diagnostics, reads the demo's annual round (radar drawn, heatmap,
evidence, trend of two rounds), opens a round of its own with a hostile name, scores items by
clicking levels, saves, completes it, and reads its results. Every diagnostics page fits a
390 px phone without scrolling sideways; no JavaScript or console error anywhere.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import ADMIN, fits_a_phone, sign_in_watched

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)> round"


def test_read_the_demo_round_then_run_one(server: str, browser: Browser) -> None:
    from playwright.sync_api import expect

    errors: list[str] = []
    context, page = sign_in_watched(browser, server, *ADMIN, errors)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server}/diagnostics")
    expect(page.locator("#departments-compared")).to_be_visible()
    page.get_by_role("link", name="Annual PPM assessment").click()
    expect(page.locator("#radar-chart canvas")).to_have_count(1)
    expect(page.locator("#trend-chart canvas")).to_have_count(1)
    expect(page.locator("#trend tbody tr")).to_have_count(2)
    expect(page.locator("#evidence-reporting_timeliness")).to_contain_text("%")
    annual = page.url
    page.goto(f"{server}/diagnostics")
    page.fill("#f-name", HOSTILE)
    page.click("#open-round button[type=submit]")
    expect(page).to_have_url(re.compile(r"/diagnostics/rounds/\d+/assess$"))
    expect(page.locator("h1")).to_contain_text(HOSTILE)  # as text, never as an image
    for key, level in (("PG-INT-1", "2"), ("PA-REP-1", "4"), ("PL-CHG-2", "1")):
        page.locator(f"#item-{key} input[value='{level}']").check()
    page.fill("#note-PG-INT-1", HOSTILE)
    page.get_by_role("button", name="Save my scores").click()
    expect(page.locator("#item-PA-REP-1 input[value='4']")).to_be_checked()
    results = page.url.removesuffix("/assess")
    page.goto(results)
    expect(page.locator("#practice-ppm_administration")).to_have_text("4.00")
    page.get_by_role("button", name="Complete and lock").click()
    expect(page.locator("#complete-round")).to_have_count(0)
    expect(page.locator("body")).to_contain_text("stored at completion")
    expect(page.locator("img")).to_have_count(0)
    paths = [p.removeprefix(server) for p in (annual, results, f"{results}/assess")]
    fits_a_phone(page, server, ["/diagnostics", *paths, "/diagnostics/instruments/2026.1"])
    page.goto(annual)
    page.screenshot(path="/tmp/diagnostics-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(annual)
    page.screenshot(path="/tmp/diagnostics-desktop.png", full_page=True)
    context.close()
    assert errors == []

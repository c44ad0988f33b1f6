"""The benefits register in a real headless Chromium against the demo: the EPMO opens the
register (roll-up and chart drawn), a benefit the network put at risk (the cause in words),
and records an actual with a hostile note in a finished project's grid; the register, a
benefit and the new-benefit form fit 1280 px (their content: the administrator's menu bar is
wider than that, the layout's matter) and a 390 px phone without sideways scrolling."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import ADMIN, Api, sign_in_watched

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)>"
SHOTS = Path("/tmp/benefits-shots")


def _fits(page: Page, server: str, path: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{server}{path}")
    page.wait_for_load_state("networkidle")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{path.strip('/').replace('/', '-')}-{width}.png"),
                    full_page=True)
    # The page's own content (at 1280 px the admin's long menu bar is the layout's, not ours).
    widths = page.evaluate("() => [document.querySelector('.page-wrapper').scrollWidth, "
                           "document.documentElement.scrollWidth, window.innerWidth]")
    wide = widths[0] if width > 390 else max(widths[:2])
    assert wide <= widths[2] == width, f"{path} is {widths} px wide at {width}"


def test_benefits_journey(browser: Browser, server: str) -> None:
    from playwright.sync_api import expect

    errors: list[str] = []
    context, page = sign_in_watched(browser, server, *ADMIN, errors)
    api = Api(context, page, server)
    register = api.get("/benefits?limit=100")["items"]
    risky = next(b for b in register if b["at_risk"])
    last = date.today().replace(day=1)
    month = f"{last.year - (last.month == 1)}-{(last.month - 2) % 12 + 1:02d}"  # last month
    finished = next(b for b in register if not b["at_risk"] and b["unit"] == "money" and any(
        p["period"] == month for p in api.get(f"/benefits/{b['id']}")["periods"]))
    page.goto(f"{server}/benefits")
    expect(page.locator("#benefits-chart canvas")).to_have_count(1)
    expect(page.locator("[data-testid=rollup-row]").last).to_contain_text("All benefits shown")
    page.goto(f"{server}/benefits/{risky['id']}")
    expect(page.locator("#at-risk")).to_contain_text("Change event")
    page.goto(f"{server}/benefits/{finished['id']}")
    page.fill(f"input[name='actual-{month}']", "1234.5")
    page.fill(f"input[name='note-{month}']", HOSTILE)
    page.click("[data-testid=save-grid]")
    expect(page.locator(f"input[name='note-{month}']")).to_have_value(HOSTILE)
    expect(page.locator("#recorded")).to_contain_text(f"{month}: €1,234.50 by {ADMIN[0]}")
    for path in ("/benefits", f"/benefits/{risky['id']}", f"/benefits/{finished['id']}",
                 "/benefits/new"):
        for width in (1280, 390):
            _fits(page, server, path, width)
    context.close()
    assert errors == []

"""Issue 14's value ledger journey in a real headless Chromium against the demo.

The EPMO (the server's administrator) cancels a project of its own making (a budget of 400 k,
150 k spent) and writes (and confirms) an entry with a hostile description; on the ledger page it presses
"Propose from the hub's events", finds the cancelled project proposed as a hard saving of
250,000.00 computed from its budget, and confirms it; Finance's lead (the demo's
``lead.fin@demo.epmo``) signs in and validates it. The value report of today's quarter then
shows the figures the API computes, the entry with its evidence link (which opens the
project), and the PDF and Excel downloads open. Both value pages fit 1280 px (their content)
and a 390 px phone.
"""

from __future__ import annotations

import io
import re
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.conftest import ADMIN, Api, sign_in_watched

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

FINANCE = ("lead.fin@demo.epmo", "demo-password-lead")
HOSTILE = "<img src=x onerror=alert(1)> \"saved\""
PHONE = 390
DESKTOP = 1280
CONTENT = ("() => { const c = document.querySelector('.page-wrapper .container-xl'); "
           "return [c.scrollWidth, c.clientWidth]; }")
DOCUMENT = ("() => [Math.max(document.documentElement.scrollWidth, document.body.scrollWidth), "
            "window.innerWidth]")


def quarter(today: date) -> str:
    """Today's calendar quarter, as the hub writes it."""
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def _set_up(api: Api) -> dict[str, Any]:
    """A cancelled project with a budget, and a hand-written entry with hostile text."""
    it = next(d for d in api.get("/departments?limit=200")["items"] if d["code"] == "IT")
    code = f"VAL-{uuid.uuid4().hex[:6].upper()}"
    person = api.get(f"/people?department_id={it['id']}&limit=1")["items"][0]
    today = date.today()
    project = api.send("POST", "/projects", {
        "code": code, "name": "Value journey", "department_id": it["id"],
        "description": "Stopped by the journey", "sponsor_id": person["id"],
        "manager_id": person["id"], "planned_start": today.isoformat(),
        "planned_finish": date(today.year + 1, 12, 31).isoformat(),
        "baseline_start": today.isoformat(),
        "baseline_finish": date(today.year + 1, 12, 31).isoformat(),
        "budget_planned": "400000", "budget_actual": "150000"})
    api.send("POST", f"/projects/{project['id']}/transition",
             {"stage": "cancelled", "version": project["version"]})
    hostile = api.send("POST", "/ledger/entries", {
        "category": "days_saved", "days": 4, "department_id": it["id"],
        "occurred_on": date.today().isoformat(), "description": HOSTILE})
    api.send("POST", f"/ledger/entries/{hostile['id']}/decision",
             {"action": "confirm", "version": hostile["version"]})
    return {"project": project, "code": code, "it": it["id"]}


def _card(page: Page, code: str) -> Any:
    return page.locator("[data-testid=entry]", has_text=f"{code} cancelled")


def _propose_and_confirm(page: Page, server: str, world: dict[str, Any]) -> int:
    from playwright.sync_api import expect

    page.goto(f"{server}/value/ledger")
    page.click("#propose-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("new proposal(s)")
    page.goto(f"{server}/value/ledger?status=proposed&category=hard_saving")
    card = _card(page, world["code"])
    expect(card).to_have_count(1)
    expect(card).to_contain_text("250,000.00")
    expect(card).to_contain_text("€250K of its €400K budget not spent")
    entry_id = int((card.get_attribute("id") or "").removeprefix("entry-"))
    card.locator("button[value=confirm]").click()
    expect(page.locator(f"#entry-{entry_id}")).to_have_attribute("data-status", "confirmed")
    return entry_id


def _validate(page: Page, server: str, entry_id: int) -> None:
    from playwright.sync_api import expect

    page.goto(f"{server}/value/ledger?status=confirmed&category=hard_saving")
    card = page.locator(f"#entry-{entry_id}")
    expect(card.locator("button[value=confirm]")).to_have_count(0)
    card.locator("button[value=validate]").click()
    expect(page.locator(f"#entry-{entry_id}")).to_have_attribute("data-status", "validated")
    # Finance's demo lead validated it, not the administrator who confirmed it.
    expect(page.locator(f"#entry-{entry_id}")).to_contain_text(
        re.compile(r"confirmed by EPMO Administrator [\d-]+; validated by (?!EPMO)\w"))


def _report(page: Page, server: str, api: Api, entry_id: int, world: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    shown = quarter(date.today())
    figures = api.get(f"/value-report?quarter={shown}")["totals"]
    page.goto(f"{server}/value")
    expect(page.locator("#f-quarter")).to_have_value(shown)
    realised = f"€{Decimal(figures['hard_realised']):,.2f}"  # the hub default: EUR, en_GB
    expect(page.get_by_test_id("hard-realised")).to_have_text(realised)
    expect(page.get_by_test_id("days-saved")).to_have_text(str(figures["days_saved"]))
    assert Decimal(figures["hard_realised"]) >= Decimal("250000")
    hostile = page.locator("[data-testid=report-entry]", has_text=HOSTILE)
    expect(hostile).to_have_count(1)
    link = page.locator(f"#report-entry-{entry_id} [data-testid=evidence-link]")
    expect(link).to_have_attribute("href", f"/projects/{world['project']['id']}")
    link.click()
    expect(page).to_have_url(re.compile(rf"/projects/{world['project']['id']}$"))
    expect(page.locator("body")).to_contain_text(world["code"])


def _downloads(page: Page, server: str) -> None:
    from python_calamine import CalamineWorkbook

    shown = quarter(date.today())
    page.goto(f"{server}/value?quarter={shown}")
    with page.expect_download() as pdf:
        page.click("#download-pdf")
    assert pdf.value.suggested_filename == f"value-report-{shown}.pdf"
    assert Path(pdf.value.path()).read_bytes()[:5] == b"%PDF-"
    with page.expect_download() as xlsx:
        page.click("#download-xlsx")
    assert xlsx.value.suggested_filename == f"value-report-{shown}.xlsx"
    book = CalamineWorkbook.from_filelike(io.BytesIO(Path(xlsx.value.path()).read_bytes()))
    rows = book.get_sheet_by_name("Quarters").to_python()
    assert rows[6][0] == shown and rows[6][1] >= 250000


def _fits(page: Page, server: str, paths: list[str]) -> None:
    """At 390 px the page never scrolls sideways (wide tables scroll in their own box); at
    1280 px neither does the page's content. (The base menu, every page's, is wider than
    1280 px for an administrator: not the value pages' to fix.)"""
    for width, measure in ((DESKTOP, CONTENT), (PHONE, DOCUMENT)):
        page.set_viewport_size({"width": width, "height": 844})
        for path in paths:
            page.goto(f"{server}{path}")
            wide, room = page.evaluate(measure)
            assert wide <= room <= width, f"{path} is {wide} px wide at {width} px"


def test_propose_confirm_validate_report(server: str, browser: Browser) -> None:
    errors: list[str] = []
    admin, epmo = sign_in_watched(browser, server, *ADMIN, errors)
    epmo.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"),
                                      dialog.dismiss()))
    api = Api(admin, epmo, server)
    world = _set_up(api)
    entry_id = _propose_and_confirm(epmo, server, world)
    fin, fin_page = sign_in_watched(browser, server, *FINANCE, errors)
    _validate(fin_page, server, entry_id)
    _report(epmo, server, api, entry_id, world)
    _downloads(epmo, server)
    _fits(epmo, server, ["/value", "/value/ledger", "/value/ledger?status=proposed"])
    assert errors == [], f"JavaScript errors: {errors}"
    for context in (fin, admin):
        context.close()

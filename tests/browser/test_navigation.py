"""The menu: grouped, fits 1280 px and collapses at 390 px, shows each role only what it may
open, and stays on error pages; the first Tab reaches the skip link."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ADMIN, sign_in_watched

# the small demo's users (epmo demo --seed 7) and the menus each role sees
ROLES = {
    "epmo_admin": (ADMIN, {"Portfolio", "Intake", "Governance", "Resources", "Value", "Admin"}),
    "executive": (("exec@demo.epmo", "demo-password-exec"),
                  {"Portfolio", "Intake", "Governance", "Resources", "Value"}),
    "department_lead": (("lead.it@demo.epmo", "demo-password-lead"),
                        {"Portfolio", "Intake", "Governance", "Resources", "Value", "Admin"}),
    "project_manager": (("pm.it@demo.epmo", "demo-password-pm"),
                        {"Portfolio", "Intake", "Governance", "Resources", "Value", "Admin"}),
    "member": (("member.it@demo.epmo", "demo-password-member"),
               {"Portfolio", "Intake", "Governance", "Resources", "Value"}),
    "viewer": (("viewer.fin@demo.epmo", "demo-password-viewer"),
               {"Portfolio", "Intake", "Governance", "Resources", "Value"}),
}


@pytest.mark.parametrize("role", list(ROLES))
def test_the_menu_fits_both_widths_and_shows_what_the_role_may_open(
        server: str, browser: object, role: str) -> None:
    from playwright.sync_api import expect

    (email, password), menus = ROLES[role]
    errors: list[str] = []
    context, page = sign_in_watched(browser, server, email, password, errors)  # type: ignore[arg-type]
    try:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{server}/")
            header = page.evaluate("document.querySelector('header.navbar').scrollWidth")
            assert header <= width, f"{role}: the menu is {header} px wide at {width} px"
            if width == 390:
                expect(page.locator("#main-menu .dropdown-toggle").first).to_be_hidden()
                page.get_by_role("button", name="Menu").click()
            shown = set(page.locator("#main-menu .dropdown-toggle").all_inner_texts())
            assert {text.strip() for text in shown} == menus
            page.locator("#menu-portfolio").click()
            page.locator(".dropdown-menu.show").get_by_role("link", name="Projects").click()
            expect(page).to_have_url(re.compile(r"/projects$"))
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        hrefs = page.evaluate(
            "[...document.querySelectorAll('#main-menu .dropdown-item')].map(a => a.pathname)")
        for href in hrefs:  # every entry shown opens for this role (no 403/404 behind a link)
            answer = context.request.get(f"{server}{href}")
            assert answer.status == 200, f"{role}: {href} answers {answer.status}"
        assert ("/scenarios" in hrefs) == (role in ("epmo_admin", "executive"))
        assert ("/audit" in hrefs) == (role == "epmo_admin")
        page.goto(f"{server}/projects/999999")  # an error page keeps the menu
        expect(page.locator("#menu-portfolio")).to_be_attached()
        page.goto(f"{server}/")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"#main$"))
    finally:
        context.close()
    assert errors == []


def test_the_api_docs_render_from_the_hubs_own_files(server: str, browser: object) -> None:
    """/api/docs draws Swagger UI with no request to another host (no network needed)."""
    page = browser.new_page()  # type: ignore[attr-defined]
    errors: list[str] = []
    elsewhere: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda found: elsewhere.append(found.url)
            if not found.url.startswith((server, "data:")) else None)
    try:
        page.goto(f"{server}/api/docs")
        page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
        page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
        assert page.locator(".swagger-ui .opblock").count() > 5
    finally:
        page.close()
    assert errors == [] and elsewhere == []

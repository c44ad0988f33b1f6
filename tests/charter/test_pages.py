"""Charter pages through a signed-in browser: the document, editor, history, compare, print, PDF."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.charter.conftest import API, Charters, levels
from tests.conftest import Clients
from tests.web.helpers import Browser, login
from tests.world import World

PRACTICES = ("portfolio_governance", "project_leadership", "ppm_administration")


def _cell(html: str, code: str, practice: str) -> tuple[str, str]:
    """The level of one matrix cell and whether it is set for that department ("own")."""
    row = re.search(rf'<tr data-department="{re.escape(code)}"[^>]*>(.*?)</tr>', html, re.S)
    assert row, f"no matrix row for {code}"
    cell = re.search(rf'<td class="lvl lvl-(\w+)( lvl-own)?" data-practice="{practice}"',
                     row.group(1))
    assert cell, f"no {practice} cell for {code}"
    return cell.group(1), "own" if cell.group(2) else "inherited"


def _form(browser: Browser) -> dict[str, Any]:
    """The editor's current values, the way a browser would submit them unchanged."""
    html = browser.client.get("/charter/edit").text
    values: dict[str, Any] = dict(re.findall(r'<input[^>]* name="([^"]+)" value="([^"]*)"', html))
    values.pop("csrf_token", None)
    for name, body in re.findall(r'<select[^>]* name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.findall(r'<option value="([^"]*)" selected>', body)
        values[name] = chosen if name.endswith("department_ids") else (chosen or [""])[0]
    for name, text in re.findall(r'<textarea[^>]* name="([^"]+)"[^>]*>(.*?)</textarea>', html,
                                 re.S):
        values[name] = text
    return values


def test_no_charter_yet_page(app: object, world: World, db: Session) -> None:
    viewer = login(app, world, "it_viewer").client.get("/charter")
    assert viewer.status_code == 200 and "no charter yet" in viewer.text
    assert "/charter/edit" not in viewer.text
    assert 'href="/charter">Charter</a>' in viewer.text
    assert "Write the charter" in login(app, world, "admin").client.get("/charter").text


def test_charter_document_shows_statement_services_and_matrix(
        app: object, world: World, charters: Charters) -> None:
    charters.publish(
        statement="We connect.\nWe advise <and> require.", reason="Board decision",
        defaults=levels(ppm="controlling"), departments={"IT": {"project_leadership": "directive"}},
        services=[{"code": "GATES", "name": "Gate reviews", "practice": "portfolio_governance",
                   "description": "Chairs gate reviews",
                   "department_ids": [world.departments["FIN"], world.departments["HR"]]},
                  {"code": "COACH", "name": "Method coaching", "practice": "project_leadership",
                   "description": "Coaches teams", "department_ids": []}])
    page = login(app, world, "fin_pm").client.get("/charter")
    assert page.status_code == 200
    assert "We advise &lt;and&gt; require." in page.text and "Board decision" in page.text
    gates = re.search(r'<tr data-service="GATES">(.*?)</tr>', page.text, re.S)
    assert gates and re.search(r'class="reach">FIN, HR</td>', gates.group(1))
    coach = re.search(r'<tr data-service="COACH">(.*?)</tr>', page.text, re.S)
    assert coach and "All departments" in coach.group(1)
    assert _cell(page.text, "IT", "project_leadership") == ("directive", "own")
    assert _cell(page.text, "IT-INFRA", "project_leadership") == ("directive", "inherited")
    assert _cell(page.text, "FIN", "project_leadership") == ("supportive", "inherited")
    assert _cell(page.text, "HR", "ppm_administration") == ("controlling", "inherited")
    assert re.search(r'<tr data-department="IT-INFRA" data-depth="1">', page.text)
    legend = page.text[page.text.index('id="authority-legend"'):]
    assert all(f"lvl-swatch lvl-{level}" in legend
               for level in ("none", "supportive", "controlling", "directive"))
    assert "Edit charter" not in page.text and "/charter.pdf?version=1" in page.text


def test_older_version_page_says_which_is_in_force(app: object, world: World,
                                                   charters: Charters) -> None:
    charters.publish(statement="Old words")
    charters.publish(statement="New words")
    client = login(app, world, "it_member").client
    old = client.get("/charter", params={"version": 1})
    assert "Old words" in old.text and "the charter in force is" in old.text
    current = client.get("/charter")
    assert "New words" in current.text and "the charter in force is" not in current.text
    assert client.get("/charter", params={"version": 9}).status_code == 404


def test_only_admins_may_open_or_post_the_editor(app: object, world: World,
                                                 charters: Charters, as_: Clients) -> None:
    charters.publish()
    browser = login(app, world, "it_lead")
    assert browser.client.get("/charter/edit").status_code == 403
    r = browser.post_form("/charter/edit", {"statement": "Mine", "reason": "coup"})
    assert r.status_code == 403
    assert as_("admin").get(API).json()["number"] == 1


def test_editor_publishes_a_new_version(app: object, world: World, charters: Charters,
                                        as_: Clients) -> None:
    charters.publish(departments={"FIN": {"ppm_administration": "none"}})
    browser = login(app, world, "admin")
    form = _form(browser)
    it, fin, hr = (world.departments[c] for c in ("IT", "FIN", "HR"))
    assert form["based_on"] == "1" and form[f"content.departments.{fin}.ppm_administration"] == "none"
    assert form[f"content.departments.{it}.project_leadership"] == ""
    form |= {"reason": "IT under control", "content.defaults.ppm_administration": "controlling",
             f"content.departments.{it}.project_leadership": "directive",
             f"content.departments.{fin}.ppm_administration": "",
             "content.services.2.code": "COACH", "content.services.2.name": "Method coaching",
             "content.services.2.practice": "project_leadership",
             "content.services.2.department_ids": [str(it), str(hr)]}
    r = browser.post_form("/charter/edit", form)
    assert r.status_code == 303, r.text
    assert "Charter version 2 published" in browser.client.get(r.headers["location"]).text
    charter = as_("admin").get(API).json()
    assert charter["content"]["departments"] == {str(it): {"project_leadership": "directive"}}
    assert charter["content"]["defaults"] == levels(ppm="controlling")
    assert [(s["code"], s["department_ids"]) for s in charter["content"]["services"]] == [
        ("GATES", []), ("COACH", sorted([it, hr]))]
    assert charter["author_name"] == "Admin" and charter["reason"] == "IT under control"


def test_editor_starts_from_the_default_charter_when_there_is_none(
        app: object, world: World, as_: Clients) -> None:
    browser = login(app, world, "admin")
    form = _form(browser)
    assert form["based_on"] == "0" and "three practices" in form["statement"]
    assert form["content.services.0.code"] == "INTAKE-TRIAGE"
    r = browser.post_form("/charter/edit", form | {"reason": "First charter"})
    assert r.status_code == 303, r.text
    assert len(as_("admin").get(API).json()["content"]["services"]) == 7


def test_editor_shows_errors_by_field_and_keeps_input(app: object, world: World,
                                                      charters: Charters, as_: Clients) -> None:
    charters.publish()
    browser = login(app, world, "admin")
    form = _form(browser) | {"statement": "Kept statement", "reason": "",
                             "content.services.1.code": "NEW"}
    r = browser.post_form("/charter/edit", form)
    assert r.status_code == 422
    assert 'data-field="reason"' in r.text and 'data-field="content.services.1.name"' in r.text
    assert 'data-field="content.services.1.practice"' in r.text
    assert "Kept statement</textarea>" in r.text and 'value="NEW"' in r.text
    assert as_("admin").get(f"{API}/versions").json()["total"] == 1


def test_editor_refuses_a_stale_form(app: object, world: World, charters: Charters,
                                     as_: Clients) -> None:
    charters.publish()
    browser = login(app, world, "admin")
    form = _form(browser) | {"reason": "Mine"}
    charters.publish(reason="Someone else first")
    r = browser.post_form("/charter/edit", form)
    assert r.status_code == 409 and "changed meanwhile" in r.text
    assert as_("admin").get(API).json()["reason"] == "Someone else first"


def test_history_lists_versions_and_picks_the_last_two(app: object, world: World,
                                                       charters: Charters) -> None:
    for reason in ("Start", "Reorganisation", "Board review"):
        charters.publish(reason=reason)
    page = login(app, world, "hr_viewer").client.get("/charter/history")
    assert page.status_code == 200
    rows = re.findall(r'<tr data-number="(\d+)">.*?<td>Admin</td>\s*<td>([^<]+)</td>', page.text,
                      re.S)
    assert rows == [("3", "Board review"), ("2", "Reorganisation"), ("1", "Start")]
    assert re.search(r'name="from" value="2"[^>]*checked', page.text)
    assert re.search(r'name="to" value="3"[^>]*checked', page.text)
    assert "Edit charter" not in page.text


def test_compare_page_shows_the_changes(app: object, world: World, charters: Charters) -> None:
    charters.publish(statement="Same\nOld line")
    charters.publish(statement="Same\nNew line", reason="Sharper words",
                     departments={"IT": {"project_leadership": "directive"}}, services=[])
    page = login(app, world, "it_member").client.get("/charter/compare?from=1&to=2")
    assert page.status_code == 200 and "Sharper words" in page.text
    assert '<div class="del">-Old line</div>' in page.text
    assert '<div class="add">+New line</div>' in page.text
    infra = re.search(r'<tr data-department="IT-INFRA" data-practice="project_leadership">'
                      r"(.*?)</tr>", page.text, re.S)
    assert infra and re.findall(r"lvl-swatch lvl-(\w+)", infra.group(1)) == ["supportive", "directive"]
    assert 'data-change="removed">Removed <strong>Gate reviews</strong>' in page.text
    assert login(app, world, "it_member").client.get(
        "/charter/compare?from=1&to=5").status_code == 404


def test_print_page_is_self_contained(app: object, world: World, charters: Charters) -> None:
    charters.publish(statement="Printed <b>words</b>", reason="For print",
                     departments={"IT": {"project_leadership": "directive"}})
    client = login(app, world, "it_viewer").client
    html = client.get("/charter/print").text
    assert "Printed &lt;b&gt;words&lt;/b&gt;" in html and "Gate reviews" in html
    assert _cell(html, "IT-INFRA", "project_leadership") == ("directive", "inherited")
    assert not re.search(r'(src|href)="(https?:|//|/)', html), "print page must not load URLs"
    assert "Version 1" in html and "For print" in html


def test_pdf_export_of_current_and_older_versions(app: object, world: World,
                                                  charters: Charters) -> None:
    client = login(app, world, "it_viewer").client
    assert client.get("/charter.pdf").status_code == 404
    charters.publish(statement="First")
    charters.publish(statement="Second")
    current = client.get("/charter.pdf")
    assert current.status_code == 200 and current.headers["content-type"] == "application/pdf"
    assert current.content.startswith(b"%PDF") and len(current.content) > 5_000
    assert 'filename="epmo-charter-v2.pdf"' in current.headers["content-disposition"]
    older = client.get("/charter.pdf", params={"version": 1})
    assert older.content.startswith(b"%PDF")
    assert 'filename="epmo-charter-v1.pdf"' in older.headers["content-disposition"]
    assert client.get("/charter.pdf", params={"version": 3}).status_code == 404


@pytest.mark.parametrize("url", ["/charter", "/charter/history", "/charter/print",
                                 "/charter.pdf", "/charter/compare?from=1&to=1"])
def test_pages_need_a_sign_in(url: str, app: object, world: World, db: Session) -> None:
    from fastapi.testclient import TestClient

    r = TestClient(app).get(url, follow_redirects=False)  # type: ignore[arg-type]
    assert r.status_code == 303 and r.headers["location"].startswith("/login")

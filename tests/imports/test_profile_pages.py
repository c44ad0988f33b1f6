"""The import page with profiles: choose one, save the mapping as one, preview a dry run."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.imports.models import ImportProfile
from tests.conftest import Clients
from tests.imports import portfolio
from tests.imports.files import counts, csv_file
from tests.web.helpers import login
from tests.world import World


def _save(as_: Clients, name: str, body: dict[str, object]) -> None:
    r = as_("admin").post("/api/v1/imports/profiles",
                          json={"name": name, "entity": "projects", "body": body})
    assert r.status_code == 201, r.text


def test_chooser_lists_profiles(as_: Clients) -> None:
    _save(as_, "it-dashboard", portfolio.PROFILE)
    r = as_("it_pm").get("/imports")
    assert '<option value="it-dashboard" >it-dashboard (projects)</option>' in r.text


def test_dry_run_with_a_profile_shows_the_preview(app: object, world: World, as_: Clients,
                                                  db: Session) -> None:
    _save(as_, "it-dashboard", portfolio.PROFILE | {"create_departments": True})
    browser = login(app, world, "admin")
    before = counts(db)
    r = browser.client.post(
        "/imports", data={"csrf_token": browser.csrf, "entity": "projects", "dry_run": "true",
                          "profile": "it-dashboard"},
        files={"file": ("p.csv", portfolio.portfolio_csv(date.today()))})
    assert r.status_code == 200, r.text
    assert 'id="import-preview"' in r.text
    assert f"status reports: {portfolio.ROW_COUNT} to create" in r.text
    assert "departments to create: AG-DHS" in r.text
    assert "<td>create report</td>" in r.text
    assert counts(db) == before


def test_refused_rows_show_escaped(app: object, world: World, as_: Clients, db: Session) -> None:
    _save(as_, "it-dashboard", portfolio.PROFILE)
    table = portfolio.rows(date.today())[:2]
    table[1][9] = "<b>soon</b>"
    browser = login(app, world, "admin")
    r = browser.client.post(
        "/imports", data={"csrf_token": browser.csrf, "entity": "projects",
                          "profile": "it-dashboard"}, files={"file": ("p.csv", csv_file(table))})
    assert r.status_code == 422
    assert "&lt;b&gt;soon&lt;/b&gt;" in r.text and "<b>soon</b>" not in r.text
    assert "<td><code>Updated Date</code></td>" in r.text


def test_save_the_page_mapping_as_a_profile(app: object, world: World, db: Session) -> None:
    browser = login(app, world, "admin")
    form = {"csrf_token": browser.csrf, "entity": "departments", "save_as": "hr-sheet",
            "map_header": ["Dept", "Title", "Remarks"], "map_field": ["code", "name", ""]}
    r = browser.client.post("/imports/profiles", data=form, follow_redirects=True)
    assert r.status_code == 200, r.text
    assert "Saved import profile hr-sheet" in r.text
    saved = db.scalar(select(ImportProfile).where(ImportProfile.name == "hr-sheet"))
    assert saved is not None and saved.entity == "departments"
    assert saved.body["columns"] == {"Dept": "code", "Title": "name", "Remarks": ""}
    r = browser.client.post("/imports/profiles", data=form)
    assert r.status_code == 409 and "already used" in r.text

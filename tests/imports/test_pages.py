"""The import page: upload, the column mapping step, the problem table and the summary."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.org.models import Department
from tests.conftest import Clients
from tests.imports.files import counts, csv_file
from tests.web.helpers import login
from tests.world import World


def test_page_lists_templates_and_allowed_entities(as_: Clients) -> None:
    r = as_("it_pm").get("/imports", params={"entity": "people"})
    assert r.status_code == 200
    assert '/api/v1/imports/projects/template?format=xlsx' in r.text
    assert '<option value="departments"  disabled>' in r.text  # a project manager imports projects only
    assert 'weekly_capacity_hours' in r.text


def test_upload_mapping_step_then_import(app: object, world: World, db: Session) -> None:
    browser = login(app, world, "admin")
    content = csv_file([["Dept", "Title", "Remarks"], ["PAGE-1", "From the page", "x"]])
    files = {"file": ("depts.csv", content)}
    r = browser.client.post("/imports", data={"csrf_token": browser.csrf, "entity": "departments"},
                            files=files, follow_redirects=False)
    assert r.status_code == 422
    assert 'id="column-mapping"' in r.text and 'name="map_field"' in r.text
    form = {"csrf_token": browser.csrf, "entity": "departments",
            "map_header": ["Dept", "Title", "Remarks"], "map_field": ["code", "name", ""]}
    r = browser.client.post("/imports", data=form, files=files, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert db.scalar(select(Department).where(Department.code == "PAGE-1")) is not None
    page = browser.client.get(r.headers["location"]).text
    assert "Imported depts.csv: 1 departments created" in page


def test_htmx_preview_of_columns(app: object, world: World, db: Session) -> None:
    browser = login(app, world, "admin")
    content = csv_file([["Code", "Mystery"], ["X", "y"]])
    r = browser.client.post("/imports/columns", data={"csrf_token": browser.csrf, "entity": "departments"},
                            files={"file": ("x.csv", content)})
    assert r.status_code == 200
    assert '<option value="code" selected>' in r.text
    assert '<option value="?" selected>' in r.text  # Mystery must be chosen or ignored


def test_problems_table_and_nothing_changed(app: object, world: World, db: Session) -> None:
    browser = login(app, world, "admin")
    before = counts(db)
    content = csv_file([["code", "name"], ["OK-1", "Fine"], ["BAD 2", "Bad"]])
    r = browser.client.post("/imports", data={"csrf_token": browser.csrf, "entity": "departments",
                                              "dry_run": "true"},
                            files={"file": ("d.csv", content)}, follow_redirects=False)
    assert r.status_code == 422
    assert 'id="import-errors"' in r.text and "<td><code>code</code></td>" in r.text
    assert counts(db) == before


def test_dry_run_summary(app: object, world: World, db: Session) -> None:
    browser = login(app, world, "admin")
    content = csv_file([["code", "name"], ["DRY-1", "Fine"]])
    r = browser.client.post("/imports", data={"csrf_token": browser.csrf, "entity": "departments",
                                              "dry_run": "true"},
                            files={"file": ("d.csv", content)}, follow_redirects=True)
    assert "Dry run of d.csv: would create 1" in r.text
    assert db.scalar(select(Department).where(Department.code == "DRY-1")) is None


def test_forbidden_entity_shows_on_the_page(app: object, world: World, db: Session) -> None:
    browser = login(app, world, "it_pm")
    r = browser.client.post("/imports", data={"csrf_token": browser.csrf, "entity": "departments"},
                            files={"file": ("d.csv", csv_file([["code", "name"], ["F1", "F"]]))})
    assert r.status_code == 403
    assert "You may not import departments" in r.text and 'id="import-form"' in r.text

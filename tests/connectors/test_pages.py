"""The Jira pages: list, the form (token never shown back), Sync now and the runs table."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.connectors.models import JiraConnection
from tests.connectors.fake_jira import FakeJira, issue
from tests.web.helpers import login
from tests.world import World

PAGES = "/connectors/jira"


def test_create_sync_and_read_the_runs_on_the_pages(app: object, world: World, db: Session,
                                                    jira: FakeJira) -> None:
    jira.issues = [issue("OPS-1", "Data centre exit", "indeterminate", "2027-03-31"),
                   issue("OPS-2", "VPN", "new", None), issue("OPS-3", "Backup", "done", None)]
    browser = login(app, world, "it_lead")
    assert browser.client.get(f"{PAGES}/new").status_code == 200
    form = {"name": "IT Jira", "department_id": str(world.departments["IT"]),
            "site_url": jira.url, "email": jira.email, "api_token": jira.token,
            "project_keys": "ops", "target": "projects",
            "target_department_id": str(world.departments["IT"]), "interval_minutes": "30",
            "active": "on", "status_done": "closing"}
    r = browser.post_form(PAGES, form)
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    connection = db.scalars(select(JiraConnection).where(JiraConnection.name == "IT Jira")).one()
    assert connection.project_keys == ["OPS"] and connection.status_map["done"] == "closing"
    page = browser.client.get(f"{PAGES}/{connection.id}").text
    assert jira.token not in page and f"set (…{jira.token[-4:]})" in page
    assert "No sync yet." in page
    r = browser.post_form(f"{PAGES}/{connection.id}/sync", {})
    assert r.status_code == 303  # type: ignore[attr-defined]
    page = browser.client.get(f"{PAGES}/{connection.id}").text
    assert "Synced 3 issues: 3 created, 0 updated, 0 unchanged, 0 refused" in page
    assert len(re.findall(r'data-testid="run" data-outcome="ok"', page)) == 1
    listing = browser.client.get(PAGES).text
    assert "IT Jira" in listing and "ok ·" in listing and jira.token not in listing


def test_the_form_keeps_the_token_when_left_empty_and_shows_errors(
        app: object, world: World, db: Session, jira: FakeJira) -> None:
    browser = login(app, world, "admin")
    base = {"name": "Jira", "site_url": "http://jira.example.org", "email": jira.email,
            "api_token": jira.token, "project_keys": "", "target": "projects",
            "target_department_id": str(world.departments["IT"]), "interval_minutes": "60"}
    r = browser.post_form(PAGES, base)
    assert r.status_code == 422  # type: ignore[attr-defined]
    text = r.text  # type: ignore[attr-defined]
    assert "plain http only for 127.0.0.1 or localhost" in text and jira.token not in text
    r = browser.post_form(PAGES, base | {"site_url": jira.url, "project_keys": "OPS"})
    assert r.status_code == 303  # type: ignore[attr-defined]
    connection = db.scalars(select(JiraConnection)).one()
    before = connection.secret
    edit = base | {"site_url": jira.url, "project_keys": "OPS, WEB", "api_token": "",
                   "version": str(connection.version), "active": "on"}
    r = browser.post_form(f"{PAGES}/{connection.id}", edit)
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    db.expire_all()
    saved = db.get(JiraConnection, connection.id)
    assert saved is not None and saved.project_keys == ["OPS", "WEB"] and saved.secret == before
    jira.issues = [issue("OPS-1", "One", "new", None)]
    browser.post_form(f"{PAGES}/{connection.id}/sync", {})
    assert jira.requests and jira.authorised(jira.requests[0]["auth"])


def test_others_cannot_open_the_pages(app: object, world: World, db: Session) -> None:
    browser = login(app, world, "it_pm")
    assert browser.client.get(f"{PAGES}/new").status_code == 403
    assert "No Jira connections yet." in browser.client.get(PAGES).text

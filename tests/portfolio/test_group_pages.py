"""Programme and portfolio forms: create, edit, delete through the pages, with their rules."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.portfolio.models import Portfolio, Programme
from tests.web.helpers import Browser, login
from tests.world import World


def _post(browser: Browser, url: str, data: dict[str, Any]) -> Any:
    return browser.post_form(url, data)


def test_lead_creates_edits_and_deletes_a_programme(app: object, world: World,
                                                    db: Session) -> None:
    lead = login(app, world, "it_lead")
    listing = lead.client.get("/programmes").text
    assert 'id="new-programme"' in listing
    assert lead.client.get("/programmes/new").status_code == 200
    made = _post(lead, "/programmes/new", {
        "code": "PRG-SEC", "name": "Security uplift", "department_id": world.departments["IT"],
        "department_ids": [world.departments["FIN"]], "manager_id": world.people["it_pm"]})
    assert made.status_code == 303, made.text
    programme = db.scalar(select(Programme).where(Programme.code == "PRG-SEC"))
    assert programme is not None and programme.manager_id == world.people["it_pm"]
    page = lead.client.get(made.headers["location"]).text
    assert "Security uplift" in page and 'id="edit-programme"' in page
    edit = lead.client.get(f"/programmes/{programme.id}/edit").text
    version = re.search(r'name="version" value="(\d+)"', edit).group(1)  # type: ignore[union-attr]
    saved = _post(lead, f"/programmes/{programme.id}/edit", {
        "version": version, "code": "PRG-SEC", "name": "Security programme",
        "department_id": world.departments["IT"]})
    assert saved.status_code == 303, saved.text
    db.refresh(programme)
    assert programme.name == "Security programme"
    gone = _post(lead, f"/programmes/{programme.id}/delete", {"version": programme.version})
    assert gone.status_code == 303 and gone.headers["location"] == "/programmes"
    assert db.scalar(select(Programme.id).where(Programme.id == programme.id)) is None


def test_programme_form_errors_are_shown_and_nothing_saved(app: object, world: World,
                                                           db: Session) -> None:
    lead = login(app, world, "it_lead")
    bad = _post(lead, "/programmes/new", {"code": "bad code!", "name": "",
                                          "department_id": world.departments["IT"]})
    assert bad.status_code == 422
    assert 'data-field="code"' in bad.text
    other = _post(lead, "/programmes/new", {"code": "PRG-FIN", "name": "Not mine",
                                            "department_id": world.departments["FIN"]})
    assert other.status_code == 403
    assert db.scalar(select(Programme).where(Programme.code == "PRG-FIN")) is None


def test_member_sees_no_create_button_and_cannot_post(app: object, world: World,
                                                      db: Session) -> None:
    member = login(app, world, "it_member")
    assert 'id="new-programme"' not in member.client.get("/programmes").text
    refused = _post(member, "/portfolios/new", {"code": "PF-X", "name": "X",
                                                "department_id": world.departments["IT"],
                                                "rollup_rule": "worst"})
    assert refused.status_code == 403
    assert db.scalar(select(Portfolio).where(Portfolio.code == "PF-X")) is None


def test_admin_creates_enterprise_portfolio_with_weighted_rule(app: object, world: World,
                                                               db: Session) -> None:
    admin = login(app, world, "admin")
    made = _post(admin, "/portfolios/new", {"code": "PF-ENT2", "name": "Enterprise 2",
                                            "department_id": "", "rollup_rule": "weighted"})
    assert made.status_code == 303, made.text
    portfolio = db.scalar(select(Portfolio).where(Portfolio.code == "PF-ENT2"))
    assert portfolio is not None and portfolio.department_id is None
    assert portfolio.rollup_rule == "weighted"
    page = admin.client.get(f"/portfolios/{portfolio.id}").text
    assert "Budget-weighted average" in page
    bad_rule = _post(admin, "/portfolios/new", {"code": "PF-ENT3", "name": "E3",
                                                "rollup_rule": "average"})
    assert bad_rule.status_code == 422 and 'data-field="rollup_rule"' in bad_rule.text

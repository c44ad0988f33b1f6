"""The value pages without a browser: the report's quarter, filters, the forms and their
errors in words (the browser journey does the rest)."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.ledger.models import LedgerEntry
from tests.ledger.events import seed
from tests.web.helpers import login
from tests.world import World


def _token(page: Any) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def _write(client: TestClient, world: World, **fields: Any) -> Any:
    token = _token(client.get("/value/ledger"))
    return client.post("/value/ledger", data={
        "csrf_token": token, "category": "hard_saving", "amount": "2500",
        "department_id": str(world.departments["IT"]), "occurred_on": "2026-08-03",
        "description": "Licences pooled", **fields}, follow_redirects=False)


def test_the_report_page_shows_the_quarter_and_its_neighbours(app: object, world: World,
                                                               db: Session) -> None:
    admin = login(app, world, "admin").client
    assert _write(admin, world).status_code == 303
    entry_id = re.search(r'id="entry-(\d+)"', admin.get("/value/ledger").text)
    assert entry_id is not None
    page = admin.get("/value/ledger")
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version is not None
    done = admin.post(f"/value/ledger/{entry_id.group(1)}", data={
        "csrf_token": _token(page), "action": "confirm", "version": version.group(1)},
        follow_redirects=False)
    assert done.status_code == 303
    report = login(app, world, "exec").client.get("/value?quarter=2026-Q3")
    assert report.status_code == 200
    assert 'href="/value?quarter=2026-Q2"' in report.text
    assert 'href="/value?quarter=2026-Q4"' in report.text
    assert "2,500.00" in report.text and "awaiting finance" in report.text
    assert 'href="/value/report.pdf?quarter=2026-Q3"' in report.text
    assert 'aria-current="page' in report.text  # the Value tabs, this one active


def test_a_bad_quarter_is_said_in_words(app: object, world: World, db: Session) -> None:
    page = login(app, world, "exec").client.get("/value?quarter=2026-Q9")
    assert page.status_code == 422
    assert "must be a quarter such as 2026-Q3" in page.text


def test_the_form_keeps_its_values_and_names_the_field(app: object, world: World,
                                                       db: Session) -> None:
    admin = login(app, world, "admin").client
    answer = _write(admin, world, amount="-3", description="Kept <i>text</i>")
    assert answer.status_code == 422
    assert 'data-field="amount"' in answer.text
    assert "Kept &lt;i&gt;text&lt;/i&gt;" in answer.text
    answer = _write(admin, world, evidence_kind="lending", evidence_id="987654")
    assert answer.status_code == 422 and "no lending 987654 in the hub" in answer.text
    assert db.scalars(select(LedgerEntry)).first() is None


def test_only_administrators_see_the_ledger_forms(app: object, world: World,
                                                  db: Session) -> None:
    for user in ("exec", "fin_lead", "it_viewer"):
        page = login(app, world, user).client.get("/value/ledger")
        assert page.status_code == 200
        assert 'id="entry-form"' not in page.text and 'id="propose-form"' not in page.text
    assert 'id="propose-form"' in login(app, world, "admin").client.get("/value/ledger").text


def test_the_propose_button_proposes_once(app: object, world: World, db: Session) -> None:
    seed(db, world)
    admin = login(app, world, "admin").client
    for expected in ("5 new proposal(s)", "0 new proposal(s)"):
        page = admin.get("/value/ledger")
        done = admin.post("/value/ledger/propose", data={"csrf_token": _token(page)})
        assert done.status_code == 200 and expected in done.text
    page = admin.get("/value/ledger?status=proposed&category=hard_saving")
    assert page.text.count('data-testid="entry"') == 2


def test_evidence_is_picked_by_name_for_its_kind(app: object, world: World, db: Session,
                                                 make: Any) -> None:
    """The form names its evidence by picking it among the chosen kind, never by an id."""
    project = make.project("IT", code="LED-PICK", name="Pooled licences")
    admin = login(app, world, "admin").client
    assert 'hx-get="/pick/evidence"' in admin.get("/value/ledger").text
    options = re.findall(r'<option value="([^"]*)">', admin.get(
        "/pick/evidence", params={"evidence_kind": "project", "evidence_id": "pooled"}).text)
    assert options == [f"LED-PICK · Pooled licences #{project['id']}"]
    for kind in ("gate_review", "intake_request", "change_event", "lending", "scenario"):
        other = admin.get("/pick/evidence", params={"evidence_kind": kind, "evidence_id": "led"})
        assert other.status_code == 200 and "LED-PICK" not in other.text  # another kind
    assert "option" not in admin.get("/pick/evidence", params={
        "evidence_kind": "nonsense", "evidence_id": "pooled"}).text
    assert "option" not in login(app, world, "it_pm").client.get("/pick/evidence", params={
        "evidence_kind": "project", "evidence_id": "pooled"}).text  # not a keeper
    assert _write(admin, world, evidence_kind="project", evidence_id=options[0]).status_code == 303
    entry = db.scalars(select(LedgerEntry)).one()
    assert (entry.evidence_kind, entry.evidence_id) == ("project", project["id"])

"""Import profiles through the API: save, read, change, delete, validate, use, audit."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from epmo.audit.models import AuditEntry
from epmo.org.models import Person
from tests.conftest import Clients
from tests.imports import portfolio
from tests.imports.files import counts, csv_file, errors_of

API = "/api/v1/imports/profiles"


def _save(client: Any, name: str = "it-dashboard", entity: str = "projects",
          body: dict[str, Any] | None = None) -> Any:
    return client.post(API, json={"name": name, "entity": entity,
                                  "body": portfolio.PROFILE if body is None else body})


def _audited(db: Session, action: str) -> int:
    query = select(func.count()).select_from(AuditEntry).where(
        AuditEntry.entity == "import_profile", AuditEntry.action == action)
    return db.scalar(query) or 0


def test_crud_with_versions_and_audit(as_: Clients, db: Session) -> None:
    r = _save(as_("admin"))
    assert r.status_code == 201, r.text
    saved = r.json()
    assert saved["body"]["dates"] == "us" and saved["version"] == 1
    assert [p["name"] for p in as_("it_pm").get(API).json()] == ["it-dashboard"]
    assert as_("admin").get(f"{API}/{saved['id']}").json()["entity"] == "projects"
    change = {"version": 1, "body": portfolio.PROFILE | {"decimal": ","}}
    r = as_("it_lead").put(f"{API}/{saved['id']}", json=change)
    assert r.status_code == 200, r.text
    assert r.json()["body"]["decimal"] == "," and r.json()["version"] == 2
    assert as_("admin").put(f"{API}/{saved['id']}", json=change).status_code == 409  # stale
    assert as_("admin").delete(f"{API}/{saved['id']}", params={"version": 2}).status_code == 204
    assert as_("admin").get(f"{API}/{saved['id']}").status_code == 404
    assert (_audited(db, "create"), _audited(db, "update"), _audited(db, "delete")) == (1, 1, 1)


def test_names_are_unique(as_: Clients) -> None:
    assert _save(as_("admin")).status_code == 201
    r = _save(as_("admin"))
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "name"


def test_bodies_are_checked_field_by_field(as_: Clients) -> None:
    r = _save(as_("admin"), body={"colums": {}, "dates": "american"})
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert {"colums", "dates"} <= fields, fields  # the API names request fields without "body."
    bad = {"columns": {"Agency": "agency"}, "values": {"stagee": {"X": "y"}},
           "defaults": {"colour": "red"}}
    r = _save(as_("admin"), body=bad)
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {
        "body.columns.Agency", "body.values.stagee", "body.defaults.colour"}
    r = _save(as_("admin"), entity="people", body={"snapshot": True, "create_departments": True})
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"body.snapshot", "body.create_departments"}


def test_who_may_manage_profiles_follows_who_may_import(as_: Clients) -> None:
    r = _save(as_("it_pm"), name="depts", entity="departments", body={})
    assert r.status_code == 403 and "You may not import departments" in r.text
    saved = _save(as_("admin"), name="depts", entity="departments", body={}).json()
    assert as_("it_pm").get(f"{API}/{saved['id']}").status_code == 404  # looks missing
    assert as_("it_pm").get(API).json() == []


def test_import_by_profile_name_with_defaults_and_words(as_: Clients, db: Session) -> None:
    body = {"columns": {"Ref": "code", "Title": "name", "Phase": "stage", "Budget": "budget_planned",
                        "Kick-off": "planned_start"},
            "values": {"stage": {"Go": "executing"}}, "dates": "day_first", "decimal": ",",
            "defaults": {"department_code": "FIN"}}
    assert _save(as_("admin"), name="finance-sheet", body=body).status_code == 201
    content = csv_file([["Ref", "Title", "Phase", "Budget", "Kick-off"],
                        ["FS-1", "Ledger", "go", "1.234,50 €", "15/03/2025"]], delimiter=";")
    r = as_("fin_pm").post("/api/v1/imports/projects", data={"profile": "finance-sheet"},
                           files={"file": ("f.csv", content)})
    assert r.status_code == 200, r.text
    project = as_("admin").get("/api/v1/projects", params={"q": "FS-1"}).json()["items"][0]
    assert (project["stage"], project["budget_planned"], project["planned_start"]) == \
        ("executing", "1234.50", "2025-03-15")
    wrong = csv_file([["Ref", "Title", "Phase", "Budget", "Kick-off"],
                      ["FS-2", "Ledger", "go", "1,234.50", "3/15/2025"]], delimiter=";")
    before = counts(db)
    r = as_("fin_pm").post("/api/v1/imports/projects", data={"profile": "finance-sheet"},
                           files={"file": ("f.csv", wrong)})
    assert r.status_code == 422
    assert set(errors_of(r)) == {(2, "Budget"), (2, "Kick-off")}
    assert "day/month/year" in r.text and counts(db) == before


def test_unknown_profile_and_wrong_entity(as_: Clients) -> None:
    files = {"file": ("f.csv", csv_file([["code", "name"], ["X", "Y"]]))}
    r = as_("admin").post("/api/v1/imports/departments", data={"profile": "nope"}, files=files)
    assert r.status_code == 404 and "No import profile called 'nope'" in r.text
    assert _save(as_("admin")).status_code == 201
    r = as_("admin").post("/api/v1/imports/departments", data={"profile": "it-dashboard"},
                          files=files)
    assert r.status_code == 422 and "reads projects, not departments" in r.text


def test_hostile_cells_are_refused_by_row_and_column(as_: Clients, db: Session) -> None:
    table = portfolio.rows(date.today())[:5]
    table[1][0] = '=HYPERLINK("http://evil.example","click")'
    table[2][1] = "x" * 20_000
    table[3][2] = "999"  # an agency the profile does not know, no create option
    table[4][1] = "<script>alert(1)</script>"
    table[4][9] = "<b>soon</b>"
    before = counts(db)
    profile = {"profile": json.dumps(portfolio.PROFILE)}
    r = as_("admin").post("/api/v1/imports/projects", data=profile,
                          files={"file": ("evil.csv", csv_file(table))})
    assert r.status_code == 422
    found = set(errors_of(r))
    assert found == {(2, "Unique Project ID"), (3, "Project Name"), (4, "Agency Code"),
                     (5, "Updated Date")}, found
    assert len(r.content) < 5_000  # the long cell is not echoed back
    table[2][1] = "x" * 1_000_000  # past the CSV reader's cell limit: the file is refused
    r = as_("admin").post("/api/v1/imports/projects", data=profile,
                          files={"file": ("evil.csv", csv_file(table))})
    assert r.status_code == 422 and "malformed near line 3" in r.text
    assert len(r.content) < 5_000
    assert counts(db) == before


def test_yes_no_words_and_decimal_comma_for_people(as_: Clients, db: Session) -> None:
    body = {"columns": {"Personalnummer": "code", "Name": "name", "Abteilung": "department_code",
                        "Wochenstunden": "weekly_capacity_hours", "Aktiv": "active"},
            "values": {"active": {"Ja": "true", "Nein": "false"},
                       "department_code": {"Informatik": "IT"}},
            "decimal": ","}
    content = csv_file([["Personalnummer", "Name", "Abteilung", "Wochenstunden", "Aktiv"],
                        ["DE-1", "Erika Muster", "Informatik", "37,5", "ja"],
                        ["DE-2", "Max Muster", "Informatik", "40", "NEIN"]], delimiter=";")
    r = as_("it_lead").post("/api/v1/imports/people", data={"profile": json.dumps(body)},
                            files={"file": ("leute.csv", content)})
    assert r.status_code == 200, r.text
    stored = {p.code: p for p in db.scalars(select(Person).where(Person.code.like("DE-%")))}
    assert (stored["DE-1"].active, stored["DE-1"].weekly_capacity_hours) == (True, Decimal("37.5"))
    assert stored["DE-2"].active is False

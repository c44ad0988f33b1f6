"""Importing departments: create then update, hierarchy inside the file, loops, all-or-nothing."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.org.models import Department
from tests.conftest import Clients
from tests.imports.files import counts, csv_file, errors_of, upload

HEADER = ["code", "name", "description", "parent_code"]


def _dept(db: Session, code: str) -> Department:
    found = db.scalar(select(Department).where(Department.code == code))
    assert found is not None
    db.refresh(found)
    return found


def test_create_then_update_matching_codes_with_parents_later_in_file(as_: Clients, db: Session) -> None:
    # The child comes before its parent: order inside the file does not matter.
    first = csv_file([HEADER, ["OPS-LOG", "Logistics", "", "OPS"], ["OPS", "Operations", "Plants", ""],
                      ["OPS-LOG-X", "Cross-docking", "", "OPS-LOG"]])
    r = upload(as_("admin"), "departments", first)
    assert r.status_code == 200, r.text
    assert r.json()["created"] == 3 and r.json()["updated"] == 0
    assert sorted(r.json()["created_codes"]) == ["OPS", "OPS-LOG", "OPS-LOG-X"]
    assert _dept(db, "OPS-LOG").parent_id == _dept(db, "OPS").id
    assert _dept(db, "OPS-LOG-X").parent_id == _dept(db, "OPS-LOG").id

    second = csv_file([HEADER, ["OPS", "Operations & Logistics", "Plants", ""],
                       ["OPS-LOG", "Logistics", "", "IT"], ["OPS-LOG-X", "Cross-docking", "", "OPS-LOG"]])
    r = upload(as_("admin"), "departments", second)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (0, 2, 1)
    ops = _dept(db, "OPS")
    assert ops.name == "Operations & Logistics" and ops.version == 2
    assert _dept(db, "OPS-LOG").parent_id == _dept(db, "IT").id


def test_bad_row_rejects_whole_file_and_names_row_and_column(as_: Clients, db: Session) -> None:
    before = counts(db)
    listed_before = as_("admin").get("/api/v1/departments").json()["total"]
    content = csv_file([HEADER, ["GOOD1", "Good one", "", ""], ["bad code!", "Bad", "", ""],
                        ["GOOD2", "", "", ""], ["GOOD3", "Good three", "", "NOPE"]])
    r = upload(as_("admin"), "departments", content)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert errors_of(r) == [(3, "code"), (4, "name"), (5, "parent_code")]
    assert r.json()["error_count"] == 3
    assert "no department NOPE" in r.json()["errors"][2]["message"]
    assert counts(db) == before
    assert as_("admin").get("/api/v1/departments").json()["total"] == listed_before


def test_loops_inside_file_and_with_stored_hierarchy_are_reported(as_: Clients, db: Session) -> None:
    content = csv_file([HEADER, ["A1", "A", "", "B1"], ["B1", "B", "", "A1"], ["C1", "C", "", "C1"]])
    r = upload(as_("admin"), "departments", content)
    assert r.status_code == 422
    assert errors_of(r) == [(2, "parent_code"), (3, "parent_code"), (4, "parent_code")]
    assert "A1 → B1 → A1" in r.json()["errors"][0]["message"]
    # Moving IT under its own child IT-INFRA loops through the stored hierarchy.
    r = upload(as_("admin"), "departments", csv_file([HEADER, ["IT", "IT", "", "IT-INFRA"]]))
    assert r.status_code == 422
    assert "IT → IT-INFRA → IT" in r.json()["errors"][0]["message"]


def test_only_admins_import_departments(as_: Clients) -> None:
    r = upload(as_("it_lead"), "departments", csv_file([HEADER, ["X1", "X", "", ""]]))
    assert r.status_code == 403


def test_dry_run_reports_and_changes_nothing(as_: Clients, db: Session) -> None:
    before = counts(db)
    r = upload(as_("admin"), "departments", csv_file([HEADER, ["NEW1", "New", "", "IT"]]),
               dry_run=True)
    assert r.status_code == 200, r.text
    assert r.json()["dry_run"] is True and r.json()["created"] == 1
    assert counts(db) == before


def test_a_row_with_a_bad_cell_still_reports_its_empty_required_cells(as_: Clients) -> None:
    r = upload(as_("admin"), "departments", csv_file([HEADER, ["BAD 1", "", "", ""], ["", "x" * 201, "", ""]]))
    assert errors_of(r) == [(2, "code"), (2, "name"), (3, "code"), (3, "name")]

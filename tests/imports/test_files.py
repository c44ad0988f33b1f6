"""Reading files and headers: BOM and ';', encodings, limits, column mapping, templates."""

from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.config import get_settings
from epmo.files.columns import column_letter, header_key
from epmo.files.readers import read_table, sniff_delimiter
from epmo.imports.entities import ENTITIES
from epmo.imports.trees import find_loops
from epmo.org.models import Department
from epmo.portfolio.models import Project
from tests.conftest import Clients
from tests.imports.files import counts, csv_file, errors_of, upload, xlsx_file


def test_csv_with_bom_and_semicolons(as_: Clients, db: Session) -> None:
    content = csv_file([["code", "name", "description"], ["SEMI", "Semicolon; inc.", "a, b"]],
                       delimiter=";", bom=True)
    assert content.startswith(b"\xef\xbb\xbf")
    r = upload(as_("admin"), "departments", content, filename="excel-export.csv")
    assert r.status_code == 200, r.text
    dept = db.scalar(select(Department).where(Department.code == "SEMI"))
    assert dept is not None and dept.name == "Semicolon; inc." and dept.description == "a, b"


def test_non_utf8_csv_is_refused_with_a_clear_message(as_: Clients) -> None:
    content = "code;name\r\nCAFE;Café\r\n".encode("cp1252")
    r = upload(as_("admin"), "departments", content)
    assert r.status_code == 422
    assert "not UTF-8" in r.json()["detail"] and "line 2" in r.json()["detail"]


def test_empty_and_garbage_files(as_: Clients) -> None:
    assert "empty" in upload(as_("admin"), "departments", b"  \r\n").json()["detail"]
    r = upload(as_("admin"), "departments", b"PK\x03\x04 not really a workbook", filename="x.xlsx")
    assert r.status_code == 422 and "spreadsheet" in r.json()["detail"]
    r = upload(as_("admin"), "nonsense", csv_file([["code"], ["X"]]))
    assert r.status_code == 404


def test_size_and_row_limits(as_: Clients, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = get_settings()
    monkeypatch.setattr(settings, "import_max_rows", 3)
    rows = [["code", "name"]] + [[f"L{i}", "x"] for i in range(4)]
    r = upload(as_("admin"), "departments", csv_file(rows))
    assert r.status_code == 422 and "more than 3 data rows" in r.json()["detail"]
    monkeypatch.setattr(settings, "import_max_bytes", 1024)
    r = upload(as_("admin"), "departments", csv_file([["code", "name"], ["BIG", "x" * 2000]]))
    assert r.status_code == 422 and "limit is 1,024 bytes" in r.json()["detail"]


def test_row_numbers_skip_nothing_the_user_sees() -> None:
    table = read_table("x.csv", csv_file([["code", "name"], ["A", "a"], ["", ""], ["B", "b"]]))
    assert table.header_row == 1 and [n for n, _ in table.rows] == [2, 4]


def test_foreign_headers_need_a_mapping(as_: Clients, db: Session) -> None:
    content = csv_file([["Project ID", "Title", "Owning Dept", "Notes", "Planned Start"],
                        ["MAP-1", "Mapped", "IT", "ignore me", "2025-03-01"]])
    before = counts(db)
    r = upload(as_("admin"), "projects", content)
    assert r.status_code == 422
    body = r.json()
    assert body["unmapped"] == ["Project ID", "Title", "Owning Dept", "Notes"]
    assert body["columns"]["Planned Start"] == "planned_start"  # matched by itself
    assert {e["row"] for e in body["errors"]} == {1}
    assert counts(db) == before
    mapping = {"Project ID": "code", "Title": "name", "Owning Dept": "department_code", "Notes": ""}
    r = upload(as_("admin"), "projects", content, mapping=mapping)
    assert r.status_code == 200, r.text
    project = db.scalar(select(Project).where(Project.code == "MAP-1"))
    assert project is not None and project.department_id is not None
    # Errors name the column as the file calls it.
    bad = csv_file([["Project ID", "Title", "Owning Dept"], ["MAP-2", "x", "NOPE"]])
    r = upload(as_("admin"), "projects", bad, mapping=mapping)
    assert errors_of(r) == [(2, "Owning Dept")]


def test_bad_mappings(as_: Clients) -> None:
    content = csv_file([["id", "title"], ["M1", "x"]])
    r = upload(as_("admin"), "departments", content, mapping={"id": "code", "title": "colour"})
    assert r.status_code == 422 and errors_of(r) == [(1, "title")]
    r = upload(as_("admin"), "departments", content, mapping={"id": "code", "title": "code"})
    assert errors_of(r) == [(1, "title")]
    r = as_("admin").post("/api/v1/imports/departments", files={"file": ("x.csv", content)},
                          data={"mapping": "{not json"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "mapping"
    r = upload(as_("admin"), "departments", csv_file([["name"], ["No code"]]))
    assert errors_of(r) == [(1, "code")]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_templates_round_trip(as_: Clients, db: Session, file_format: str) -> None:
    for name in ENTITIES:  # in import order, the examples refer to each other
        r = as_("admin").get(f"/api/v1/imports/{name}/template", params={"format": file_format})
        assert r.status_code == 200
        assert f"epmo-{name}-template.{file_format}" in r.headers["content-disposition"]
        imported = upload(as_("admin"), name, r.content, filename=f"template.{file_format}")
        assert imported.status_code == 200, (name, imported.text)
        assert imported.json()["created"] == 1
    project = db.scalar(select(Project).where(Project.code == "PRJ-0001"))
    assert project is not None and project.stage == "planning"
    assert str(project.planned_start) == "2025-01-06"


def test_excel_template_has_notes_sheet(as_: Clients) -> None:
    r = as_("it_viewer").get("/api/v1/imports/projects/template", params={"format": "xlsx"})
    book = CalamineWorkbook.from_filelike(io.BytesIO(r.content))
    assert book.sheet_names == ["projects", "notes"]
    notes = book.get_sheet_by_name("notes").to_python()
    assert notes[0] == ["column", "required", "meaning", "example"]
    assert [line[0] for line in notes[1:]] == list(ENTITIES["projects"].field_names)
    assert as_("admin").get("/api/v1/imports/projects/template",
                            params={"format": "pdf"}).status_code == 422


def test_describe_entities(as_: Clients) -> None:
    listed = as_("it_viewer").get("/api/v1/imports").json()
    assert [e["entity"] for e in listed] == ["departments", "people", "goals", "programmes", "projects",
                                             "project_demand"]
    one = as_("it_viewer").get("/api/v1/imports/people").json()
    assert one["columns"][0] == {"name": "code", "required": True, "meaning": one["columns"][0]["meaning"],
                                 "example": "P-0001"}


@pytest.mark.parametrize(("line", "expected"), [("a;b;c", ";"), ("a,b", ","), ("a\tb", "\t"),
                                                ("single", ",")])
def test_sniff_delimiter(line: str, expected: str) -> None:
    assert sniff_delimiter(line + "\r\n1,2") == expected


def test_small_helpers() -> None:
    assert header_key(" Department  Code ") == "department_code"
    assert [column_letter(i) for i in (0, 25, 26, 701)] == ["A", "Z", "AA", "ZZ"]
    assert find_loops({"A": "B", "B": "C", "C": "B", "D": None}, ["A", "D"]) == {
        "B": ["B", "C", "B"], "C": ["C", "B", "C"]}


def test_excel_rows_are_numbered_as_the_sheet_shows_them(as_: Clients) -> None:
    content = xlsx_file([[], [], ["", "code", "name"], ["", "OK-X", "Fine"], ["", "BAD X", "Bad"]])
    table = read_table("book.xlsx", content)
    assert table.header_row == 3 and table.headers == ["", "code", "name"]
    r = upload(as_("admin"), "departments", content, filename="book.xlsx")
    assert errors_of(r) == [(5, "code")]


def test_goal_weights_tolerate_spaces_and_report_bad_weights(as_: Clients, db: Session) -> None:
    for code in ("GW1", "GW2"):
        as_("admin").post("/api/v1/goals", json={"code": code, "name": code})
    header = ["code", "name", "department_code", "goal_codes"]
    r = upload(as_("admin"), "projects", csv_file([header, ["PW-1", "W", "IT", "GW1 : 60; GW2:40"],
                                                   ["PW-2", "W", "IT", "GW1:abc"],
                                                   ["PW-3", "W", "IT", "GW1:50;GW1:50"]]))
    assert r.status_code == 422
    assert errors_of(r) == [(3, "goal_codes"), (4, "goal_codes")]
    assert r.json()["errors"][1]["message"] == "goal GW1 is listed twice"


def test_import_keeps_the_audit_chain_intact(as_: Clients, db: Session) -> None:
    from epmo.audit.service import verify_log

    upload(as_("admin"), "departments", csv_file([["code", "name"], ["AUD-1", "Audited"]]))
    assert verify_log(db).broken_id is None

"""GET /api/v1/rollup/pack: the executive status pack as PDF and Excel, and its errors."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from tests.conftest import Clients
from tests.rollup.conftest import Data
from tests.world import World

API = "/api/v1/rollup/pack"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(as_: Clients, user: str = "admin", **params: Any) -> dict[str, list[list[Any]]]:
    """The Excel pack's sheets as lists of rows (asserting success)."""
    r = as_(user).get(API, params={"format": "xlsx", **params})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == XLSX
    book = CalamineWorkbook.from_filelike(io.BytesIO(r.content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_department_pack_in_excel(as_: Clients, data: Data, world: World) -> None:
    sheets = workbook(as_, department_id=world.departments["IT"], period="2025-03")
    assert list(sheets)[:6] == ["Summary", "Roll-up", "Programmes", "RAG matrix", "Top risks",
                                "Compliance"]
    rollup = {row[0]: row for row in sheets["Roll-up"][1:]}
    assert sheets["Roll-up"][0][:7] == ["Code", "Name", "Depth", "Rule", "Colour", "Score",
                                        "Projects"]
    it = rollup["IT"]
    assert (it[4], it[6], it[12], it[13], it[14], it[15]) == ("red", 3, 150000.0, 180000.0,
                                                             "red", "unchanged")
    assert (rollup["IT-INFRA"][2], rollup["IT-INFRA"][15]) == (1, "improved")
    assert [row[0] for row in sheets["Programmes"][1:]] == ["PRG-A"]
    matrix = sheets["RAG matrix"]
    assert [row[0] for row in matrix[1:]] == ["P1", "P3", "P2"]  # red, amber, green
    p1 = matrix[1]
    assert matrix[0][3:6] == ["Overall", "Reported", "Derived"]
    assert p1[3:11] == ["red", "red", "", "red", "amber", "green", "red", ""]
    assert p1[11] in (date(2025, 3, 17), datetime(2025, 3, 17))
    assert (p1[12], p1[13], matrix[2][12]) == ("no", 100000.0, "yes")
    risks = sheets["Top risks"]
    assert [(row[2], row[5]) for row in risks[1:]] == [("Vendor delivers late", 20),
                                                      ("Key engineer leaves", 12)]
    compliance = {row[0]: row for row in sheets["Compliance"][1:]}
    assert set(compliance) == {"IT", "IT-INFRA"}
    assert compliance["IT"][3] == 85.5 and compliance["IT-INFRA"][3] == 70.0


def test_portfolio_pack_counts_only_readable_projects(as_: Clients, data: Data) -> None:
    everything = workbook(as_, portfolio_id=data.portfolios["PF-ENT"], period="2025-03")
    it_only = workbook(as_, "it_lead", portfolio_id=data.portfolios["PF-ENT"], period="2025-03")
    assert [r[0] for r in everything["RAG matrix"][1:]] == ["P1", "P4"]
    assert [r[0] for r in it_only["RAG matrix"][1:]] == ["P1"]
    assert [r[2] for r in it_only["Top risks"][1:]] == ["Vendor delivers late"]
    assert [r[0] for r in everything["Compliance"][1:]] == [""]  # the enterprise's snapshot
    assert everything["Compliance"][1][1] == "Enterprise"
    summary = dict((row[0], row[1]) for row in everything["Summary"][2:])
    assert summary["Rule"] == "each portfolio's own" and summary["Period"] == "2025-03"


def test_compliance_not_measured(as_: Clients, data: Data, world: World) -> None:
    sheets = workbook(as_, department_id=world.departments["IT"], period="2025-02")
    assert sheets["Compliance"][1][0] == "Compliance: not measured in 2025-02"


def test_pdf_pack(as_: Clients, data: Data, world: World) -> None:
    r = as_("exec").get(API, params={"department_id": world.departments["IT"],
                                     "period": "2025-03"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert 'filename="status-pack-IT-2025-03.pdf"' in r.headers["content-disposition"]


@pytest.mark.parametrize(("params", "fields"), [
    ({}, ["department_id", "portfolio_id"]),
    ({"department_id": 1, "portfolio_id": 1}, ["department_id", "portfolio_id"]),
    ({"department_id": 0}, ["department_id"]),
    ({"department_id": "IT"}, ["department_id"]),
    ({"department_id": 1, "period": "2025-00"}, ["period"]),
    ({"department_id": 1, "format": "docx"}, ["format"]),
])
def test_bad_parameters_name_them(as_: Clients, data: Data, params: dict[str, Any],
                                  fields: list[str]) -> None:
    r = as_("admin").get(API, params=params)
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == fields


def test_out_of_scope_subjects_look_missing(as_: Clients, data: Data, world: World) -> None:
    fin = as_("it_lead").get(API, params={"department_id": world.departments["FIN"]})
    pf_fin = as_("it_lead").get(API, params={"portfolio_id": data.portfolios["PF-FIN"]})
    missing = as_("admin").get(API, params={"department_id": 999_999})
    assert fin.status_code == pf_fin.status_code == missing.status_code == 404
    assert fin.json()["detail"] == f"Department {world.departments['FIN']} not found"
    own = as_("it_viewer").get(API, params={"department_id": world.departments["IT-INFRA"],
                                            "format": "xlsx"})
    assert own.status_code == 200

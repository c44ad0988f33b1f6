"""Text that a spreadsheet would run as a formula leaves the hub as inert text (CSV and Excel)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from epmo.tabular import safe_cell
from tests.conftest import Clients
from tests.factories import API, Maker

NAMES = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1)", "-1+1"]
SRC = Path(__file__).resolve().parents[2] / "src" / "epmo"


@pytest.fixture
def hostile(make: Maker) -> list[dict[str, Any]]:
    """One project per formula-looking name."""
    return [make.project("IT", code=f"F-{i}", name=name) for i, name in enumerate(NAMES)]


def test_csv_export_neutralises_formula_text(as_: Clients, hostile: list[dict[str, Any]]) -> None:
    r = as_("admin").get(f"{API}/projects/export", params={"format": "csv", "q": "F-"})
    assert r.status_code == 200
    names = {row["code"]: row["name"] for row in csv.DictReader(io.StringIO(r.text))}
    assert names == {f"F-{i}": "'" + name for i, name in enumerate(NAMES)}
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in
               (cell for row in csv.reader(io.StringIO(r.text)) for cell in row))


def test_excel_export_stores_formula_text_as_strings(as_: Clients,
                                                     hostile: list[dict[str, Any]]) -> None:
    r = as_("admin").get(f"{API}/projects/export", params={"format": "xlsx", "q": "F-"})
    assert r.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_index(0).to_python()
    assert sorted(row[1] for row in rows[1:]) == sorted(NAMES)
    with zipfile.ZipFile(io.BytesIO(r.content)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet


@pytest.mark.parametrize(("value", "written"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("plain", "plain"), ("a=b", "a=b"), ("", ""), (None, None),
    (-12.5, -12.5), (-3, -3), (Decimal("-7.25"), Decimal("-7.25")),
])
def test_only_text_is_neutralised(value: object, written: object) -> None:
    assert safe_cell(value) == written


def test_every_csv_and_workbook_is_written_through_one_helper() -> None:
    writers = re.compile(r"csv\.(writer|DictWriter)\(|xlsxwriter\.Workbook\(|import xlsxwriter")
    offenders = [str(path.relative_to(SRC)) for path in SRC.rglob("*.py")
                 if path.name != "tabular.py" and writers.search(path.read_text())]
    assert offenders == []

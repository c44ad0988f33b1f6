"""Hostile workbooks are refused (422 naming the limit) before the Excel reader builds a grid.

Before the fix the sparse file below aborted the whole server process: calamine asked for a
549,755,813,888-byte grid (SIGABRT), so "before" was checked with a standalone script, not here.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.config import get_settings
from epmo.org.models import Department
from tests.conftest import Clients
from tests.imports.files import counts, upload
from tests.imports.hostile import (
    dense,
    ods_cell,
    ods_of,
    ods_repeated,
    sparse_far_cell,
    text_cell,
    xlsx_of,
    zip_bomb,
)
from tests.reporting.files import post

Send = Callable[[TestClient, bytes, str], Any]
ENDPOINTS: dict[str, Send] = {
    "import": lambda client, content, name: upload(client, "departments", content, name),
    "status-report upload": post,
}


def refused(response: Any, message: str) -> None:
    """The response is a 422 problem naming the file and the limit."""
    assert response.status_code == 422, response.text
    body = response.json()
    assert message in body["detail"], body["detail"]
    assert body["errors"][0]["field"] == "file"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_far_cell_is_refused_before_the_sheet_is_read(as_: Clients, db: Session,
                                                        endpoint: str) -> None:
    before = counts(db)
    r = ENDPOINTS[endpoint](as_("admin"), sparse_far_cell(("code", "name")), "far.xlsx")
    refused(r, "Sheet 'data' spans 1,048,576 rows; the limit is 100,100 rows")
    wide = xlsx_of([b'<row r="1">' + text_cell("A1", "code").encode()
                    + text_cell("XFD1", "far").encode() + b"</row>"])
    r = ENDPOINTS[endpoint](as_("admin"), wide, "wide.xlsx")
    refused(r, "spans 16,384 columns; the limit is 200 columns")
    assert counts(db) == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_too_many_cells_are_refused(as_: Clients, endpoint: str,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "import_max_cells", 100)
    r = ENDPOINTS[endpoint](as_("admin"), dense(20, 10), "many.xlsx")
    refused(r, "Sheet 'data' holds over 100 cells; the limit is 100 cells")
    corners = xlsx_of([b'<row r="1">' + text_cell("A1", "code").encode() + b"</row>"
                       b'<row r="20">' + text_cell("J20", "x").encode() + b"</row>"])
    r = ENDPOINTS[endpoint](as_("admin"), corners, "corners.xlsx")
    refused(r, "spans 20 rows by 10 columns; the limit is 100 cells")


def test_cells_without_references_are_placed_as_the_reader_places_them(
        as_: Clients, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "import_max_rows", 50)
    r = upload(as_("admin"), "departments", dense(300, 2, refs=False), "implicit.xlsx")
    refused(r, "spans 300 rows; the limit is 150 rows")


def test_empty_formatted_far_cells_do_not_count(as_: Clients, db: Session) -> None:
    header = text_cell("A1", "code") + text_cell("B1", "name")
    row = text_cell("A2", "FAR") + text_cell("B2", "Far formatting") + '<c r="XFD2" s="1"/>'
    content = xlsx_of([f'<row r="1">{header}</row><row r="2">{row}</row>'
                       '<row r="1048576"><c r="XFD1048576" s="1"/></row>'.encode()])
    r = upload(as_("admin"), "departments", content, "formatted.xlsx")
    assert r.status_code == 200, r.text
    assert db.scalar(select(Department.name).where(Department.code == "FAR")) == \
        "Far formatting"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_zip_bombs_and_unpacked_size(as_: Clients, endpoint: str,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    r = ENDPOINTS[endpoint](as_("admin"), zip_bomb(), "bomb.xlsx")
    refused(r, "xl/media/padding.bin unpacks 200 times its size or more; the limit is a ratio "
                "of 200 (a zip bomb?)")
    monkeypatch.setattr(get_settings(), "import_max_unzipped_bytes", 2048)
    r = ENDPOINTS[endpoint](as_("admin"), dense(20, 10), "big.xlsx")
    refused(r, "the limit is 2,048 bytes")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_repeated_ods_cells_are_expanded_before_reading(as_: Clients, endpoint: str) -> None:
    r = ENDPOINTS[endpoint](as_("admin"), ods_repeated(1_048_575, 16_384), "repeat.ods")
    refused(r, "Sheet 'data' spans 1,048,576 rows; the limit is 100,100 rows")
    r = ENDPOINTS[endpoint](as_("admin"), ods_repeated(10, 1_000), "wide.ods")
    refused(r, "spans 1,000 columns; the limit is 200 columns")


def test_an_ordinary_ods_still_imports(as_: Clients, db: Session) -> None:
    empty_tail = ('<table:table-row table:number-rows-repeated="1048570">'
                  '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')
    content = ods_of([f"<table:table-row>{ods_cell('code')}{ods_cell('name')}</table:table-row>",
                      f"<table:table-row>{ods_cell('ODS')}{ods_cell('From Calc')}"
                      '<table:table-cell table:number-columns-repeated="16000"/>'
                      "</table:table-row>", empty_tail])
    r = upload(as_("admin"), "departments", content, "calc.ods")
    assert r.status_code == 200, r.text
    assert db.scalar(select(Department.name).where(Department.code == "ODS")) == "From Calc"


def test_binary_workbooks_are_refused(as_: Clients) -> None:
    content = xlsx_of([])
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, \
            zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            name = "xl/workbook.bin" if info.filename == "xl/workbook.xml" else info.filename
            target.writestr(name, source.read(info.filename))
    r = upload(as_("admin"), "departments", buffer.getvalue(), "book.xlsb")
    refused(r, "Binary workbooks (.xlsb) are not read; save the file as .xlsx")

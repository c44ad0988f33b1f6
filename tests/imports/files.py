"""Small import files built in the tests: CSV (any delimiter, optional BOM) and real .xlsx."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import xlsxwriter
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from epmo.audit.models import AuditEntry
from epmo.org.models import Department, Person
from epmo.portfolio.models import (
    Programme,
    ProgrammeDepartment,
    Project,
    ProjectDepartment,
    ProjectGoal,
    ProjectPortfolio,
)
from epmo.strategy.models import Goal

TABLES = (Department, Person, Goal, Programme, ProgrammeDepartment, Project, ProjectDepartment,
          ProjectGoal, ProjectPortfolio, AuditEntry)


def csv_file(rows: Sequence[Sequence[Any]], delimiter: str = ",", bom: bool = False) -> bytes:
    """CSV bytes (UTF-8) of ``rows``; the first row is the header."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_file(rows: Sequence[Sequence[Any]], sheet: str = "data",
              extra_sheets: dict[str, Sequence[Sequence[Any]]] | None = None) -> bytes:
    """A real .xlsx: dates become date cells, numbers number cells, text string cells."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, content in {sheet: rows, **(extra_sheets or {})}.items():
        page = book.add_worksheet(name)
        for r, row in enumerate(content):
            for c, value in enumerate(row):
                if isinstance(value, date | datetime):
                    page.write_datetime(r, c, value, day)
                elif isinstance(value, bool):
                    page.write_boolean(r, c, value)
                elif isinstance(value, int | float):
                    page.write_number(r, c, value)
                elif value not in (None, ""):
                    page.write_string(r, c, str(value))
    book.close()
    return out.getvalue()


def upload(client: TestClient, entity: str, content: bytes, filename: str = "file.csv",
           mapping: dict[str, str] | None = None, dry_run: bool = False,
           sheet: str | None = None) -> Any:
    """POST a file to the import API."""
    data: dict[str, str] = {}
    if mapping is not None:
        data["mapping"] = json.dumps(mapping)
    if dry_run:
        data["dry_run"] = "true"
    if sheet is not None:
        data["sheet"] = sheet
    return client.post(f"/api/v1/imports/{entity}", files={"file": (filename, content)},
                       data=data)


def counts(db: Session) -> dict[str, int]:
    """Row counts of every table an import may touch (and the audit log)."""
    return {model.__tablename__: db.scalar(select(func.count()).select_from(model)) or 0
            for model in TABLES}


def errors_of(response: Any) -> list[tuple[int | None, str]]:
    """(row, column) of every error in a problem+json answer."""
    return [(e.get("row"), e["field"]) for e in response.json()["errors"]]

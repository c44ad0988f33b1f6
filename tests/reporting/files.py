"""Status report files for upload tests, and the row counts an upload must not change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from epmo.audit.models import AuditEntry
from epmo.portfolio.models import Project
from epmo.reporting.models import RaidItem, StatusReport
from tests.imports.files import csv_file, xlsx_file
from tests.reporting.conftest import this_month

HEADER = ["project_code", "period_start", "overall", "schedule", "cost", "achievements",
          "forecast_cost"]
TABLES = (StatusReport, RaidItem, Project, AuditEntry)
__all__ = ["HEADER", "counts", "csv_file", "good_row", "post", "problems", "xlsx_file"]


def good_row(code: str, overall: str = "green", **cells: Any) -> list[Any]:
    """A complete row for the current month in HEADER's order; ``cells`` override by name."""
    values = {"project_code": code, "period_start": this_month().isoformat(),
              "overall": overall, "schedule": "green", "cost": "amber",
              "achievements": f"Progress on {code}", "forecast_cost": "1000"} | cells
    return [values[name] for name in HEADER]


def post(client: TestClient, content: bytes, filename: str = "reports.csv") -> Any:
    """POST a file to the upload endpoint."""
    return client.post("/api/v1/status-reports/upload", files={"file": (filename, content)})


def counts(db: Session) -> dict[str, int]:
    """Rows in every table an upload could touch (and the audit log)."""
    return {model.__tablename__: db.scalar(select(func.count()).select_from(model)) or 0
            for model in TABLES}


def problems(response: Any) -> list[tuple[int | None, str, str]]:
    """(row, column, message) of every problem of a rejected file."""
    return [(e.get("row"), e["field"], e["message"]) for e in response.json()["errors"]]


def rows_file(rows: Sequence[Sequence[Any]]) -> bytes:
    """A CSV of HEADER and ``rows``."""
    return csv_file([HEADER, *rows])

"""Findings as CSV or Excel (the CLI's ``--export`` and the dashboard's downloads)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from epmo.compliance.service import Evaluation
from epmo.compliance.views import finding_reads
from epmo.engines.compliance import Finding
from epmo.portfolio.export import csv_chunks, xlsx_bytes

COLUMNS = ("project_code", "project_name", "department_code", "stage", "rule", "practice",
           "authority", "severity", "subject", "message", "count", "periods")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rows_of(evaluation: Evaluation, findings: Sequence[Finding]) -> list[tuple[Any, ...]]:
    """One row per finding, in COLUMNS order (``count``: the failed checks it stands for;
    ``periods``: the first days of its missing report periods, space-separated)."""
    return [(f.project_code, f.project_name, f.department_code, f.stage, f.rule, f.practice,
             f.level, f.severity, f.subject, f.message, f.count,
             " ".join(day.isoformat() for day in f.periods))
            for f in finding_reads(evaluation, findings)]


def findings_file(evaluation: Evaluation, findings: Sequence[Finding], suffix: str) -> bytes:
    """The findings as an .xlsx workbook or a UTF-8 CSV file (``suffix`` ".xlsx" or ".csv")."""
    rows = rows_of(evaluation, findings)
    if suffix.lower() == ".xlsx":
        return xlsx_bytes(COLUMNS, rows, sheet_name="Findings")
    return "".join(csv_chunks(COLUMNS, rows)).encode("utf-8")

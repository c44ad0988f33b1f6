"""A stored schedule written out: MS Project XML, or an Excel workbook of activities and links."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from epmo.schedule import mspdi_write
from epmo.schedule.models import Activity, Link
from epmo.schedule.parsed import ScheduleFile
from epmo.tabular import safe_cell, workbook

ACTIVITY_COLUMNS = (
    "code", "name", "wbs", "summary", "milestone", "duration_hours", "percent_complete",
    "start", "finish", "actual_start", "actual_finish", "baseline_start", "baseline_finish",
    "early_start", "early_finish", "late_start", "late_finish", "total_float_days", "critical",
    "constraint", "constraint_date", "uid", "parent_uid",
)
LINK_COLUMNS = ("predecessor_uid", "successor_uid", "type", "lag_hours", "lag_percent", "elapsed")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Download:
    """A file to send."""

    filename: str
    media_type: str
    content: bytes


def mspdi_of(code: str, file: ScheduleFile) -> Download:
    """The schedule as MS Project XML (MSPDI)."""
    return Download(f"{code}-schedule.xml", "application/xml", mspdi_write.write(file))


def _sheet(book: Any, name: str, columns: Sequence[str], rows: Sequence[Any]) -> None:
    sheet = book.add_worksheet(name)
    bold = book.add_format({"bold": True})
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_row(0, 0, columns, bold)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    for r, row in enumerate(rows, start=1):
        for c, column in enumerate(columns):
            _cell(sheet, r, c, getattr(row, column), when)


def _cell(sheet: Any, row: int, col: int, value: Any, when: Any) -> None:
    if value is None or value == "":
        return
    if hasattr(value, "isoformat"):
        sheet.write_datetime(row, col, value, when)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    else:  # write_string, never write(): text starting with "=" must stay text
        sheet.write_string(row, col, str(safe_cell(value)))


def workbook_of(code: str, activities: Sequence[Activity], links: Sequence[Link]) -> Download:
    """The schedule as an Excel workbook: an Activities sheet and a Links sheet."""
    out = io.BytesIO()
    book = workbook(out)
    _sheet(book, "Activities", ACTIVITY_COLUMNS, activities)
    _sheet(book, "Links", LINK_COLUMNS, links)
    book.close()
    return Download(f"{code}-schedule.xlsx", XLSX, out.getvalue())

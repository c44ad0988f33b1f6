"""The preview of an accepted import: by row, what is created and which columns change."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from epmo.files.problems import Problems
from epmo.imports.core import Item
from epmo.imports.portfolio_rows import COLUMN_OF
from epmo.imports.schemas import ImportReport, ImportWarning, RowChange
from epmo.imports.snapshots import ReportItem
from epmo.imports.writes import Plan

REPORT_COLUMN = {"overall": "rag", "forecast_finish": "forecast_finish",
                 "forecast_cost": "budget_forecast"}


def add_details(report: ImportReport, plan: Plan, reports: list[ReportItem],
                problems: Problems, departments: list[str]) -> None:
    """Fill in the warnings, the row-by-row changes and the snapshot and department counts."""
    headers = problems.headers
    report.warnings = [ImportWarning(row=w.row or 0, field=w.field, message=w.message)
                       for w in problems.warnings]
    report.changes = [change for item in plan.items
                      if (change := _item_change(item, plan, headers)) is not None]
    for item in reports:
        if item.changed:
            report.changes.append(_report_change(item, headers))
    report.changes.sort(key=lambda change: change.row)
    report.reports_created = sum(item.stored is None for item in reports)
    report.reports_updated = sum(item.stored is not None and item.changed for item in reports)
    report.reports_unchanged = sum(not item.changed for item in reports)
    report.departments_created = departments


def _header(key: str, headers: Mapping[str, str]) -> str | None:
    field = COLUMN_OF.get(key, key)
    return headers.get(field) or (field if key in COLUMN_OF or key == field else None)


def _item_change(item: Item, plan: Plan, headers: Mapping[str, str]) -> RowChange | None:
    if not item.changed(plan.stored):
        return None
    obj: Any = item.obj
    keys = [k for k, v in item.values.items() if obj is None or getattr(obj, k) != v]
    keys += [name for name in item.links if obj is None or name in _moved_links(item, plan)]
    columns = [h for key in keys if key != "tier" and (h := _header(key, headers))]
    return RowChange(row=item.row, code=item.code, action="create" if obj is None else "update",
                     columns=sorted(set(columns)))


def _moved_links(item: Item, plan: Plan) -> set[str]:
    ident = item.obj.id if item.obj is not None else 0
    return {name for name, wanted in item.links.items()
            if set(plan.stored.get(name, {}).get(ident, {})) != set(wanted)}


def _report_change(item: ReportItem, headers: Mapping[str, str]) -> RowChange:
    stored = item.stored
    keys = [k for k, v in item.values.items() if stored is None or getattr(stored, k) != v]
    columns = [headers.get(REPORT_COLUMN.get(k, k), REPORT_COLUMN.get(k, k)) for k in keys]
    return RowChange(row=item.row, code=item.code,
                     action="create report" if stored is None else "update report",
                     columns=sorted({headers.get("as_of", "as_of"), *columns}))

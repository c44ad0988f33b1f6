"""Project list exports: CSV (streamed in chunks) and Excel (numbers as numbers, dates as dates).

The rows come from a handful of set-based queries over the filtered list, never one per row,
so 50,000 projects export in seconds.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from epmo.org.models import Department, Person
from epmo.portfolio.models import (
    Portfolio,
    Programme,
    Project,
    ProjectDepartment,
    ProjectGoal,
    ProjectPortfolio,
)
from epmo.strategy.models import Goal
from epmo.tabular import SafeWriter, workbook

CHUNK_ROWS = 2_000
NUMBERS = frozenset({"tier", "headcount", "risk_rating"})
Writer = Callable[[Any, int, int, Any], None]


# --- rows (reads only) ------------------------------------------------------------------

COLUMNS = (
    "code", "name", "department", "stage", "health", "tier", "headcount", "risk_rating",
    "methodology", "manager", "sponsor", "programme", "participating_departments", "portfolios",
    "goals",
    "planned_start", "planned_finish", "baseline_start", "baseline_finish", "forecast_start",
    "forecast_finish", "actual_start", "actual_finish", "budget_planned", "budget_actual",
    "budget_forecast",
)


def _joined(session: Session, query: Select[*tuple[Any, ...]]) -> dict[int, str]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for owner, label, *weight in session.execute(query):
        grouped[owner].append(f"{label} ({_number(weight[0])})" if weight else label)
    return {owner: "; ".join(labels) for owner, labels in grouped.items()}


def _number(value: Decimal) -> str:
    return format(Decimal(value).normalize(), "f")


def rows_of(session: Session, query: Select[Project]) -> list[tuple[Any, ...]]:
    """Every project ``query`` matches as flat rows in COLUMNS order (four queries)."""
    ids = query.with_only_columns(Project.id).order_by(None).scalar_subquery()
    manager, sponsor = aliased(Person), aliased(Person)
    taking_part = _joined(session, select(ProjectDepartment.project_id, Department.code)
                          .join(Department).where(ProjectDepartment.project_id.in_(ids))
                          .order_by(Department.code))
    portfolios = _joined(session, select(ProjectPortfolio.project_id, Portfolio.code)
                         .join(Portfolio).where(ProjectPortfolio.project_id.in_(ids))
                         .order_by(Portfolio.code))
    goals = _joined(session, select(ProjectGoal.project_id, Goal.code, ProjectGoal.weight)
                    .join(Goal).where(ProjectGoal.project_id.in_(ids)).order_by(Goal.code))
    flat = query.with_only_columns(
        Project.id, Project.code, Project.name, Department.code, Project.stage, Project.health,
        Project.tier, Project.headcount, Project.risk_rating, Project.methodology, manager.name,
        sponsor.name, Programme.code, *(getattr(Project, c) for c in COLUMNS[15:]),
    ).join(Department, Department.id == Project.department_id) \
        .outerjoin(manager, manager.id == Project.manager_id) \
        .outerjoin(sponsor, sponsor.id == Project.sponsor_id) \
        .outerjoin(Programme, Programme.id == Project.programme_id)
    return [(*row[1:13], taking_part.get(row[0], ""), portfolios.get(row[0], ""),
             goals.get(row[0], ""), *row[13:]) for row in session.execute(flat)]


# --- formats ---------------------------------------------------------------------------


def csv_chunks(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Iterator[str]:
    """Yield the CSV text a few thousand rows at a time (dates ISO, money as plain decimals;
    text that a spreadsheet would run as a formula gets a leading ')."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(columns)
    for start in range(0, len(rows), CHUNK_ROWS):
        writer.writerows(rows[start:start + CHUNK_ROWS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def _kind(column: str) -> str:
    if column.endswith(("_start", "_finish", "_date")):
        return "date"
    if column.startswith("budget_"):
        return "money"
    return "number" if column in NUMBERS else "text"


def _writers(book: Any) -> dict[str, Writer]:
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    money = book.add_format({"num_format": "#,##0.00"})

    def _text(sheet: Any, row: int, col: int, value: Any) -> None:
        # write_string, never write(): a name starting with "=" must stay text, not a formula.
        if value not in (None, ""):
            sheet.write_string(row, col, str(value))

    def _date(sheet: Any, row: int, col: int, value: date | None) -> None:
        if value is not None:
            sheet.write_datetime(row, col, value, day)

    def _money(sheet: Any, row: int, col: int, value: Decimal | None) -> None:
        if value is not None:
            sheet.write_number(row, col, float(value), money)

    def _number_cell(sheet: Any, row: int, col: int, value: int | None) -> None:
        if value is not None:
            sheet.write_number(row, col, value)

    return {"text": _text, "date": _date, "money": _money, "number": _number_cell}


def xlsx_bytes(columns: Sequence[str], rows: Sequence[Sequence[Any]],
               sheet_name: str = "Projects") -> bytes:
    """Build an .xlsx workbook with one sheet: a bold, frozen, filterable header and the rows."""
    out = io.BytesIO()
    book = workbook(out, constant_memory=True)
    sheet = book.add_worksheet(sheet_name)
    writers = _writers(book)
    kinds = [writers[_kind(c)] for c in columns]
    sheet.write_row(0, 0, columns, book.add_format({"bold": True}))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    for index, column in enumerate(columns):
        sheet.set_column(index, index, 12 if _kind(column) != "text" else 18)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            kinds[c](sheet, r, c, value)
    book.close()
    return out.getvalue()

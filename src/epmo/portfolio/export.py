"""Project list exports: CSV (streamed in chunks) and Excel (numbers as numbers, dates as dates).

The rows come from `portfolio.repository_export`: a handful of set-based queries over the
filtered list, never one per row, so 50,000 projects export in seconds.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from epmo.money import excel_format
from epmo.portfolio import repository_export
from epmo.tabular import SafeWriter, workbook

CHUNK_ROWS = 2_000
NUMBERS = frozenset({"tier", "headcount", "risk_rating"})
Writer = Callable[[Any, int, int, Any], None]


# --- rows (reads only, in portfolio.repository_export) ------------------------------------

COLUMNS, rows_of = repository_export.COLUMNS, repository_export.rows_of


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
    money = book.add_format({"num_format": excel_format()})

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

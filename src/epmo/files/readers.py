"""Read an uploaded CSV or Excel file into a header row and data rows, numbered as people see them.

CSV: UTF-8 (with or without BOM), ``;``, ``,`` or tab between cells. Excel (.xlsx, .xlsm, .xls,
.ods) through python-calamine: the first sheet or a named one; date cells arrive as dates and
number cells as numbers. Empty cells become None and fully empty rows are skipped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import python_calamine

from epmo.config import get_settings
from epmo.errors import FieldError, Invalid
from epmo.files import workbooks

Cell = Any
DELIMITERS = (";", ",", "\t")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
SPREADSHEETS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


@dataclass(frozen=True, slots=True)
class Table:
    """The header cells, the header's row number, and each data row with its row number."""

    headers: list[str]
    header_row: int
    rows: list[tuple[int, list[Cell]]]
    sheet: str | None = None


def _refuse(message: str, field: str = "file") -> Invalid:
    return Invalid(message, [FieldError(field, message)])


def is_spreadsheet(filename: str, data: bytes) -> bool:
    """True for workbook files (by their first bytes, else by their name)."""
    if data.startswith((ZIP_MAGIC, OLE_MAGIC)):
        return True
    return filename.lower().endswith(SPREADSHEETS)


def read_upload(stream: IO[bytes]) -> bytes:
    """Read an upload, stopping just past the size limit (``read_table`` then refuses it)."""
    return stream.read(get_settings().import_max_bytes + 1)


def read_table(filename: str, data: bytes, sheet: str | None = None) -> Table:
    """Read ``data`` (a CSV or a workbook) into a Table, enforcing the size limits."""
    settings = get_settings()
    if len(data) > settings.import_max_bytes:
        raise _refuse(f"The file is {len(data):,} bytes; the limit is "
                      f"{settings.import_max_bytes:,} bytes")
    if not data.strip():
        raise _refuse("The file is empty")
    rows: Iterable[list[Cell]]
    if is_spreadsheet(filename, data):
        first, rows, sheet = _workbook_rows(data, sheet)
    else:
        first, rows = 1, _csv_rows(data)
    return _table(first, rows, settings.import_max_rows, sheet)


def _table(first: int, rows: Iterable[list[Cell]], max_rows: int, sheet: str | None) -> Table:
    numbered = ((number, cells) for number, cells in enumerate(rows, start=first)
                if any(cell is not None for cell in cells))
    header = next(numbered, None)
    if header is None:
        raise _refuse("The file has no header row")
    data: list[tuple[int, list[Cell]]] = []
    for item in numbered:
        if len(data) == max_rows:
            raise _refuse(f"The file has more than {max_rows:,} data rows; split it")
        data.append(item)
    return Table([_header(cell) for cell in header[1]], header[0], data, sheet)


def _header(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


# --- CSV --------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """Decode UTF-8 text (a leading BOM is dropped) or explain how to save it as UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refuse("The file is UTF-16 text; save it as 'CSV UTF-8 (comma delimited)'")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise _refuse(f"The file is not UTF-8 text (byte 0x{data[exc.start]:02x} on line "
                      f"{line}); save it as 'CSV UTF-8 (comma delimited)'") from None


def sniff_delimiter(text: str) -> str:
    """Pick ``;``, ``,`` or tab by which occurs most in the first non-empty line."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(data: bytes) -> Iterator[list[Cell]]:
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        for record in reader:
            yield [value.strip() or None for value in record]
    except csv.Error as exc:
        raise _refuse(f"The CSV is malformed near line {reader.line_num}: {exc}") from None


# --- Excel ------------------------------------------------------------------------------


def _open_workbook(data: bytes, sheet: str | None) -> Any:
    # calamine builds a sheet's whole grid at once: measure the file before it may see it.
    workbooks.check(data, sheet)
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises several types for damaged or foreign files
        raise _refuse(f"The file could not be read as a spreadsheet ({exc})") from None


def _workbook_rows(data: bytes, sheet: str | None) -> tuple[int, Iterator[list[Cell]], str]:
    book = _open_workbook(data, sheet)
    names: list[str] = list(book.sheet_names)
    if not names:
        raise _refuse("The workbook has no sheets")
    if sheet is not None and sheet not in names:
        raise _refuse(f"The workbook has no sheet {sheet!r} (it has: {', '.join(names)})",
                      "sheet")
    name = sheet if sheet is not None else names[0]
    try:
        grid = book.get_sheet_by_name(name)
    except Exception as exc:
        raise _refuse(f"Sheet {name!r} could not be read ({exc})") from None
    workbooks.check_loaded(name, grid.start, grid.end)
    # iter_rows yields every row from the sheet's first, each from the first valued column.
    offset = grid.start[1] if grid.start else 0
    return 1, _sheet_rows(grid, offset, name), name


def _sheet_rows(grid: Any, offset: int, name: str) -> Iterator[list[Cell]]:
    """The sheet's rows one at a time (the caller stops at the row limit)."""
    try:
        for row in grid.iter_rows():
            yield [None] * offset + [_cell(value) for value in row]
    except Exception as exc:
        raise _refuse(f"Sheet {name!r} could not be read ({exc})") from None


def _cell(value: Cell) -> Cell:
    if isinstance(value, str):
        return value.strip() or None
    return value

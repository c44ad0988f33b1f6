"""Downloadable templates: a header row and one example row (CSV or Excel) plus column notes."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from epmo.files.entities import Column, Entity, Example
from epmo.tabular import SafeWriter, workbook

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "notes": "text/csv; charset=utf-8",
}
NOTES_HEADER = ("column", "required", "meaning", "example")


def as_text(value: Example) -> str:
    """How an example value is written in a CSV cell."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    SafeWriter(buffer).writerows(rows)
    # The BOM makes Excel open the file as UTF-8; the importer accepts it.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_csv(entity: Entity) -> bytes:
    """The CSV template: the header row and one example row."""
    return _csv([list(entity.field_names), [as_text(c.example) for c in entity.columns]])


def notes_rows(entity: Entity) -> list[list[str]]:
    """One line per column: name, whether a new row needs it, meaning, example."""
    return [[c.name, "yes" if c.required else "", c.meaning, as_text(c.example)]
            for c in entity.columns]


def notes_csv(entity: Entity) -> bytes:
    """The column notes as CSV (the notes sheet of the Excel template)."""
    return _csv([list(NOTES_HEADER), *notes_rows(entity)])


def template_xlsx(entity: Entity) -> bytes:
    """The Excel template: the entity sheet (header, example row) and a notes sheet."""
    out = io.BytesIO()
    book = workbook(out, in_memory=True)
    bold = book.add_format({"bold": True})
    formats = {"date": book.add_format({"num_format": "yyyy-mm-dd"}),
               "money": book.add_format({"num_format": "0.00"})}
    sheet = book.add_worksheet(entity.name)
    sheet.freeze_panes(1, 0)
    for index, column in enumerate(entity.columns):
        sheet.write_string(0, index, column.name, bold)
        sheet.set_column(index, index, max(12, len(column.name) + 2))
        _write_example(sheet, index, column, formats.get(column.kind))
    notes = book.add_worksheet("notes")
    for index, title in enumerate(NOTES_HEADER):
        notes.write_string(0, index, title, bold)
    for row, line in enumerate(notes_rows(entity), start=1):
        for index, text in enumerate(line):
            notes.write_string(row, index, text)
    notes.set_column(0, 0, 32)
    notes.set_column(2, 2, 90)
    book.close()
    return out.getvalue()


def _write_example(sheet: Any, index: int, column: Column, cell_format: Any) -> None:
    value = column.example
    if value == "":
        return
    if isinstance(value, bool):
        sheet.write_string(1, index, as_text(value))
    elif isinstance(value, date):
        sheet.write_datetime(1, index, value, cell_format)
    elif isinstance(value, int | Decimal):
        sheet.write_number(1, index, float(value), cell_format)
    else:
        # write_string, never write(): text starting with "=" must stay text, not a formula.
        sheet.write_string(1, index, value)

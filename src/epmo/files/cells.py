"""Spreadsheet cells as typed values: text or numbers, ISO dates or Excel date cells, lists.

Each cell type uses the same field type as the API schemas (code pattern, lengths) but reads
what a spreadsheet holds: a code typed as 1001 arrives as a number, a date as a date cell.
``RowModel`` is the base of every file's row model.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from epmo.schema_kit import Code, Day, Name, Text

LIST_SPLIT = re.compile(r"[;,\s]+")
DATE_HINT = "expected a date like 2024-01-31"


def as_text(value: Any) -> Any:
    """Spreadsheet numbers in text columns (a code like 1001) become their plain text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | Decimal):
        return str(value)
    return value


def as_day(value: Any) -> Any:
    """Accept Excel date cells and ISO text; refuse serial numbers and times of day."""
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            raise ValueError(f"has a time of day; {DATE_HINT}")
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(DATE_HINT) from None
    raise ValueError(DATE_HINT)


def as_choice(value: Any) -> Any:
    """Let "On hold" and "Executing" stand for on_hold and executing."""
    return re.sub(r"[\s\-]+", "_", value.strip().lower()) if isinstance(value, str) else value


def as_codes(value: Any) -> Any:
    """Split "IT;FIN" (or commas, spaces) into codes."""
    value = as_text(value)
    if isinstance(value, str):
        return [part for part in LIST_SPLIT.split(value) if part]
    return value


CodeCell = Annotated[Code, BeforeValidator(as_text)]
NameCell = Annotated[Name, BeforeValidator(as_text)]
TextCell = Annotated[Text, BeforeValidator(as_text)]
DayCell = Annotated[Day, BeforeValidator(as_day)]
Codes = Annotated[list[Code], BeforeValidator(as_codes), Field(max_length=200)]
Flag = Annotated[bool, BeforeValidator(as_choice)]


class RowModel(BaseModel):
    """Base of the row models: lax types (cells are text or numbers), no unknown columns."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

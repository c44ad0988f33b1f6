"""Read a file's cells the way its import profile says: its words, dates and numbers.

Runs before the row model, so the row model sees what an epmo file would hold: our stage
names and codes, ``date`` values and plain numbers. A cell that does not fit the profile's
format is reported by row and column with the format it should have had; nothing is guessed
(3/4/2019 is March 4th only when the profile says the file is US month-first).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from epmo.files.cells import as_text
from epmo.files.entities import Entity
from epmo.files.problems import Problems
from epmo.imports.profile_schemas import ProfileBody

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 once Excel's 1900 leap day is counted
MAX_SERIAL = 2_958_465  # 9999-12-31
SHOWN = 40  # characters of a bad cell quoted in a message
DATE_WORDS = {
    "iso": "year-month-day (2019-03-15)",
    "us": "month/day/year (3/15/2019)",
    "day_first": "day/month/year (15/3/2019)",
    "excel": "an Excel serial number (43539) or year-month-day",
}
ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
SLASHED = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
CURRENCY = re.compile(r"[$€£¥₹\s\u00a0]|\b(?:USD|EUR|GBP|CHF|CAD|AUD|JPY)\b", re.IGNORECASE)
GROUPED = {".": re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?|-?\d+(\.\d+)?"),
           ",": re.compile(r"-?\d{1,3}(\.\d{3})+(,\d+)?|-?\d+(,\d+)?")}
NUMBER_WORDS = {".": "1,234.50", ",": "1.234,50"}


def word_key(value: str) -> str:
    """How a word is matched against a value mapping: case and spacing do not count."""
    return " ".join(value.split()).casefold()


def shown(value: Any) -> str:
    """A cell quoted in a message, cut short (a cell may hold a megabyte)."""
    text = str(value)
    return repr(text if len(text) <= SHOWN else text[:SHOWN] + "...")


def read_date(value: Any, style: str) -> date:
    """A date cell, or text in ISO or the profile's style, or an Excel serial (excel style)."""
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return _serial(value, style)
    text = str(value).strip()
    if style == "excel" and text.isdigit():
        return _serial(int(text), style)
    try:
        return _text_date(text, style)
    except ValueError:
        raise ValueError(f"{shown(value)} is not a date written as {DATE_WORDS[style]}") from None


def _serial(value: int | float | Decimal, style: str) -> date:
    if style != "excel" or value != int(value) or not 1 <= value <= MAX_SERIAL:
        raise ValueError(f"{shown(value)} is not a date written as {DATE_WORDS[style]}")
    return EXCEL_EPOCH + timedelta(days=int(value))


def _text_date(text: str, style: str) -> date:
    match = ISO.fullmatch(text)
    if match:
        return date(int(match[1]), int(match[2]), int(match[3]))
    match = SLASHED.fullmatch(text)
    if match is None or style not in ("us", "day_first"):
        raise ValueError(text)
    first, second, year = int(match[1]), int(match[2]), int(match[3])
    month, day = (first, second) if style == "us" else (second, first)
    return date(year, month, day)


def read_number(value: Any, decimal: str) -> Decimal | Any:
    """A number cell, or text like "$1,234.50" or "1.234,50 €" as the profile's style says."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = CURRENCY.sub("", str(value))
    negative = text.startswith("(") and text.endswith(")")
    text = text.strip("()")
    if not GROUPED[decimal].fullmatch(text):
        raise ValueError(f"{shown(value)} is not a number written like {NUMBER_WORDS[decimal]}")
    thousands = "," if decimal == "." else "."
    try:
        number = Decimal(text.replace(thousands, "").replace(decimal, "."))
    except InvalidOperation:
        raise ValueError(f"{shown(value)} is not a number") from None
    return -number if negative else number


class Reader:
    """Turns one row's cells into what the row model reads, as a profile says."""

    def __init__(self, entity: Entity, profile: ProfileBody, present: set[str]) -> None:
        self.profile = profile
        self.kinds = {column.name: column.kind for column in entity.columns}
        self.words = {field: {word_key(k): v for k, v in words.items()}
                      for field, words in profile.values.items()}
        self.defaults = {k: v for k, v in profile.defaults.items() if k not in present}

    def read(self, number: int, raw: Mapping[str, Any],
             problems: Problems) -> dict[str, Any] | None:
        """The row's converted cells, or None after reporting each cell that does not fit."""
        out = dict(raw) | self.defaults
        before = problems.count
        for field, cell in out.items():
            if cell is None:
                continue
            try:
                out[field] = self.cell(field, cell)
            except ValueError as exc:
                problems.add(number, field, str(exc))
        return out if problems.count == before else None

    def cell(self, field: str, cell: Any) -> Any:
        """One cell: its word mapped, then read as the column's kind."""
        words = self.words.get(field)
        if words:
            text = as_text(cell)
            if isinstance(text, str) and word_key(text) in words:
                cell = words[word_key(text)]
                if cell == "":
                    return None
        kind = self.kinds.get(field)
        if kind == "date":
            return read_date(cell, self.profile.dates)
        if kind in ("money", "number"):
            return read_number(cell, self.profile.decimal)
        return cell

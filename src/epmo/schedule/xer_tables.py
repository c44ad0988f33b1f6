"""The tables of a Primavera P6 XER export: ``%T`` table, ``%F`` fields, ``%R`` rows, ``%E`` end.

Text is UTF-8 or Windows-1252 (P6's usual). Each row keeps its line number for messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from epmo.schedule import formats

EXCEL_EPOCH = date(1899, 12, 30)  # P6 calendar exception dates are day serials since this


@dataclass(frozen=True)
class XerRow:
    """One ``%R`` row: its values by field name and its line in the file."""

    table: str
    line: int
    values: dict[str, str]

    def get(self, name: str) -> str:
        """The field's text, "" when empty or absent."""
        return self.values.get(name, "")

    def where(self, name: str) -> str:
        """"Table TASK, line 12, field target_drtn_hr_cnt" for messages."""
        return f"Table {self.table}, line {self.line}, field {name}"

    def number(self, name: str, default: float = 0.0) -> float:
        """A numeric field, refused in words when it is not a number."""
        text = self.get(name)
        if not text:
            return default
        try:
            return float(text)
        except ValueError:
            raise formats.refuse(f"{self.where(name)}: '{text}' is not a number",
                                 field=name, row=self.line) from None

    def date(self, name: str) -> datetime | None:
        """A ``2024-03-01 08:00`` field, or None when empty."""
        text = self.get(name)
        if not text:
            return None
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            raise formats.refuse(f"{self.where(name)}: '{text}' is not a date like "
                                 "2024-03-01 08:00", field=name, row=self.line) from None


@dataclass
class XerTables:
    """Every table's rows by table name."""

    tables: dict[str, list[XerRow]] = field(default_factory=dict)

    def rows(self, table: str) -> list[XerRow]:
        """The rows of ``table`` (none when the file lacks it)."""
        return self.tables.get(table, [])


def read_tables(data: bytes) -> XerTables:
    """Split an XER file into its tables, refusing rows outside a table or with no fields."""
    read = XerTables()
    table, fields = "", list[str]()
    for number, line in enumerate(formats.decode_text(data).splitlines(), start=1):
        kind, _, rest = line.partition("\t")
        if kind == "%T":
            table, fields = rest.strip(), []
            read.tables.setdefault(table, [])
        elif kind == "%F":
            fields = [name.strip() for name in rest.split("\t")]
        elif kind == "%R":
            row = _row(table, fields, number, rest)
            read.tables[table].append(row)
        elif kind == "%E":
            break
        elif kind not in ("ERMHDR", "") and not line.startswith("ERMHDR"):
            raise formats.refuse(f"Line {number} starts with '{kind[:20]}', not %T, %F, %R or "
                                 "%E: this is not a valid XER export", row=number)
    return read


def _row(table: str, fields: list[str], number: int, rest: str) -> XerRow:
    if not table or not fields:
        raise formats.refuse(f"Line {number} is a row (%R) before any table (%T) and field "
                             "list (%F)", row=number)
    values = rest.split("\t")
    if len(values) > len(fields) + 1:
        raise formats.refuse(f"Table {table}, line {number}: {len(values)} values for "
                             f"{len(fields)} fields", row=number)
    return XerRow(table, number, dict(zip(fields, (v.strip() for v in values), strict=False)))


def serial_date(text: str, where: str) -> date:
    """A date from P6's day serial (``45292`` is 2024-01-01)."""
    try:
        return EXCEL_EPOCH + timedelta(days=int(float(text)))
    except (ValueError, OverflowError):
        raise formats.refuse(f"{where}: '{text}' is not a day number") from None

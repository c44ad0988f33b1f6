"""Every CSV and Excel file the hub writes goes through here, so no cell can become a formula.

A spreadsheet opening a CSV runs a cell starting with ``=``, ``+``, ``-`` or ``@`` (and after
a tab or carriage return) as a formula: a project named ``=HYPERLINK(...)`` would run in the
reader's Excel. As OWASP recommends, such text is written with a leading ``'``, which makes
the spreadsheet show it as text. Numbers stay numbers (-12.5 is written as is): only text is
changed. Workbooks are created with xlsxwriter's formula and URL guessing off, so text is
always stored as a string cell.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

import xlsxwriter

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
LINE_END = "\r\n"


def safe_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


class SafeWriter:
    """A csv.writer (CRLF lines) whose every cell passes through safe_cell."""

    def __init__(self, out: IO[str], delimiter: str = ",") -> None:
        self._writer = csv.writer(out, delimiter=delimiter, lineterminator=LINE_END)

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row."""
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write many rows."""
        self._writer.writerows([safe_cell(value) for value in row] for row in rows)


def workbook(out: IO[bytes], **options: Any) -> Any:
    """An xlsxwriter Workbook that never turns text into a formula or a link."""
    return xlsxwriter.Workbook(out, {**options, "strings_to_formulas": False,
                                     "strings_to_urls": False})

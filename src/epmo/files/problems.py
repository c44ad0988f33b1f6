"""A file's validated rows and the problems found in it, by row and by the file's own headers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from epmo.errors import FieldError, Invalid

MAX_LISTED = 500


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its number in the file and its validated cells (present columns only)."""

    number: int
    values: dict[str, Any]

    @property
    def code(self) -> str:
        """The row's code (rows without one never get this far)."""
        return str(self.values["code"])

    def has(self, field: str) -> bool:
        """True when the file has this column."""
        return field in self.values


class Problems:
    """Every problem found in a file, named by row and by the column as the file calls it."""

    def __init__(self, headers: Mapping[str, str], filename: str) -> None:
        self.headers = dict(headers)
        self.filename = filename
        self.listed: list[FieldError] = []
        self.warnings: list[FieldError] = []  # what the charter lets through (supportive)
        self.count = 0
        self.rows: set[int] = set()

    def add(self, row: int, field: str, message: str) -> None:
        """Record a problem with ``field`` (our name; shown as the file's header) on ``row``."""
        self.count += 1
        self.rows.add(row)
        if len(self.listed) < MAX_LISTED:
            self.listed.append(FieldError(self.headers.get(field, field), message, row))

    def warn(self, row: int, field: str, message: str) -> None:
        """Record a warning with ``field`` on ``row`` (the row is still written)."""
        if len(self.warnings) < MAX_LISTED:
            self.warnings.append(FieldError(self.headers.get(field, field), message, row))

    def __bool__(self) -> bool:
        return self.count > 0

    def raise_if_any(self) -> None:
        """Reject the whole file when anything is wrong with it."""
        if not self.count:
            return
        shown = "" if self.count <= MAX_LISTED else f" (the first {MAX_LISTED} are listed)"
        raise Invalid(
            f"{self.filename}: {self.count} problem{'s' if self.count != 1 else ''} in "
            f"{len(self.rows)} row{'s' if len(self.rows) != 1 else ''}{shown}; "
            "nothing was imported",
            sorted(self.listed, key=lambda e: (e.row or 0, e.field)),
            {"error_count": self.count, "rows_with_errors": len(self.rows)},
        )

"""Reporting periods of the roll-up: calendar months written ``YYYY-MM``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from epmo.errors import FieldError, Invalid
from epmo.rollup.schemas import PERIOD_PATTERN

_PATTERN = re.compile(PERIOD_PATTERN)


@dataclass(frozen=True, slots=True)
class Month:
    """A calendar month: its first day and the first day of the next month."""

    start: date
    end: date

    @property
    def label(self) -> str:
        """The month as ``YYYY-MM``."""
        return f"{self.start.year:04d}-{self.start.month:02d}"

    def previous(self) -> Month:
        """The month before this one."""
        year, month = self.start.year, self.start.month - 1
        return month_of(date(year - 1, 12, 1) if month == 0 else date(year, month, 1))


def month_of(day: date) -> Month:
    """The month a day falls in."""
    start = day.replace(day=1)
    end = date(start.year + 1, 1, 1) if start.month == 12 else date(start.year, start.month + 1, 1)
    return Month(start, end)


def parse_month(text: str, field: str = "period") -> Month:
    """A ``YYYY-MM`` text as a Month, or Invalid naming ``field``."""
    if not _PATTERN.fullmatch(text):
        raise Invalid(f"{field} must be a month written YYYY-MM, got {text!r}",
                      [FieldError(field, "must be a month written YYYY-MM (e.g. 2025-03)")])
    return month_of(date(int(text[:4]), int(text[5:]), 1))

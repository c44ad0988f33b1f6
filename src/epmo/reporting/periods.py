"""Reporting periods of each cadence (pure date arithmetic, no database).

weekly: an ISO week, Monday to Sunday. fortnightly: two ISO weeks starting on the Monday of
an odd-numbered ISO week (in a year with 53 ISO weeks, week 53 is a one-week period, since
week 1 of the next year starts the next fortnight). monthly: a calendar month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from epmo.engines.compliance.periods import period_bounds, period_label

CADENCES = ("weekly", "fortnightly", "monthly")
DEFAULT_CADENCE = "monthly"  # a project whose tier has no contract reports monthly
GRACE_DAYS = 7  # a report is due within this many days after its period ends
WEEK = timedelta(days=7)
_FIRST_DAY = {"weekly": "a Monday", "fortnightly": "the Monday of an odd ISO week",
              "monthly": "the first day of a month"}


@dataclass(frozen=True, slots=True)
class Period:
    """One reporting period: first and last day, both included."""

    cadence: str
    start: date
    end: date

    @property
    def due(self) -> date:
        """The last day a report for this period is on time."""
        return self.end + timedelta(days=GRACE_DAYS)

    @property
    def label(self) -> str:
        """How people name the period: 2025-W10, 2025-W11/12 or 2025-03."""
        return period_label(self.cadence, self.start, self.end)


def period_of(cadence: str, day: date) -> Period:
    """The period of ``cadence`` that contains ``day`` (the calendar lives in the engine)."""
    start, end = period_bounds(cadence, day)
    return Period(cadence, start, end)


def is_period_start(cadence: str, day: date) -> bool:
    """True when ``day`` is the first day of a period of ``cadence``."""
    return period_of(cadence, day).start == day


def start_rule(cadence: str) -> str:
    """How the first day of a period of ``cadence`` is described to people."""
    return _FIRST_DAY[cadence]


def stored_period(start: date, end: date) -> Period:
    """A stored report's period, its cadence told by its length."""
    days = (end - start).days + 1
    cadence = "monthly" if days > 14 else "fortnightly" if days == 14 else "weekly"
    return Period(cadence, start, end)

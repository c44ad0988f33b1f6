"""Reporting periods of each cadence, as the reporting domain counts them (pure dates).

weekly: an ISO week, Monday to Sunday. fortnightly: two ISO weeks from the Monday of an
odd-numbered ISO week (week 53 of a long year is a one-week period). monthly: a calendar
month. A period's report is due ``grace_days`` after the period ends.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

CADENCES: Final = ("weekly", "fortnightly", "monthly")
WEEK: Final = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period (both days included) and the day its report is due by."""

    start: date
    end: date
    due_by: date


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _odd_week(day: date) -> bool:
    return day.isocalendar().week % 2 == 1


def _month_end(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def period_bounds(cadence: str, day: date) -> tuple[date, date]:
    """The first and last day of the period of ``cadence`` that contains ``day``."""
    if cadence == "weekly":
        start = _monday(day)
        return start, start + timedelta(days=6)
    if cadence == "fortnightly":
        monday = _monday(day)
        start = monday if _odd_week(monday) else monday - WEEK
        one_week = _odd_week(start + WEEK)  # week 53 followed by week 1
        return start, start + timedelta(days=6 if one_week else 13)
    if cadence == "monthly":
        start = day.replace(day=1)
        return start, _month_end(start)
    raise ValueError(f"unknown cadence {cadence!r}")


def next_period(last_report_end: date | None, since: date, cadence: str,
                grace_days: int) -> Period:
    """The first period a report does not cover yet: the one holding the day after the later
    of the last report's end and the day before reporting started."""
    covered = since - timedelta(days=1)
    if last_report_end is not None and last_report_end > covered:
        covered = last_report_end
    start, end = period_bounds(cadence, covered + timedelta(days=1))
    return Period(start, end, end + timedelta(days=grace_days))

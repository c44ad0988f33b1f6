"""Reporting periods of each cadence, as the reporting domain counts them (pure dates).

weekly: an ISO week, Monday to Sunday. fortnightly: two ISO weeks from the Monday of an
odd-numbered ISO week (week 53 of a long year is a one-week period). monthly: a calendar
month. A period's report is due ``grace_days`` after the period ends.

``Calendar`` numbers the periods of one cadence so that a project's whole reporting history
can be checked with a few bisections per report instead of a walk over every period.
"""

from __future__ import annotations

from bisect import bisect_right
from calendar import monthrange
from collections.abc import Iterable
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


def period_label(cadence: str, start: date, end: date) -> str:
    """How people name a period: 2025-W10 (weekly), 2025-W11/12 (fortnightly), 2025-03."""
    if cadence == "monthly":
        return f"{start:%Y-%m}"
    year, week, _ = start.isocalendar()
    if cadence == "weekly" or end - start < WEEK:
        return f"{year}-W{week:02d}"
    return f"{year}-W{week:02d}/{week + 1:02d}"


class Calendar:
    """The periods of one cadence from the one holding ``first`` to the one holding ``last``,
    numbered in order (index 0 is the first)."""

    def __init__(self, cadence: str, first: date, last: date) -> None:
        self.cadence = cadence
        self.starts: list[date] = []
        self.ends: list[date] = []
        day = first
        while True:
            start, end = period_bounds(cadence, day)
            self.starts.append(start)
            self.ends.append(end)
            if end >= last:
                break
            day = end + timedelta(days=1)

    @property
    def first(self) -> date:
        """The first day of the first period."""
        return self.starts[0]

    def index(self, day: date) -> int:
        """The number of the period holding ``day`` (-1 before the first; past the last
        period, the last)."""
        return bisect_right(self.starts, day) - 1

    def last_due(self, today: date, grace_days: int) -> int:
        """The number of the latest period whose report was due before ``today``
        (-1: none)."""
        return bisect_right(self.ends, today - timedelta(days=grace_days + 1)) - 1

    def period(self, index: int, grace_days: int) -> Period:
        """Period number ``index`` with its due day."""
        end = self.ends[index]
        return Period(self.starts[index], end, end + timedelta(days=grace_days))

    def covered(self, reports: Iterable[tuple[date, date]]) -> set[int]:
        """The numbers of the periods the reports cover: the period a report starts in, and
        every later period that lies wholly inside it (a report of a longer, older cadence)."""
        found: set[int] = set()
        ends, count = self.ends, len(self.ends)
        for start, end in reports:
            at = bisect_right(self.starts, start) - 1
            if at >= count - 1 and start > ends[-1]:
                continue  # after the calendar
            if at >= 0:
                found.add(at)
            at += 1
            while at < count and ends[at] <= end:
                found.add(at)
                at += 1
        return found

"""Months of the resource plan (``"2027-03"``) and the working days in them.

A working day is Monday to Friday that is no holiday; a month's standard capacity is its
weekdays (holidays included) times eight hours, so a holiday or a day off lowers the FTE a
person gives that month. numpy's business-day counting does the counting in C.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import numpy

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
HOURS_PER_DAY = 8.0
HOURS_PER_FTE_WEEK = 40.0
FIRST_MONTH, LAST_MONTH = 12, 9999 * 12 - 1  # 0001-01 and 9999-12: Python's dates


def month_index(month: str) -> int:
    """``"2027-03"`` as a running month number (year * 12 + month - 1)."""
    match = MONTH.match(month)
    if match is None:
        raise ValueError(f"not a month like 2027-03: {month!r}")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def month_name(index: int) -> str:
    """The month with running number ``index``."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_of(day: date) -> str:
    """The month a day falls in."""
    return f"{day.year:04d}-{day.month:02d}"


def months_from(first: str, count: int) -> list[str]:
    """``count`` months from ``first`` on."""
    start = month_index(first)
    return [month_name(start + k) for k in range(count)]


def bounds(month: str) -> tuple[date, date]:
    """The first day of the month and the first day of the next."""
    index = month_index(month)
    return (date(index // 12, index % 12 + 1, 1),
            date((index + 1) // 12, (index + 1) % 12 + 1, 1))


def month_bounds(months: Sequence[str]) -> tuple[numpy.ndarray, numpy.ndarray]:
    """The first days of the months and of the months after them, as numpy days."""
    return _month_bounds(tuple(months))


@functools.lru_cache(maxsize=64)  # every calendar of a heatmap asks for the same months
def _month_bounds(months: tuple[str, ...]) -> tuple[numpy.ndarray, numpy.ndarray]:
    pairs = [bounds(month) for month in months]
    firsts = numpy.array([first for first, _ in pairs], dtype="datetime64[D]")
    ends = numpy.array([end for _, end in pairs], dtype="datetime64[D]")
    firsts.flags.writeable = ends.flags.writeable = False  # shared by every caller
    return firsts, ends


def quarter_months(quarter: str) -> list[str]:
    """The three months of a calendar quarter ``"2027-Q1"``."""
    match = QUARTER.match(quarter)
    if match is None:
        raise ValueError(f"not a quarter like 2027-Q1: {quarter!r}")
    first = (int(match.group(2)) - 1) * 3 + 1
    return [f"{match.group(1)}-{first + k:02d}" for k in range(3)]


def period_months(period: str) -> list[str]:
    """The months a demand period covers: a month (a project's demand) itself, a quarter (an
    intake request's) its three; its FTE-months are spread evenly over them."""
    return quarter_months(period) if QUARTER.match(period) else [period]


def demand_periods(months: Sequence[str]) -> list[str]:
    """The periods whose demand falls in ``months``: the months and their quarters."""
    return [*months, *sorted({quarter_of(month) for month in months})]


def quarter_of(month: str) -> str:
    """The calendar quarter a month belongs to."""
    index = month_index(month)
    return f"{index // 12}-Q{index % 12 // 3 + 1}"


def busdays(first: date, end: date, holidays: Sequence[date] = ()) -> int:
    """Weekdays from ``first`` up to (not including) ``end`` that are no holiday."""
    if end <= first:
        return 0
    return int(numpy.busday_count(first, end, holidays=list(holidays)))


def days(first: date, last: date) -> Iterable[date]:
    """Every day from ``first`` to ``last``, both included."""
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def overlap(first: date, end: date, starts: date, ends: date | None) -> tuple[date, date] | None:
    """The part of ``[first, end)`` inside ``[starts, ends]`` (``ends`` None: open), or None."""
    lo = max(first, starts)
    hi = end if ends is None else min(end, ends + timedelta(days=1))
    return (lo, hi) if lo < hi else None

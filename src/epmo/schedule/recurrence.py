"""Recurring calendar exceptions expanded to dated days (MS Project's <Exception> rules).

Type 1 daily (every day of the period), 7 every ``period`` days, 6 weekly (``days_of_week``
bits 1 = Sunday .. 64 = Saturday, weeks start on Sunday), 4 monthly on a day, 5 monthly on
the n-th weekday, 2 yearly on a date, 3 yearly on the n-th weekday of a month (``month``
0..11 is January..December, as MS Project writes it). ``item``: 0 day, 1 weekday, 2 weekend
day, 3 Sunday .. 9 Saturday; ``position`` 0..3 first..fourth, 4 last. Expansion stops at
``last`` and after ``occurrences`` (when given).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

MAX_OCCURRENCES = 10_000
_LAST = 4


@dataclass(frozen=True)
class Rule:
    """One recurring exception as MSPDI stores it."""

    type: int
    first: date
    last: date
    occurrences: int | None = None
    period: int = 1
    days_of_week: int = 0
    month_day: int = 1
    month: int = 0  # 0 = January
    item: int = 0
    position: int = 0


def expand(rule: Rule) -> list[date]:
    """Every day the rule covers, in order, within ``first``..``last``."""
    days: list[date] = []
    limit = min(rule.occurrences or MAX_OCCURRENCES, MAX_OCCURRENCES)
    for day in _candidates(rule):
        if day > rule.last or len(days) >= limit:
            break
        if day >= rule.first:
            days.append(day)
    return days


def _candidates(rule: Rule) -> Iterator[date]:
    if rule.type == 7:
        return _every(rule.first, max(rule.period, 1))
    if rule.type == 6:
        return _weekly(rule)
    if rule.type in (4, 5):
        return _monthly(rule)
    if rule.type in (2, 3):
        return _yearly(rule)
    return _every(rule.first, 1)  # type 1 (daily) and anything unknown: the whole period


def _every(first: date, step: int) -> Iterator[date]:
    day = first
    while True:
        yield day
        day += timedelta(days=step)


def _weekly(rule: Rule) -> Iterator[date]:
    week_start = rule.first - timedelta(days=(rule.first.weekday() + 1) % 7)  # the Sunday
    bits = rule.days_of_week or 1 << ((rule.first.weekday() + 1) % 7)
    while True:
        for offset in range(7):
            if bits & (1 << offset):
                yield week_start + timedelta(days=offset)
        week_start += timedelta(weeks=max(rule.period, 1))


def _monthly(rule: Rule) -> Iterator[date]:
    year, month = rule.first.year, rule.first.month
    while year <= rule.last.year:
        found = _in_month(year, month, rule, by_position=rule.type == 5)
        if found:
            yield found
        month += max(rule.period, 1)
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1


def _yearly(rule: Rule) -> Iterator[date]:
    for year in range(rule.first.year, rule.last.year + 1):
        found = _in_month(year, rule.month + 1, rule, by_position=rule.type == 3)
        if found:
            yield found


def _in_month(year: int, month: int, rule: Rule, by_position: bool) -> date | None:
    length = calendar.monthrange(year, month)[1]
    if not by_position:
        return date(year, month, min(rule.month_day, length)) if rule.month_day >= 1 else None
    matching = [date(year, month, d) for d in range(1, length + 1)
                if _is_item(date(year, month, d), rule.item)]
    if not matching:
        return None
    if rule.position >= _LAST:
        return matching[-1]
    return matching[rule.position] if rule.position < len(matching) else None


def _is_item(day: date, item: int) -> bool:
    if item == 0:
        return True
    if item == 1:
        return day.weekday() < 5
    if item == 2:
        return day.weekday() >= 5
    return (day.weekday() + 1) % 7 == item - 3  # 3 Sunday .. 9 Saturday

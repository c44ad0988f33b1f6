"""Supply, demand and lending per department, role and month: the numbers behind the heatmap.

Supply is people's FTE per month: their weekly hours (a capacity period's hours while it runs)
over 40, on the working days left after holidays (the everyone-holidays, their department's and
those of the departments above it) and their time off, over the month's weekdays. Demand is the
role demand of running projects (per month) and of approved requests without a project (each
quarter's FTE-months spread evenly over its three months); an FTE-month in a month is one
FTE. A booked (soft or hard) lending moves its FTE, for the working days it covers, from the
lender's role to the borrower's. Everything here is computed from rows the repository read:
no query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import numpy

from epmo.resources import months as m
from epmo.resources.models import CapacityPeriod, Holiday, Lending
from epmo.resources.repository import Key, Spread, role_key

Series = list[float]


@dataclass(frozen=True)
class Calendar:
    """What one person gives: base weekly hours, periods of other hours, days off."""

    weekly: float
    periods: tuple[tuple[date, date | None, float], ...] = ()
    off: tuple[date, ...] = ()


@dataclass
class Sheet:
    """Per (department, role key): supply, demand, lent out and borrowed FTE per month."""

    months: list[str]
    supply: dict[Key, Series] = field(default_factory=dict)
    demand: dict[Key, Series] = field(default_factory=dict)
    lent: dict[Key, Series] = field(default_factory=dict)
    borrowed: dict[Key, Series] = field(default_factory=dict)
    spelling: dict[str, str] = field(default_factory=dict)  # role key -> shown name

    def series(self, kind: str, key: Key) -> Series:
        """One kind's series for a key (created as zeros)."""
        table: dict[Key, Series] = getattr(self, kind)
        return table.setdefault(key, [0.0] * len(self.months))

    def capacity(self, key: Key) -> Series:
        """Own supply less lent out plus borrowed."""
        own, lent, borrowed = (getattr(self, k).get(key) for k in ("supply", "lent", "borrowed"))
        zero = [0.0] * len(self.months)
        return [a - b + c for a, b, c in zip(own or zero, lent or zero, borrowed or zero,
                                             strict=True)]

    def pools(self) -> list[Key]:
        """Every key with supply, demand or lending."""
        return sorted({*self.supply, *self.demand, *self.lent, *self.borrowed},
                      key=lambda k: (k[0], k[1]))


class Span(Protocol):
    """Anything with a first and a last day (a time-off row, or its columns)."""

    @property
    def starts(self) -> date: ...

    @property
    def ends(self) -> date: ...


def calendar_of(weekly: float, periods: Sequence[CapacityPeriod],
                time_off: Sequence[Span]) -> Calendar:
    """A person's calendar from their rows."""
    if not periods and not time_off:  # most people: their weekly hours all year
        return Calendar(weekly)
    spans = tuple((p.starts, p.ends, float(p.weekly_hours)) for p in periods)
    off = tuple(day for t in time_off for day in m.days(t.starts, t.ends) if day.weekday() < 5)
    return Calendar(weekly, spans, off)


def hours(calendar: Calendar, first: date, end: date, holidays: Sequence[date]) -> float:
    """The hours a person works from ``first`` up to ``end``."""
    closed = [*holidays, *calendar.off]
    found = calendar.weekly / 5 * m.busdays(first, end, closed)
    for starts, ends, weekly in calendar.periods:
        span = m.overlap(first, end, starts, ends)
        if span is not None:
            found += (weekly - calendar.weekly) / 5 * m.busdays(*span, closed)
    return found


def fte(calendar: Calendar, month: str, holidays: Sequence[date]) -> float:
    """The FTE a person gives in a month: their hours over a 40-hour week's."""
    first, end = m.bounds(month)
    standard = m.busdays(first, end)
    if not standard:
        return 0.0
    return hours(calendar, first, end, holidays) / (standard * m.HOURS_PER_DAY)


def fte_series(calendar: Calendar, months: Sequence[str],
               holidays: Sequence[date]) -> list[float]:
    """``fte`` for every month at once: one numpy count per calendar span, not per month
    (the heatmap of the large demo counts ten thousand people's calendars)."""
    firsts, ends = m.month_bounds(months)
    standard = numpy.busday_count(firsts, ends)
    closed = [*holidays, *calendar.off]
    hours = calendar.weekly / 5 * numpy.busday_count(firsts, ends, holidays=closed)
    for starts, last, weekly in calendar.periods:
        lo = numpy.maximum(firsts, numpy.datetime64(starts, "D"))
        hi = ends if last is None else numpy.minimum(ends, numpy.datetime64(last, "D") + 1)
        inside = numpy.where(lo < hi, numpy.busday_count(lo, numpy.maximum(lo, hi),
                                                         holidays=closed), 0)
        hours = hours + (weekly - calendar.weekly) / 5 * inside
    capacity = numpy.maximum(standard, 1) * m.HOURS_PER_DAY
    return [float(v) for v in numpy.where(standard > 0, hours / capacity, 0.0)]


def holidays_by_department(rows: Sequence[Holiday], parents: Mapping[int, int | None],
                           ) -> dict[int | None, list[date]]:
    """The holidays each department keeps: everyone's, its own and its ancestors'."""
    own: dict[int | None, list[date]] = defaultdict(list)
    for row in rows:
        own[row.department_id].append(row.day)
    result: dict[int | None, list[date]] = {None: list(own.get(None, []))}
    for department in parents:
        days, seen = list(own.get(None, [])), set()
        current: int | None = department
        while current is not None and current not in seen:
            seen.add(current)
            days += own.get(current, [])
            current = parents.get(current)
        result[department] = sorted(set(days))
    return result


def add_supply(sheet: Sheet, people: Sequence[tuple[int, int, str, Calendar]],
               holidays: Mapping[int | None, list[date]]) -> None:
    """Add each person's FTE per month to their department and role."""
    plain: dict[Key, float] = defaultdict(float)  # weekly hours of people without a calendar
    for _person, department, role, calendar in people:
        key = (department, role_key(role))
        sheet.spelling.setdefault(key[1], role)
        if not calendar.periods and not calendar.off:
            plain[key] += calendar.weekly
            continue
        series = sheet.series("supply", key)
        days = holidays.get(department, holidays.get(None, []))
        for i, value in enumerate(fte_series(calendar, sheet.months, days)):
            series[i] += value
    # holidays -> FTE of a 40-hour week per month: most departments keep the same holidays,
    # so a large enterprise counts the months' working days a few times, not per department
    full: dict[tuple[date, ...], list[float]] = {}
    for (department, role), weekly in plain.items():
        series = sheet.series("supply", (department, role))
        closed = tuple(holidays.get(department, holidays.get(None, [])))
        if closed not in full:
            full[closed] = fte_series(Calendar(m.HOURS_PER_FTE_WEEK), sheet.months, closed)
        for i, value in enumerate(full[closed]):
            series[i] += weekly / m.HOURS_PER_FTE_WEEK * value


Away = tuple[int, str, float, date, date]  # department, role, weekly hours, first and last day


def subtract_time_off(sheet: Sheet, away: Sequence[Away],
                      holidays: Mapping[int | None, list[date]]) -> None:
    """Take the time off of people without capacity periods off their role's supply: the
    working days of each span in each month, one numpy count per holiday set for all spans.
    Exact because one person's spans never overlap (the service refuses it)."""
    firsts, ends = m.month_bounds(sheet.months)
    standard = numpy.maximum(numpy.busday_count(firsts, ends), 1) * m.HOURS_PER_DAY
    groups: dict[tuple[date, ...], list[Away]] = defaultdict(list)
    for row in away:
        groups[tuple(holidays.get(row[0], holidays.get(None, [])))].append(row)
    for closed, rows in groups.items():
        starts = numpy_days([r[3] for r in rows])[:, None]
        stops = numpy_days([r[4] for r in rows])[:, None] + 1
        lo = numpy.maximum(firsts[None, :], starts)
        hi = numpy.maximum(lo, numpy.minimum(ends[None, :], stops))
        days = numpy.busday_count(lo, hi, holidays=list(closed))
        lost = days * numpy.array([r[2] / 5 for r in rows])[:, None] / standard[None, :]
        owners = [(r[0], role_key(r[1])) for r in rows]
        keys = sorted(set(owners))
        where = {key: k for k, key in enumerate(keys)}
        total = numpy.zeros((len(keys), len(sheet.months)))
        numpy.add.at(total, [where[owner] for owner in owners], lost)
        for key, series_lost in zip(keys, total.tolist(), strict=True):
            series = sheet.series("supply", key)
            for i, value in enumerate(series_lost):
                series[i] -= value


EPOCH = date(1970, 1, 1).toordinal()  # numpy's day 0


def numpy_days(days: Sequence[date]) -> numpy.ndarray:
    """Dates as numpy days, through their ordinals: numpy converts a list of ``date`` objects
    one by one in Python, twenty times slower (thirty thousand spans of time off)."""
    ordinals = numpy.fromiter((d.toordinal() for d in days), dtype=numpy.int64, count=len(days))
    return (ordinals - EPOCH).astype("datetime64[D]")


def add_demand(sheet: Sheet, spread: Spread, spelling: Mapping[str, str]) -> None:
    """Each period's FTE-months in its month (a project's demand), or spread evenly over its
    months (a quarter: an intake request's); an FTE-month in a month is one FTE."""
    where = {month: i for i, month in enumerate(sheet.months)}
    places: dict[str, tuple[list[int], int]] = {}  # a period's months shown, found once
    for key, periods in spread.items():
        sheet.spelling.setdefault(key[1], spelling.get(key[1], key[1]))
        series = sheet.series("demand", key)
        for period, fte_months in periods.items():
            if period not in places:
                months = m.period_months(period)
                places[period] = ([where[month] for month in months if month in where],
                                  len(months))
            shown, count = places[period]
            for i in shown:
                series[i] += fte_months / count


def add_lendings(sheet: Sheet, lendings: Sequence[Lending]) -> None:
    """Move booked lendings' FTE from the lender to the borrower, pro rata of working days."""
    for lending in lendings:
        if lending.lender_department_id == lending.borrower_department_id:
            continue  # a booking by name inside the department moves no capacity
        role = role_key(lending.role)
        sheet.spelling.setdefault(role, lending.role)
        lent = sheet.series("lent", (lending.lender_department_id, role))
        borrowed = sheet.series("borrowed", (lending.borrower_department_id, role))
        for i, share in enumerate(coverage(sheet.months, lending.starts, lending.ends)):
            lent[i] += float(lending.fte) * share
            borrowed[i] += float(lending.fte) * share


def coverage(months: Sequence[str], starts: date, ends: date) -> list[float]:
    """The share of each month's weekdays inside ``[starts, ends]``."""
    shares = []
    for month in months:
        first, end = m.bounds(month)
        span = m.overlap(first, end, starts, ends)
        total = m.busdays(first, end)
        shares.append(m.busdays(*span) / total if span is not None and total else 0.0)
    return shares


NEAR_TIE = 1e-6  # far above the error of one multiplication at the figures' sizes
EXACT_BELOW = 2.0 ** 40  # scaled values past this are rounded one by one


def rounded(values: numpy.ndarray, digits: int) -> list[list[float]]:
    """``round(value, digits)`` of every value of a 2-D array, the very floats Python gives
    (the value's exact binary expansion rounded to the nearest, ties to even, then the
    nearest float to that decimal), for the whole array at once: the heatmap shows a hundred
    thousand figures. Scaled by 10**digits and rounded to an integer k, k / 10**digits is
    that nearest float (one correctly rounded division); the scaling may err by half a unit
    in the last place, which matters only next to a tie, so values whose scaled fraction
    lies near one half (and huge ones, NaN, infinities) are rounded by Python."""
    scale = 10.0 ** digits
    with numpy.errstate(invalid="ignore", over="ignore"):  # NaN and infinities: by Python
        scaled = values * scale
        found = (numpy.rint(scaled) / scale).tolist()
        risky = ~(numpy.abs(scaled - numpy.floor(scaled) - 0.5) >= NEAR_TIE)
        risky |= ~(numpy.abs(scaled) < EXACT_BELOW)
    for row, column in zip(*numpy.nonzero(risky), strict=True):
        found[row][column] = round(float(values[row, column]), digits)
    return found  # type: ignore[no-any-return]

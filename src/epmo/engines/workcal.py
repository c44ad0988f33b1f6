"""Working calendars: shifts per weekday, dated exceptions, and working-time arithmetic.

Moments are integer *stamps*: minutes since the start of day ordinal 0 (``stamp(datetime)``
and ``moment(stamp)`` convert). A ``Clock`` compiles a ``WorkCalendar`` once: within a day it
walks the shifts; across days it keeps a table of cumulative working minutes per day (grown on
demand, a year at a time), so adding, subtracting and counting over years is a binary search.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from itertools import accumulate
from typing import Final

DAY: Final = 1440
WEEK: Final = 7
CHUNK: Final = 366  # days the cumulative table grows by
Shifts = tuple[tuple[int, int], ...]  # (start, finish) minutes of the day, finish <= 1440
OFFICE_DAY: Final[Shifts] = ((480, 720), (780, 1020))  # 08:00-12:00, 13:00-17:00
WHOLE_DAY: Final[Shifts] = ((0, DAY),)


class NoWorkingTime(ValueError):
    """A calendar has no working time where some was needed (it would loop forever)."""


@dataclass(frozen=True, slots=True)
class DayException:
    """Days ``first``..``last`` (inclusive) work ``shifts`` instead (empty: not working)."""

    first: date
    last: date
    shifts: Shifts = ()

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"exception {self.first}..{self.last}: last is before first")
        check_shifts(self.shifts, f"exception {self.first}")


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Shifts per weekday (``week[0]`` is Monday) and dated exceptions."""

    id: str
    week: tuple[Shifts, ...]
    exceptions: tuple[DayException, ...] = ()

    def __post_init__(self) -> None:
        if len(self.week) != WEEK:
            raise ValueError(f"calendar {self.id}: week needs 7 days, got {len(self.week)}")
        for weekday, shifts in enumerate(self.week):
            check_shifts(shifts, f"calendar {self.id} weekday {weekday}")


def check_shifts(shifts: Shifts, where: str) -> None:
    """Raise ValueError unless the shifts are ordered, disjoint and inside one day."""
    previous = 0
    for start, finish in shifts:
        if not previous <= start < finish <= DAY:
            raise ValueError(f"{where}: shift {start}-{finish} is out of order or outside the day")
        previous = finish


def office_calendar(id: str, exceptions: tuple[DayException, ...] = ()) -> WorkCalendar:
    """Monday to Friday, 08:00-12:00 and 13:00-17:00 (MS Project's Standard)."""
    return WorkCalendar(id, (OFFICE_DAY,) * 5 + ((), ()), exceptions)


def continuous_calendar(id: str) -> WorkCalendar:
    """Every minute works (24/7): elapsed time."""
    return WorkCalendar(id, (WHOLE_DAY,) * WEEK)


def stamp(when: datetime) -> int:
    """The moment as minutes since day ordinal 0 (seconds dropped)."""
    return when.toordinal() * DAY + when.hour * 60 + when.minute


@lru_cache(maxsize=1 << 16)
def moment(minutes: int) -> datetime:
    """The datetime of a stamp (cached: schedules repeat the same few thousand moments)."""
    day, minute = divmod(minutes, DAY)
    return datetime.combine(date.fromordinal(day), time(minute // 60, minute % 60))


def _span(shifts: Shifts) -> int:
    return sum(finish - start for start, finish in shifts)


def _overlap(shifts: Shifts, lo: int, hi: int) -> int:
    return sum(max(0, min(finish, hi) - max(start, lo)) for start, finish in shifts)


def _before(shifts: Shifts, minute: int) -> int:
    """Working minutes of the day before ``minute``."""
    total = 0
    for start, finish in shifts:
        if start >= minute:
            break
        total += (finish if finish < minute else minute) - start
    return total


class Clock:
    """A calendar compiled for arithmetic on stamps."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.id = calendar.id
        self._week = calendar.week
        self._exc: dict[int, Shifts] = {}
        for exc in calendar.exceptions:
            for day in range(exc.first.toordinal(), exc.last.toordinal() + 1):
                self._exc[day] = exc.shifts
        self._week_totals = tuple(_span(shifts) for shifts in self._week)
        self._exc_totals = {day: _span(shifts) for day, shifts in self._exc.items()}
        self._week_minutes = sum(self._week_totals)
        working = [day for day, total in self._exc_totals.items() if total]
        self._first_work = min(working, default=0)
        self._last_work = max(working, default=0)
        if self._week_minutes == 0 and not working:
            raise NoWorkingTime(f"calendar {self.id} has no working time at all")
        # _cum[i]: working minutes from the start of day _origin to the start of day _origin + i.
        self._origin = 0
        self._cum: list[int] = []

    def shifts(self, day: int) -> Shifts:
        """The working periods of a day ordinal."""
        found = self._exc.get(day)
        return self._week[(day + 6) % WEEK] if found is None else found

    def _total(self, day: int) -> int:
        found = self._exc_totals.get(day)
        return self._week_totals[(day + 6) % WEEK] if found is None else found

    def next_start(self, t: int) -> int:
        """The first working moment at or after ``t`` (where a start snaps to)."""
        day, minute = divmod(t, DAY)
        for start, finish in self.shifts(day):
            if finish > minute:
                return day * DAY + max(start, minute)
        while True:
            day += 1
            self._guard(day, 1)
            shifts = self.shifts(day)
            if shifts:
                return day * DAY + shifts[0][0]

    def previous_finish(self, t: int) -> int:
        """The end of the working time at or before ``t`` (where a finish snaps to)."""
        day, minute = divmod(t, DAY)
        for start, finish in reversed(self.shifts(day)):
            if start < minute:
                return day * DAY + min(finish, minute)
        while True:
            day -= 1
            self._guard(day, -1)
            shifts = self.shifts(day)
            if shifts:
                return day * DAY + shifts[-1][1]

    def is_working(self, t: int) -> bool:
        """True when the minute starting at ``t`` is working time."""
        day, minute = divmod(t, DAY)
        return any(start <= minute < finish for start, finish in self.shifts(day))

    def add(self, t: int, minutes: int) -> int:
        """``t`` plus ``minutes`` of working time; ends at a period's end when used up exactly."""
        if minutes < 0:
            return self.subtract(t, -minutes)
        if minutes == 0:
            return t
        day, minute = divmod(t, DAY)
        left = minutes
        for start, finish in self.shifts(day):
            if finish > minute:
                begin = max(start, minute)
                if left <= finish - begin:
                    return day * DAY + begin + left
                left -= finish - begin
        target = self._worked(t) + minutes
        self._reach(target)
        # The target-th working minute's end: in the first day whose cumulative total reaches it.
        return self._minute_start(bisect.bisect_left(self._cum, target) - 1, target - 1) + 1

    def subtract(self, t: int, minutes: int) -> int:
        """``t`` less ``minutes`` of working time; lands on a period's start when exactly used."""
        if minutes < 0:
            return self.add(t, -minutes)
        if minutes == 0:
            return t
        day, minute = divmod(t, DAY)
        left = minutes
        for start, finish in reversed(self.shifts(day)):
            if start < minute:
                end = min(finish, minute)
                if left <= end - start:
                    return day * DAY + end - left
                left -= end - start
        target = self._worked(t) - minutes
        while target < 0:  # before the table: grow it backwards and count again
            self._extend_back(-target)
            target = self._worked(t) - minutes
        return self._minute_start(bisect.bisect_right(self._cum, target) - 1, target)

    def between(self, a: int, b: int) -> int:
        """Working minutes from ``a`` to ``b`` (negative when ``b`` is before ``a``)."""
        if a == b:
            return 0
        first, last = sorted((a // DAY, b // DAY))
        if first == last:
            lo, hi = sorted((a % DAY, b % DAY))
            sign = 1 if a <= b else -1
            return sign * _overlap(self.shifts(first), lo, hi)
        self._cover(first, last)
        return self._worked(b) - self._worked(a)

    def _worked(self, t: int) -> int:
        """Working minutes from the table's origin to ``t``."""
        day, minute = divmod(t, DAY)
        index = day - self._origin
        if not 0 <= index < len(self._cum) - 1:
            self._cover(day, day)
            index = day - self._origin
        return self._cum[index] + (_before(self.shifts(day), minute) if minute else 0)

    def _minute_start(self, index: int, minute: int) -> int:
        """Where working minute number ``minute`` (0-based) starts, in day ``_origin + index``."""
        day = self._origin + index
        left = minute - self._cum[index]
        for start, finish in self.shifts(day):
            if left < finish - start:
                return day * DAY + start + left
            left -= finish - start
        raise AssertionError("the cumulative table disagrees with the shifts")

    def _cover(self, first: int, last: int) -> None:
        """Grow the table so it spans days ``first``..``last``."""
        if not self._cum:
            self._origin, self._cum = first, [0]
        if first < self._origin:
            self._prepend(first - CHUNK)
        end = self._origin + len(self._cum) - 1  # the first day not covered
        if last >= end:
            self._append(end, last + CHUNK)

    def _append(self, first: int, last: int) -> None:
        totals = (self._total(day) for day in range(first, last + 1))
        self._cum.extend(list(accumulate(totals, initial=self._cum[-1]))[1:])

    def _prepend(self, first: int) -> None:
        prefix = list(accumulate((self._total(d) for d in range(first, self._origin)), initial=0))
        self._cum = prefix[:-1] + [value + prefix[-1] for value in self._cum]
        self._origin = first

    def _reach(self, target: int) -> None:
        """Grow the table forward until it holds ``target`` working minutes."""
        while self._cum[-1] < target:
            end = self._origin + len(self._cum) - 1
            self._guard(end, 1)
            weeks = (target - self._cum[-1]) // max(self._week_minutes, 1)
            self._append(end, end + WEEK * weeks + CHUNK)

    def _extend_back(self, missing: int) -> None:
        self._guard(self._origin - 1, -1)
        weeks = missing // max(self._week_minutes, 1)
        self._prepend(self._origin - WEEK * weeks - CHUNK)

    def _guard(self, day: int, step: int) -> None:
        # Only exceptions work: past them there is no working time in that direction.
        beyond = day > self._last_work if step > 0 else day < self._first_work
        if self._week_minutes == 0 and beyond:
            raise NoWorkingTime(f"calendar {self.id} has no working time around day {day}")

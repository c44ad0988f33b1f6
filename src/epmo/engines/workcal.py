"""Working calendars: shifts per weekday, dated exceptions, and working-time arithmetic.

Moments are integer *stamps*: minutes since the start of day ordinal 0 (``stamp(datetime)``
and ``moment(stamp)`` convert). A ``Clock`` compiles a ``WorkCalendar`` once and then answers
in time proportional to the number of days touched, jumping whole weeks (whose working minutes
are precomputed) when no exception lies in between, so long durations stay cheap.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

DAY: Final = 1440
WEEK: Final = 7
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


def moment(minutes: int) -> datetime:
    """The datetime of a stamp."""
    day, minute = divmod(minutes, DAY)
    return datetime.combine(date.fromordinal(day), time()) + timedelta(minutes=minute)


def _span(shifts: Shifts) -> int:
    return sum(finish - start for start, finish in shifts)


def _overlap(shifts: Shifts, lo: int, hi: int) -> int:
    return sum(max(0, min(finish, hi) - max(start, lo)) for start, finish in shifts)


class Clock:
    """A calendar compiled for arithmetic on stamps."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.id = calendar.id
        self._week = calendar.week
        self._exc: dict[int, Shifts] = {}
        for exc in calendar.exceptions:
            for day in range(exc.first.toordinal(), exc.last.toordinal() + 1):
                self._exc[day] = exc.shifts
        self._exc_days = sorted(self._exc)
        self._week_minutes = sum(_span(shifts) for shifts in self._week)
        working = [day for day, shifts in self._exc.items() if shifts]
        self._first_work = min(working, default=0)
        self._last_work = max(working, default=0)
        if self._week_minutes == 0 and not working:
            raise NoWorkingTime(f"calendar {self.id} has no working time at all")

    def shifts(self, day: int) -> Shifts:
        """The working periods of a day ordinal."""
        found = self._exc.get(day)
        return self._week[(day + 6) % WEEK] if found is None else found

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
        for start, finish in self.shifts(day):
            if finish > minute:
                begin = max(start, minute)
                if minutes <= finish - begin:
                    return day * DAY + begin + minutes
                minutes -= finish - begin
        return self._add_days(day + 1, minutes)

    def _add_days(self, day: int, minutes: int) -> int:
        while True:
            if minutes > self._week_minutes > 0:
                day, minutes = self._skip_forward(day, minutes)
            self._guard(day, 1)
            for start, finish in self.shifts(day):
                if minutes <= finish - start:
                    return day * DAY + start + minutes
                minutes -= finish - start
            day += 1

    def subtract(self, t: int, minutes: int) -> int:
        """``t`` less ``minutes`` of working time; lands on a period's start when used up exactly."""
        if minutes < 0:
            return self.add(t, -minutes)
        if minutes == 0:
            return t
        day, minute = divmod(t, DAY)
        for start, finish in reversed(self.shifts(day)):
            if start < minute:
                end = min(finish, minute)
                if minutes <= end - start:
                    return day * DAY + end - minutes
                minutes -= end - start
        return self._subtract_days(day - 1, minutes)

    def _subtract_days(self, day: int, minutes: int) -> int:
        while True:
            if minutes > self._week_minutes > 0:
                day, minutes = self._skip_backward(day, minutes)
            self._guard(day, -1)
            for start, finish in reversed(self.shifts(day)):
                if minutes <= finish - start:
                    return day * DAY + finish - minutes
                minutes -= finish - start
            day -= 1

    def between(self, a: int, b: int) -> int:
        """Working minutes from ``a`` to ``b`` (negative when ``b`` is before ``a``)."""
        if b < a:
            return -self.between(b, a)
        first, lo = divmod(a, DAY)
        last, hi = divmod(b, DAY)
        if first == last:
            return _overlap(self.shifts(first), lo, hi)
        total = _overlap(self.shifts(first), lo, DAY) + _overlap(self.shifts(last), 0, hi)
        day = first + 1
        while day < last:
            weeks = self._free_weeks_forward(day, (last - day) // WEEK)
            if weeks:
                total += weeks * self._week_minutes
                day += weeks * WEEK
            else:
                total += _span(self.shifts(day))
                day += 1
        return total

    def _skip_forward(self, day: int, minutes: int) -> tuple[int, int]:
        # Keep at least one minute for the day walk, so a finish lands inside a shift.
        weeks = self._free_weeks_forward(day, (minutes - 1) // self._week_minutes)
        return day + weeks * WEEK, minutes - weeks * self._week_minutes

    def _skip_backward(self, day: int, minutes: int) -> tuple[int, int]:
        weeks = (minutes - 1) // self._week_minutes
        index = bisect.bisect_right(self._exc_days, day) - 1
        if index >= 0:
            weeks = min(weeks, (day - self._exc_days[index]) // WEEK)
        return day - weeks * WEEK, minutes - weeks * self._week_minutes

    def _free_weeks_forward(self, day: int, weeks: int) -> int:
        """How many of ``weeks`` whole weeks from ``day`` hold no exception."""
        index = bisect.bisect_left(self._exc_days, day)
        if index < len(self._exc_days):
            weeks = min(weeks, (self._exc_days[index] - day) // WEEK)
        return max(weeks, 0)

    def _guard(self, day: int, step: int) -> None:
        # Only exceptions work: past them there is no working time in that direction.
        beyond = day > self._last_work if step > 0 else day < self._first_work
        if self._week_minutes == 0 and beyond:
            raise NoWorkingTime(f"calendar {self.id} has no working time around day {day}")

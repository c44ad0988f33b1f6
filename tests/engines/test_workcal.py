"""Working calendars: snapping, adding, subtracting and counting working time."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from epmo.engines.workcal import (
    OFFICE_DAY,
    Clock,
    DayException,
    NoWorkingTime,
    Shifts,
    WorkCalendar,
    continuous_calendar,
    moment,
    office_calendar,
    stamp,
)

CHRISTMAS = DayException(date(2026, 12, 25), date(2026, 12, 25))  # a Friday
SATURDAY_MORNING = DayException(date(2026, 12, 12), date(2026, 12, 12), ((540, 780),))
OFFICE = Clock(office_calendar("office", (CHRISTMAS, SATURDAY_MORNING)))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in December 2026 (the 7th is a Monday)."""
    return datetime(2026, 12, day, hour, minute)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (at(7, 7), at(7, 8)),
        (at(7, 10, 30), at(7, 10, 30)),
        (at(7, 12), at(7, 13)),  # lunch
        (at(7, 17), at(8, 8)),  # the end of a day is not a start
        (at(11, 17), at(12, 9)),  # Saturday the 12th works 09:00-13:00
        (at(12, 13), at(14, 8)),
        (at(24, 17), at(28, 8)),  # Christmas, then the weekend
    ],
)
def test_next_start(when: datetime, expected: datetime) -> None:
    """A start snaps forward to the next working moment."""
    assert moment(OFFICE.next_start(stamp(when))) == expected


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (at(8, 8), at(7, 17)),  # a finish at 08:00 belongs to the day before
        (at(7, 13), at(7, 12)),
        (at(7, 10, 30), at(7, 10, 30)),
        (at(7, 17), at(7, 17)),
        (at(13, 10), at(12, 13)),
        (at(28, 8), at(24, 17)),
    ],
)
def test_previous_finish(when: datetime, expected: datetime) -> None:
    """A finish snaps back to the end of the previous working period."""
    assert moment(OFFICE.previous_finish(stamp(when))) == expected


@pytest.mark.parametrize(
    ("when", "minutes", "expected"),
    [
        (at(7, 8), 0, at(7, 8)),
        (at(7, 8), 480, at(7, 17)),  # one day ends at 17:00, not 08:00 next day
        (at(7, 8), 240, at(7, 12)),
        (at(7, 8), 241, at(7, 13, 1)),
        (at(7, 17), 480, at(8, 17)),
        (at(10, 8), 960 + 240, at(12, 13)),  # Thursday, Friday, Saturday morning
        (at(21, 8), 2400, at(28, 17)),  # a week over Christmas
        (at(7, 8), -60, at(4, 16)),  # negative: backwards
        (at(7, 8), 480 * 250, datetime(2027, 11, 22, 12)),  # long: weeks skipped (+ Sat 12th)
    ],
)
def test_add(when: datetime, minutes: int, expected: datetime) -> None:
    """Adding working minutes; an exact fill ends at the period's end."""
    assert moment(OFFICE.add(stamp(when), minutes)) == expected


@pytest.mark.parametrize(
    ("when", "minutes", "expected"),
    [
        (at(8, 8), 480, at(7, 8)),
        (at(7, 13), 240, at(7, 8)),  # an exact fill lands on the period's start
        (at(7, 14), 61, at(7, 11, 59)),
        (at(28, 17), 960, at(24, 8)),
        (at(14, 8), 240, at(12, 9)),
        (datetime(2027, 11, 22, 12), 480 * 250, at(7, 8)),
    ],
)
def test_subtract(when: datetime, minutes: int, expected: datetime) -> None:
    """Subtracting working minutes walks backwards over nights, weekends and holidays."""
    assert moment(OFFICE.subtract(stamp(when), minutes)) == expected


@pytest.mark.parametrize(
    ("start", "finish", "expected"),
    [
        (at(7, 8), at(8, 8), 480),
        (at(11, 12), at(14, 10), 240 + 240 + 120),  # with Saturday morning
        (at(24, 8), at(28, 17), 960),
        (at(8, 8), at(7, 8), -480),
        (at(7, 12), at(7, 13), 0),
    ],
)
def test_between(start: datetime, finish: datetime, expected: int) -> None:
    """Working minutes between two moments, negative when reversed."""
    assert OFFICE.between(stamp(start), stamp(finish)) == expected


def test_a_calendar_without_working_time_is_refused() -> None:
    """No working time at all: a clear error, not an endless walk."""
    with pytest.raises(NoWorkingTime, match="idle"):
        Clock(WorkCalendar("idle", ((),) * 7))


def test_only_exceptions_work_then_the_walk_stops() -> None:
    """A calendar working only on exception days raises once past them."""
    one_day = DayException(date(2026, 12, 9), date(2026, 12, 9), OFFICE_DAY)
    clock = Clock(WorkCalendar("rare", ((),) * 7, (one_day,)))
    assert moment(clock.next_start(stamp(at(7, 0)))) == at(9, 8)
    assert moment(clock.add(stamp(at(7, 0)), 480)) == at(9, 17)
    with pytest.raises(NoWorkingTime, match="rare"):
        clock.add(stamp(at(7, 0)), 481)
    with pytest.raises(NoWorkingTime):
        clock.subtract(stamp(at(9, 9)), 120)


@pytest.mark.parametrize(
    "week",
    [
        (OFFICE_DAY,) * 6,  # six days
        (((480, 720), (700, 1020)),) + ((),) * 6,  # overlapping
        (((480, 1500),),) + ((),) * 6,  # past midnight
    ],
)
def test_bad_weeks_are_refused(week: tuple[Shifts, ...]) -> None:
    """Calendars are checked on construction."""
    with pytest.raises(ValueError):
        WorkCalendar("bad", week)


def test_continuous_calendar_is_plain_arithmetic() -> None:
    """24/7: every operation is plain minute arithmetic."""
    clock = Clock(continuous_calendar("24/7"))
    t = stamp(at(12, 10))
    assert (clock.next_start(t), clock.previous_finish(t)) == (t, t)
    assert clock.add(t, 5000) == t + 5000
    assert clock.between(t, t + 5000) == 5000


# --- against a minute-by-minute oracle -----------------------------------------------------------

OPTIONS: tuple[Shifts, ...] = (
    (),
    OFFICE_DAY,
    ((0, 1440),),
    ((540, 600), (900, 1380)),
    ((1380, 1440),),
    ((0, 180), (240, 480)),
)
BASE = date(2026, 11, 30)


@st.composite
def calendars(draw: st.DrawFn) -> WorkCalendar:
    """A random week (at least one working day) with up to three exception ranges."""
    week = tuple(draw(st.sampled_from(OPTIONS)) for _ in range(7))
    if not any(week):
        week = (OFFICE_DAY, *week[1:])
    exceptions = []
    for _ in range(draw(st.integers(0, 3))):
        first = BASE + timedelta(days=draw(st.integers(0, 60)))
        last = first + timedelta(days=draw(st.integers(0, 9)))
        exceptions.append(DayException(first, last, draw(st.sampled_from(OPTIONS))))
    return WorkCalendar("random", week, tuple(exceptions))


def _working(clock: Clock, minute: int) -> bool:
    return clock.is_working(minute)


def oracle_add(clock: Clock, t: int, minutes: int) -> int:
    """Step minute by minute until ``minutes`` working minutes are used."""
    while True:
        if _working(clock, t):
            minutes -= 1
            if minutes == 0:
                return t + 1
        t += 1


def oracle_subtract(clock: Clock, t: int, minutes: int) -> int:
    """Step back minute by minute until ``minutes`` working minutes are used."""
    while True:
        t -= 1
        if _working(clock, t):
            minutes -= 1
            if minutes == 0:
                return t


START = stamp(datetime.combine(BASE, datetime.min.time()))


@settings(max_examples=60, deadline=None)
@given(calendars(), st.integers(0, 30 * 1440), st.integers(1, 12000))
def test_arithmetic_matches_the_minute_oracle(calendar: WorkCalendar, offset: int, minutes: int) -> None:
    """add, subtract, between, next_start and previous_finish agree with stepping minutes."""
    clock, t = Clock(calendar), START + 40 * 1440 + offset
    added = clock.add(t, minutes)
    assert added == oracle_add(clock, t, minutes)
    assert clock.subtract(t, minutes) == oracle_subtract(clock, t, minutes)
    assert clock.between(t, added) == minutes
    assert clock.subtract(added, minutes) >= t
    start = clock.next_start(t)
    assert _working(clock, start) and not any(_working(clock, m) for m in range(t, start))
    finish = clock.previous_finish(t)
    assert _working(clock, finish - 1) and not any(_working(clock, m) for m in range(finish, t))

"""The heatmap counts a calendar's months at once (``fte_series``); it must give what counting
each month alone (``fte``, the calendar page's figures) gives."""

from __future__ import annotations

from datetime import date

import pytest

from epmo.resources import months as m
from epmo.resources.supply import Calendar, fte, fte_series

MONTHS = m.months_from("2026-11", 8)
HOLIDAYS = [date(2026, 12, 25), date(2027, 1, 1)]


@pytest.mark.parametrize("periods", [
    (),
    ((date(2026, 10, 1), date(2026, 11, 3), 20.0),),  # ends early in the first month
    ((date(2027, 2, 15), None, 8.0),),  # open-ended, from mid-month
    ((date(2027, 2, 3), date(2027, 2, 3), 0.0),),  # one day
    ((date(2025, 1, 1), date(2025, 2, 1), 10.0),),  # before every month shown
    ((date(2026, 12, 1), date(2026, 12, 31), 24.0), (date(2027, 3, 1), None, 32.0)),
])
def test_months_at_once_match_month_by_month(periods: tuple[tuple[date, date | None, float],
                                                            ...]) -> None:
    calendar = Calendar(40.0, periods, (date(2027, 2, 4), date(2027, 3, 8), date(2027, 3, 9)))
    expected = [fte(calendar, month, HOLIDAYS) for month in MONTHS]
    assert fte_series(calendar, MONTHS, HOLIDAYS) == pytest.approx(expected, abs=1e-12)
    assert min(expected) < 1.0  # the holidays and days off count

"""The heatmap counts a calendar's months at once (``fte_series``); it must give what counting
each month alone (``fte``, the calendar page's figures) gives."""

from __future__ import annotations

from datetime import date

import numpy
import pytest
from hypothesis import given
from hypothesis import strategies as st

from epmo.resources import months as m
from epmo.resources.supply import Calendar, Sheet, fte, fte_series, rounded

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


def test_time_off_taken_off_at_once_matches_each_persons_calendar() -> None:
    """The heatmap takes everyone's time off off the supply in one count per holiday set
    (``subtract_time_off``); it must give what each person's own calendar gives."""
    import random

    from epmo.resources.supply import Sheet, add_supply, subtract_time_off

    rng = random.Random(7)
    holidays = {None: HOLIDAYS, 1: HOLIDAYS, 2: [*HOLIDAYS, date(2027, 2, 1)]}
    people, away = [], []
    for person in range(60):
        department, role, weekly = rng.choice((1, 2)), rng.choice(("Dev", "Ops")), 8.0 * rng.randint(1, 5)
        spans, day = [], date(2026, 10, 1).toordinal() + rng.randint(0, 40)
        for _ in range(rng.randint(0, 3)):  # spans that never overlap, some outside the months
            first = date.fromordinal(day)
            last = date.fromordinal(day + rng.randint(0, 12))
            spans.append((first, last))
            day = last.toordinal() + rng.randint(1, 90)
        people.append((person, department, role, weekly, spans))
        away += [(department, role, weekly, a, b) for a, b in spans]
    each, at_once = Sheet(MONTHS), Sheet(MONTHS)
    add_supply(each, [(p, d, r, Calendar(w, (), tuple(
        day for a, b in spans for day in m.days(a, b) if day.weekday() < 5)))
        for p, d, r, w, spans in people], holidays)
    add_supply(at_once, [(p, d, r, Calendar(w)) for p, d, r, w, _ in people], holidays)
    subtract_time_off(at_once, away, holidays)
    assert each.supply.keys() == at_once.supply.keys()
    for key, series in each.supply.items():
        assert at_once.supply[key] == pytest.approx(series, abs=1e-9), key
    assert any(a != b for a, b in zip(each.supply[(1, "dev")], [0.0] * 8, strict=True))


def test_numpy_days_are_the_dates_numpy_would_make() -> None:
    import numpy

    from epmo.resources.supply import numpy_days
    days = [date(1970, 1, 1), date(1969, 12, 31), date(2027, 2, 28), date(2028, 2, 29),
            date(1, 1, 1), date(9999, 12, 31)]
    assert numpy_days(days).tolist() == numpy.array(days, dtype="datetime64[D]").tolist()
    assert numpy_days([]).shape == (0,)


def test_a_trusted_cell_is_the_cell_pydantic_would_build() -> None:
    from epmo.resources.schemas import HeatCell
    from epmo.schema_kit import trusted, trusted_maker
    values = {"month": "2027-01", "capacity": 1.5, "demand": 2.0, "free": -0.5,
              "load": 1.333, "lent": 0.0, "borrowed": 0.25}
    built = trusted(HeatCell, dict(values))
    assert built == HeatCell(**values) == HeatCell.model_construct(**values)
    assert built.model_dump() == values and built.model_fields_set == set(values)
    assert built.model_dump_json() == HeatCell(**values).model_dump_json()
    made = trusted_maker(HeatCell)(dict(values))
    assert made == built and made.model_fields_set == set(values)
    assert made.model_dump_json() == built.model_dump_json()


FIGURES = st.floats(allow_nan=True, allow_infinity=True) | st.integers(
    -10**9, 10**9).map(lambda k: (k + 0.5) / 1000) | st.integers(-10**7, 10**7).map(
    lambda k: k / 200)  # ties at the second and third decimal, as binary makes them


@given(st.lists(FIGURES, min_size=1, max_size=40), st.sampled_from([2, 3]))
def test_rounded_at_once_is_pythons_round(values: list[float], digits: int) -> None:
    got = rounded(numpy.array(values, dtype=float).reshape(1, -1), digits)[0]
    assert [repr(v) for v in got] == [repr(round(v, digits)) for v in values]


SIZES = st.floats(min_value=-5, max_value=80, allow_nan=False) | st.integers(0, 8000).map(
    lambda k: k / 200) | st.just(0.0)


@given(st.lists(st.tuples(SIZES, SIZES, SIZES, SIZES), min_size=3, max_size=3))
def test_cells_at_once_are_the_cells_one_by_one(figures: list[tuple[float, ...]]) -> None:
    """The heatmap's cells, made for all rows as arrays, equal the cells made one by one
    from the sheet as ``Sheet.capacity`` and Python's ``round`` give them."""
    from epmo.resources import heatmap

    months = MONTHS[:3]
    sheet = Sheet(months, supply={(1, "a"): [f[0] for f in figures], (2, "b"): [1.0] * 3},
                  demand={(1, "a"): [f[1] for f in figures]},
                  lent={(1, "a"): [f[2] for f in figures]},
                  borrowed={(1, "a"): [f[3] for f in figures], (3, "c"): [0.5] * 3})
    keys = sheet.pools()
    for key, cells in zip(keys, heatmap._cells(sheet, keys), strict=True):
        demand = sheet.demand.get(key, [0.0] * 3)
        lent, borrowed = sheet.lent.get(key, [0.0] * 3), sheet.borrowed.get(key, [0.0] * 3)
        expected = [{"month": month, "capacity": round(c, 2), "demand": round(d, 2),
                     "free": round(c - d, 2),
                     "load": round(d / c, 3) if c > heatmap.TOLERANCE else None,
                     "lent": round(x, 2), "borrowed": round(b, 2)}
                    for month, c, d, x, b in zip(months, sheet.capacity(key), demand, lent,
                                                 borrowed, strict=True)]
        assert [repr(cell.model_dump()) for cell in cells] == [repr(e) for e in expected]

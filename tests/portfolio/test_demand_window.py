"""The demand window and the shift as arithmetic: demand kept per month, quarters spread over
their months within the project's dates, rounded to hundredths with each line's total kept."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from epmo.portfolio.demand_window import (
    Line,
    Window,
    months_between,
    period_error,
    quarter_key,
    shift_lines,
    spread_lines,
    window,
)


def _lines(*items: tuple[str, str, str]) -> list[Line]:
    return [(role, None, period, Decimal(fte)) for role, period, fte in items]


def test_months_between_counts_calendar_months_not_days() -> None:
    assert months_between(date(2027, 1, 31), date(2027, 2, 1)) == 1
    assert months_between(date(2027, 3, 1), date(2026, 12, 31)) == -3
    assert months_between(date(2027, 3, 1), date(2027, 3, 31)) == 0
    assert months_between(None, date(2027, 3, 1)) == 0


def test_a_move_moves_each_month_as_it_is() -> None:
    lines = _lines(("Lead", "2027-11", "3"), ("Lead", "2027-12", "1.25"))
    assert shift_lines(lines, 3) == _lines(("Lead", "2028-02", "3.00"),
                                           ("Lead", "2028-03", "1.25"))
    assert shift_lines(lines, -12) == _lines(("Lead", "2026-11", "3.00"),
                                             ("Lead", "2026-12", "1.25"))


def test_a_named_line_moves_with_its_person() -> None:
    lines: list[Line] = [("Lead", 7, "2027-01", Decimal("1")), ("Lead", None, "2027-01",
                                                                 Decimal("2"))]
    assert shift_lines(lines, 1) == [("Lead", None, "2027-02", Decimal("2.00")),
                                     ("Lead", 7, "2027-02", Decimal("1.00"))]


@pytest.mark.parametrize("months", [1, 2, 4, -5, 7])
def test_any_move_keeps_the_total_to_the_cent(months: int) -> None:
    lines = _lines(("A", "2027-01", "1.01"), ("A", "2027-05", "2.02"), ("A", "2027-09", "0.07"),
                   ("B", "2027-04", "9.99"))
    moved = shift_lines(lines, months)
    for role in ("A", "B"):
        assert sum(f for r, _, _, f in moved if r == role) == sum(
            f for r, _, _, f in lines if r == role)
    assert all(f == f.quantize(Decimal("0.01")) for _, _, _, f in moved)


def test_the_window_is_the_forecast_else_the_plan() -> None:
    within = window(None, date(2027, 2, 1), date(2028, 11, 30), date(2028, 6, 30))
    assert within == Window(date(2027, 2, 1), date(2028, 11, 30))
    assert period_error("2027-02", within) is None  # the start's own month
    assert period_error("2028-11", within) is None  # the end's own month
    assert period_error("2027-01", within) == "2027-01 is before the project's start (2027-02-01)"
    assert period_error("2028-12", within) == "2028-12 is after the project's end (2028-11-30)"
    assert period_error("2027-Q1", within) is None  # a quarter the project runs part of
    assert period_error("2026-Q4", within) == "2026-Q4 is before the project's start (2027-02-01)"
    assert period_error("2029-Q2", within) == "2029-Q2 is after the project's end (2028-11-30)"
    assert period_error("1999-01", Window(None, None)) is None


def test_a_quarter_is_spread_over_its_months_with_the_total_kept() -> None:
    spread = spread_lines(_lines(("PM", "2027-Q1", "1"), ("Lead", "2027-Q2", "3")),
                          Window(None, None))
    assert spread == _lines(("Lead", "2027-04", "1.00"), ("Lead", "2027-05", "1.00"),
                            ("Lead", "2027-06", "1.00"), ("PM", "2027-01", "0.34"),
                            ("PM", "2027-02", "0.33"), ("PM", "2027-03", "0.33"))
    tiny = spread_lines(_lines(("PM", "2027-Q1", "0.01")), Window(None, None))
    assert tiny == _lines(("PM", "2027-01", "0.01"))  # no zero line is kept


def test_a_quarter_spreads_over_the_months_the_project_runs_and_adds_to_a_month() -> None:
    within = Window(date(2027, 2, 15), date(2027, 12, 31))
    spread = spread_lines(_lines(("Lead", "2027-Q1", "1"), ("Lead", "2027-03", "0.5")), within)
    assert spread == _lines(("Lead", "2027-02", "0.50"), ("Lead", "2027-03", "1.00"))


def test_spreading_folds_what_lies_outside_into_the_nearest_month() -> None:
    within = Window(date(2027, 1, 1), date(2027, 7, 1))
    fitted = spread_lines(_lines(("Lead", "2026-Q4", "1"), ("Lead", "2027-01", "2"),
                                 ("Lead", "2028-Q1", "1.5"), ("PM", "2027-Q2", "0")), within)
    assert fitted == _lines(("Lead", "2027-01", "3.00"), ("Lead", "2027-07", "1.50"))


def test_selection_sums_months_into_their_quarter() -> None:
    assert quarter_key("2027-03") == "2027-Q1"
    assert quarter_key("2027-04") == "2027-Q2"
    assert quarter_key("2027-Q4") == "2027-Q4"

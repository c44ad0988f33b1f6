"""The demand window and the shift as arithmetic: quarters spread over months, moved, summed
back, rounded to hundredths with each role's total kept."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from epmo.portfolio.demand_window import (
    Line,
    Window,
    fit_lines,
    months_between,
    period_error,
    shift_lines,
    window,
)


def _lines(*items: tuple[str, str, str]) -> list[Line]:
    return [(role, period, Decimal(fte)) for role, period, fte in items]


def test_months_between_counts_calendar_months_not_days() -> None:
    assert months_between(date(2027, 1, 31), date(2027, 2, 1)) == 1
    assert months_between(date(2027, 3, 1), date(2026, 12, 31)) == -3
    assert months_between(date(2027, 3, 1), date(2027, 3, 31)) == 0
    assert months_between(None, date(2027, 3, 1)) == 0


def test_a_whole_quarter_move_keeps_every_figure() -> None:
    lines = _lines(("Lead", "2027-Q4", "3"), ("Lead", "2028-Q1", "1.25"))
    assert shift_lines(lines, 3) == _lines(("Lead", "2028-Q1", "3.00"),
                                           ("Lead", "2028-Q2", "1.25"))
    assert shift_lines(lines, -12) == _lines(("Lead", "2026-Q4", "3.00"),
                                             ("Lead", "2027-Q1", "1.25"))


def test_a_part_quarter_move_spreads_and_keeps_each_roles_total() -> None:
    moved = shift_lines(_lines(("Lead", "2027-Q1", "3"), ("Lead", "2027-Q2", "3"),
                               ("PM", "2027-Q4", "1")), 2)
    assert moved == _lines(("Lead", "2027-Q1", "1.00"), ("Lead", "2027-Q2", "3.00"),
                           ("Lead", "2027-Q3", "2.00"), ("PM", "2027-Q4", "0.33"),
                           ("PM", "2028-Q1", "0.67"))
    back = shift_lines(_lines(("PM", "2027-Q1", "0.01"), ("PM", "2027-Q2", "0.02")), -1)
    # 0.03 over three quarters rounds to hundredths; the total stays 0.03 and no zero is kept
    assert sum(fte for _, _, fte in back) == Decimal("0.03")
    assert all(fte > 0 for _, _, fte in back)


@pytest.mark.parametrize("months", [1, 2, 4, -5, 7])
def test_any_move_keeps_the_total_to_the_cent(months: int) -> None:
    lines = _lines(("A", "2027-Q1", "1.01"), ("A", "2027-Q2", "2.02"), ("A", "2027-Q3", "0.07"),
                   ("B", "2027-Q2", "9.99"))
    moved = shift_lines(lines, months)
    for role in ("A", "B"):
        assert sum(f for r, _, f in moved if r == role) == sum(f for r, _, f in lines if r == role)
    assert all(f == f.quantize(Decimal("0.01")) for _, _, f in moved)


def test_the_window_is_the_forecast_else_the_plan() -> None:
    within = window(None, date(2027, 2, 1), date(2028, 11, 30), date(2028, 6, 30))
    assert within == Window(date(2027, 2, 1), date(2028, 11, 30))
    assert period_error("2027-Q1", within) is None  # the start's own quarter
    assert period_error("2028-Q4", within) is None  # the end's own quarter
    assert period_error("2026-Q4", within) == "2026-Q4 is before the project's start (2027-02-01)"
    assert period_error("2029-Q2", within) == "2029-Q2 is after the project's end (2028-11-30)"
    assert period_error("1999-Q1", Window(None, None)) is None


def test_fitting_folds_the_quarters_outside_into_the_nearest_one() -> None:
    within = Window(date(2027, 1, 1), date(2027, 7, 1))
    fitted = fit_lines(_lines(("Lead", "2026-Q4", "1"), ("Lead", "2027-Q1", "2"),
                              ("Lead", "2028-Q1", "1.5"), ("PM", "2027-Q2", "0")), within)
    assert fitted == _lines(("Lead", "2027-Q1", "3.00"), ("Lead", "2027-Q3", "1.50"))

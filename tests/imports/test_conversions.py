"""Reading cells as a profile says: dates in four styles, numbers with separators and signs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from epmo.imports.conversions import read_date, read_number


@pytest.mark.parametrize(("cell", "style", "expected"), [
    ("2019-03-15", "iso", date(2019, 3, 15)),
    ("2019-03-15", "us", date(2019, 3, 15)),  # ISO is never ambiguous: always read
    ("3/15/2019", "us", date(2019, 3, 15)),
    ("3/4/2019", "us", date(2019, 3, 4)),
    ("3/4/2019", "day_first", date(2019, 4, 3)),
    ("15.03.2019", "day_first", date(2019, 3, 15)),
    (43539, "excel", date(2019, 3, 15)),
    ("43539", "excel", date(2019, 3, 15)),
    (date(2020, 1, 2), "us", date(2020, 1, 2)),  # a real date cell
])
def test_dates(cell: Any, style: str, expected: date) -> None:
    assert read_date(cell, style) == expected


@pytest.mark.parametrize(("cell", "style", "hint"), [
    ("15/3/2019", "us", "month/day/year"),  # no 15th month
    ("3/15/2019", "day_first", "day/month/year"),
    ("3/15/2019", "iso", "year-month-day"),
    (43539, "us", "month/day/year"),  # serial numbers only when the profile says excel
    (43539.5, "excel", "serial"),
    ("2/30/2019", "us", "month/day/year"),
    ("soon", "excel", "serial"),
])
def test_dates_that_do_not_fit(cell: Any, style: str, hint: str) -> None:
    with pytest.raises(ValueError, match=hint):
        read_date(cell, style)


@pytest.mark.parametrize(("cell", "decimal", "expected"), [
    ("$1,234,567", ".", Decimal(1234567)),
    ("$1,234.50", ".", Decimal("1234.50")),
    ("1234.5", ".", Decimal("1234.5")),
    ("1.234,50 €", ",", Decimal("1234.50")),
    ("1 234 567,5", ",", Decimal("1234567.5")),
    ("EUR 12,5", ",", Decimal("12.5")),
    ("(1,000)", ".", Decimal(-1000)),
    (1500, ".", 1500),
])
def test_numbers(cell: Any, decimal: str, expected: Decimal) -> None:
    assert read_number(cell, decimal) == expected


@pytest.mark.parametrize(("cell", "decimal"), [
    ("12,34.5", "."), ("1.234,50", "."), ("$1,234.50", ","), ("lots", "."), ("1,2,3", ","),
])
def test_numbers_that_do_not_fit(cell: str, decimal: str) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        read_number(cell, decimal)


def test_a_huge_bad_cell_is_quoted_short() -> None:
    with pytest.raises(ValueError) as caught:
        read_date("x" * 1_000_000, "us")
    assert len(str(caught.value)) < 120

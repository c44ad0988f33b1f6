"""Where a project's role demand may lie, how quarters become months, and how the demand
moves with the project's start (pure).

A project's demand is kept per month (``"2027-03"``). The window is the project's effective
dates, the forecast else the plan (the dates the network sees, ``network.capture``): a month
before the start's month or after the end's month lies outside it, and so does a quarter
wholly before the start's quarter or wholly after the end's. A quarter given where months are
kept (the API, the import, an approved request's demand) is spread evenly over its months
inside the window (all three without dates), rounded to hundredths so that each role keeps its
total exactly (largest remainder). A move of the start by whole calendar months moves each
month's FTE-months by as many months, exactly.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

# role, named person (None: the role's unnamed demand), period ("2027-03"; as input also
# "2027-Q1"), FTE-months
Line = tuple[str, int | None, str, Decimal]
Who = tuple[str, int | None]  # role, person

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, slots=True)
class Window:
    """A project's effective start and end (either may be unknown)."""

    start: date | None
    end: date | None


def window(forecast_start: date | None, planned_start: date | None,
           forecast_finish: date | None, planned_finish: date | None) -> Window:
    """The effective window: the forecast where there is one, else the plan."""
    return Window(forecast_start or planned_start, forecast_finish or planned_finish)


def quarter_of(day: date) -> str:
    """The quarter a day falls in: 2027-05-03 -> 2027-Q2."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def month_of(day: date) -> str:
    """The month a day falls in, as demand names it: 2027-05-03 -> 2027-05."""
    return f"{day.year:04d}-{day.month:02d}"


def quarter_number(period: str) -> int:
    """A quarter as a count of quarters ("2027-Q2" -> 2027 * 4 + 1), to compare and step."""
    return int(period[:4]) * 4 + int(period[-1]) - 1


def quarter_name(number: int) -> str:
    """The inverse of ``quarter_number``."""
    return f"{number // 4}-Q{number % 4 + 1}"


def month_number(period: str) -> int:
    """A month as a count of months ("2027-03" -> 2027 * 12 + 2)."""
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def month_name(number: int) -> str:
    """The inverse of ``month_number``."""
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def is_quarter(period: str) -> bool:
    """True for a quarter ("2027-Q1"), False for a month ("2027-03")."""
    return QUARTER.match(period) is not None


def quarter_key(period: str) -> str:
    """The quarter a month (or a quarter) belongs to: selection's grain."""
    if is_quarter(period):
        return period
    return quarter_name(month_number(period) // 3)


def months_of(period: str) -> list[int]:
    """The month numbers a period covers: a month itself, a quarter's three."""
    if is_quarter(period):
        first = quarter_number(period) * 3
        return [first, first + 1, first + 2]
    return [month_number(period)]


def months_between(old: date | None, new: date | None) -> int:
    """Whole calendar months from ``old`` to ``new`` (0 when either is unknown)."""
    if old is None or new is None:
        return 0
    return (new.year * 12 + new.month) - (old.year * 12 + old.month)


def _bounds(within: Window) -> tuple[int | None, int | None]:
    """The window's first and last month numbers (None where a date is unknown)."""
    low = month_number(month_of(within.start)) if within.start else None
    high = month_number(month_of(within.end)) if within.end else None
    return low, high


def period_error(period: str, within: Window) -> str | None:
    """Why a month (or a quarter) lies outside the window, in words (None when it does not)."""
    months = months_of(period)
    low, high = _bounds(within)
    if within.start is not None and low is not None and months[-1] < low:
        return f"{period} is before the project's start ({within.start.isoformat()})"
    if within.end is not None and high is not None and months[0] > high:
        return f"{period} is after the project's end ({within.end.isoformat()})"
    return None


def spread_lines(lines: Iterable[Line], within: Window) -> list[Line]:
    """Month lines from month or quarter lines: a quarter spread evenly over its months inside
    the window (all three when none is; one wholly outside goes to the window's nearest month),
    months outside the window folded into its first or last month; lines of one role and month
    summed; hundredths with each line's (role's and person's) total kept."""
    low, high = _bounds(within)
    parts: dict[Who, dict[int, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    for role, person, period, fte in lines:
        months = months_of(period)
        inside = [n for n in months if (low is None or n >= low) and (high is None or n <= high)]
        if not inside:  # wholly outside: the nearest month of the window
            inside = [low if low is not None and months[-1] < low else high or months[0]]
        cents = Fraction(int(Decimal(fte).scaleb(2).to_integral_value()))
        for n in inside:
            parts[(role, person)][n] += cents / len(inside)
    return _rounded(parts)


def shift_lines(lines: Iterable[Line], months: int) -> list[Line]:
    """Month lines moved by ``months`` calendar months, exactly: a month's FTE-months move as
    they are (a quarter line, not kept any more, is spread over its months first); by role,
    person, then month."""
    found: list[Line] = []
    quarters: list[Line] = []
    for line in lines:
        role, person, period, fte = line
        if "-Q" in period:
            quarters.append(line)
        else:
            found.append((role, person, month_name(month_number(period) + months), fte))
    if quarters:
        found += shift_lines(spread_lines(quarters, Window(None, None)), months)
    return sorted(found, key=lambda ln: (ln[0], ln[1] or 0, ln[2]))


def _rounded(parts: dict[Who, dict[int, Fraction]]) -> list[Line]:
    """Hundredths per month (``parts`` in hundredths), each line's total kept (largest
    remainder, the earlier month first on a tie); zeros dropped."""
    found: list[Line] = []
    for (role, person), months in sorted(parts.items(), key=lambda item: (
            item[0][0], item[0][1] or 0)):
        cents = {n: int(value) for n, value in months.items()}  # floor: never negative
        left = round(sum(months.values())) - sum(cents.values())
        for n in sorted(months, key=lambda n: (-(months[n] - cents[n]), n))[:left]:
            cents[n] += 1
        found += [(role, person, month_name(n), Decimal(c).scaleb(-2))
                  for n, c in sorted(cents.items()) if c]
    return found

"""Where a project's role demand may lie, and how it moves with the project's start (pure).

The window is the project's effective dates, the forecast else the plan (the dates the network
sees, ``network.capture``): a demand quarter wholly before the start's quarter or wholly after
the end's quarter lies outside it. A move of the start by whole calendar months moves the
demand with it: each quarter's FTE-months is spread evenly over its three months, the months
are moved, and the months are summed back per quarter, rounded to hundredths so that each
role keeps its total exactly (largest remainder).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

Line = tuple[str, str, Decimal]  # role, quarter ("2027-Q1"), FTE-months


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
    """The quarter a day falls in, as demand names it: 2027-05-03 -> 2027-Q2."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_number(period: str) -> int:
    """A quarter as a count of quarters ("2027-Q2" -> 2027 * 4 + 1), to compare and step."""
    return int(period[:4]) * 4 + int(period[-1]) - 1


def quarter_name(number: int) -> str:
    """The inverse of ``quarter_number``."""
    return f"{number // 4}-Q{number % 4 + 1}"


def months_between(old: date | None, new: date | None) -> int:
    """Whole calendar months from ``old`` to ``new`` (0 when either is unknown)."""
    if old is None or new is None:
        return 0
    return (new.year * 12 + new.month) - (old.year * 12 + old.month)


def period_error(period: str, within: Window) -> str | None:
    """Why a quarter lies outside the window, in words (None when it does not)."""
    number = quarter_number(period)
    if within.start is not None and number < quarter_number(quarter_of(within.start)):
        return f"{period} is before the project's start ({within.start.isoformat()})"
    if within.end is not None and number > quarter_number(quarter_of(within.end)):
        return f"{period} is after the project's end ({within.end.isoformat()})"
    return None


def _thirds(fte: Decimal) -> int:
    """FTE-months in thirds of a hundredth: a quarter's third of a cent per month, exactly."""
    return int(fte.scaleb(2).to_integral_value()) * 3


def shift_lines(lines: Iterable[Line], months: int) -> list[Line]:
    """The lines moved by ``months`` calendar months (each quarter spread over its months)."""
    parts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for role, period, fte in lines:
        first = quarter_number(period) * 3 + months
        for month in range(first, first + 3):
            parts[role][month // 3] += _thirds(fte) // 3
    return _rounded(parts)


def fit_lines(lines: Iterable[Line], within: Window) -> list[Line]:
    """The lines with every quarter outside the window folded into its nearest quarter."""
    low = quarter_number(quarter_of(within.start)) if within.start else None
    high = quarter_number(quarter_of(within.end)) if within.end else None
    parts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for role, period, fte in lines:
        number = quarter_number(period)
        number = max(number, low) if low is not None else number
        number = min(number, high) if high is not None else number
        parts[role][number] += _thirds(fte)
    return _rounded(parts)


def _rounded(parts: dict[str, dict[int, int]]) -> list[Line]:
    """Hundredths per quarter (``parts`` in thirds of one), each role's total kept (largest
    remainder, the earlier quarter first on a tie); zeros dropped."""
    found: list[Line] = []
    for role, quarters in sorted(parts.items()):
        cents = {q: thirds // 3 for q, thirds in quarters.items()}
        left = sum(quarters.values()) // 3 - sum(cents.values())
        for q in sorted(quarters, key=lambda q: (-(quarters[q] % 3), q))[:left]:
            cents[q] += 1
        found += [(role, quarter_name(q), Decimal(n).scaleb(-2)) for q, n in sorted(cents.items())
                  if n]
    return found

"""Derived RAG: schedule slip and cost overrun against the baseline, banded by thresholds.

Schedule: slip = forecast finish - baseline finish, in days (early is negative).
Cost: overrun = (forecast cost - baseline budget) / baseline budget, in percent.
A value at or past the ``red`` threshold is red, at or past ``amber`` amber, else green.
Nothing is derived where a figure or the dimension's thresholds are missing (or the baseline
budget is zero, which gives no percentage).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final, Literal

Colour = Literal["green", "amber", "red"]
COLOURS: Final[tuple[Colour, Colour, Colour]] = ("green", "amber", "red")
DERIVED_DIMENSIONS: Final = ("schedule", "cost")
_HUNDRED: Final = Decimal(100)
_COLOUR_OF: Final[Mapping[str, Colour]] = {colour: colour for colour in COLOURS}


@dataclass(frozen=True, slots=True)
class Band:
    """Thresholds of one dimension: ``amber`` and ``red`` (days of slip or percent overrun)."""

    amber: Decimal
    red: Decimal


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The bands a project's contract sets; None: that dimension is not derived."""

    schedule: Band | None = None
    cost: Band | None = None


@dataclass(frozen=True, slots=True)
class Facts:
    """A project's baseline and forecast figures (any may be unknown)."""

    baseline_finish: date | None = None
    forecast_finish: date | None = None
    baseline_budget: Decimal | None = None
    forecast_cost: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Derived:
    """The objective variances and the colours they give (None: not derivable)."""

    slip_days: int | None = None
    overrun_percent: Decimal | None = None
    schedule: Colour | None = None
    cost: Colour | None = None

    def colour(self, dimension: str) -> Colour | None:
        """The derived colour of ``schedule`` or ``cost`` (None for any other dimension)."""
        if dimension == "schedule":
            return self.schedule
        return self.cost if dimension == "cost" else None


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A dimension whose entered colour differs from the derived one."""

    dimension: str
    entered: Colour
    derived: Colour


def slip_days(facts: Facts) -> int | None:
    """Days the forecast finish lies after the baseline finish (negative: early)."""
    if facts.baseline_finish is None or facts.forecast_finish is None:
        return None
    return (facts.forecast_finish - facts.baseline_finish).days


def overrun_percent(facts: Facts) -> Decimal | None:
    """Percent the forecast cost exceeds the baseline budget, to 2 decimals (negative: under)."""
    budget, forecast = facts.baseline_budget, facts.forecast_cost
    if budget is None or forecast is None or budget <= 0:
        return None
    return ((forecast - budget) * _HUNDRED / budget).quantize(Decimal("0.01"))


def band_colour(value: int | Decimal | None, band: Band | None) -> Colour | None:
    """Red at or past ``red``, amber at or past ``amber``, else green; None when unknown."""
    if value is None or band is None:
        return None
    if value >= band.red:
        return "red"
    return "amber" if value >= band.amber else "green"


def derive(facts: Facts, thresholds: Thresholds) -> Derived:
    """Both variances and their colours under ``thresholds``."""
    slip, overrun = slip_days(facts), overrun_percent(facts)
    return Derived(slip_days=slip, overrun_percent=overrun,
                   schedule=band_colour(slip, thresholds.schedule),
                   cost=band_colour(overrun, thresholds.cost))


def disagreements(entered: Mapping[str, str | None], derived: Derived) -> tuple[Disagreement, ...]:
    """Dimensions where an entered colour and a derived one both exist and differ."""
    found = []
    for dimension in DERIVED_DIMENSIONS:
        mine = _COLOUR_OF.get(entered.get(dimension) or "")
        objective = derived.colour(dimension)
        if mine is not None and objective is not None and mine != objective:
            found.append(Disagreement(dimension, mine, objective))
    return tuple(found)


def thresholds_from(raw: Mapping[str, Mapping[str, float]]) -> Thresholds:
    """Read a contract's ``{"schedule": {"amber": n, "red": n}, "cost": {...}}`` mapping.

    A dimension missing either threshold, or with a non-number, is not derived.
    """
    return Thresholds(schedule=_band(raw.get("schedule")), cost=_band(raw.get("cost")))


def _band(raw: Mapping[str, float] | None) -> Band | None:
    if not raw:
        return None
    amber, red = raw.get("amber"), raw.get("red")
    if not _number(amber) or not _number(red):
        return None
    return Band(Decimal(str(amber)), Decimal(str(red)))


def _number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool) and (
        Decimal(str(value)).is_finite())

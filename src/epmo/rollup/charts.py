"""The executive pack's charts: health by department, the health trend, the top slips and
the budget variance, each as inline SVG (for the PDF) with the table of its numbers (for the
PDF's readers and the Excel sheets)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from markupsafe import Markup

from epmo.files import svgcharts
from epmo.files.svgcharts import Band
from epmo.rollup.schemas import ColourCounts, Pack, RollupRow

BANDS: Final = (Band("green", "#2fb344"), Band("amber", "#f59f00"), Band("red", "#d63939"),
                Band("unknown", "#adb5bd"))
UNDER, OVER = Band("under budget", "#2fb344"), Band("over budget", "#d63939")
SLIP_COLOUR: Final = "#f76707"
DEPARTMENT_ROWS: Final = 25  # departments in a chart; the table and the sheet keep them all

Cell = str | int | float | date


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart of the pack: its SVG and the numbers behind it (header and rows)."""

    key: str
    title: str
    sheet: str  # the Excel sheet holding its numbers (at most 31 characters)
    svg: Markup
    header: tuple[str, ...]
    rows: list[list[Cell]]


def _counts(counts: ColourCounts) -> list[int]:
    return [counts.green, counts.amber, counts.red, counts.unknown]


def _label(row: RollupRow) -> str:
    """A department as a chart's row label: sub-departments marked by their depth."""
    return "\u203a " * row.depth + f"{row.code} {row.name}"  # a guillemet per level


def health_by_department(rows: Sequence[RollupRow]) -> Chart:
    """Projects per colour in each department (unknown, never reported, is its own band)."""
    title = "Health by department (projects per colour)"
    svg = svgcharts.stacked_bars("health-by-department", title, [
        (_label(r), _counts(r.counts)) for r in rows[:DEPARTMENT_ROWS]], BANDS)
    return Chart("health-by-department", title, "Health by department", svg,
                 ("Code", "Department", "Depth", "Green", "Amber", "Red", "Unknown", "Projects"),
                 [[r.code, r.name, r.depth, *_counts(r.counts), r.count] for r in rows])


def health_trend(pack: Pack) -> Chart:
    """Projects per colour in each of the last months, oldest first."""
    title = f"Health trend up to {pack.period} (projects per colour)"
    svg = svgcharts.stacked_columns("health-trend", title, [
        (p.period, _counts(p.counts)) for p in pack.trend], BANDS)
    return Chart("health-trend", title, "Health trend", svg,
                 ("Month", "Green", "Amber", "Red", "Unknown"),
                 [[p.period, *_counts(p.counts)] for p in pack.trend])


def top_slips(pack: Pack) -> Chart:
    """Days each of the most late projects' forecast finish lies after its baseline."""
    title = "Top slips (days the forecast finish lies after the baseline)"
    svg = svgcharts.bars("top-slips", title, [
        (f"{s.code} {s.name}", s.days) for s in pack.slips], SLIP_COLOUR, " d")
    return Chart("top-slips", title, "Top slips", svg,
                 ("Project", "Name", "Department", "Baseline finish", "Forecast finish",
                  "Slip (days)"),
                 [[s.code, s.name, s.department, s.baseline_finish, s.forecast_finish, s.days]
                  for s in pack.slips])


def budget_variance(rows: Sequence[RollupRow]) -> Chart:
    """Forecast minus planned budget per department: left of zero under, right over."""
    title = "Budget variance by department (forecast minus planned)"
    budgeted = [r for r in rows if r.planned or r.forecast]
    svg = svgcharts.diverging_bars("budget-variance", title, [
        (_label(r), float(r.forecast - r.planned)) for r in budgeted[:DEPARTMENT_ROWS]],
        UNDER, OVER)
    return Chart("budget-variance", title, "Budget variance", svg,
                 ("Code", "Department", "Planned", "Forecast", "Variance"),
                 [[r.code, r.name, float(r.planned), float(r.forecast),
                   float(r.forecast - r.planned)] for r in budgeted])


def pack_charts(pack: Pack) -> list[Chart]:
    """The pack's four charts, in the order the PDF shows them."""
    return [health_by_department(pack.departments), health_trend(pack), top_slips(pack),
            budget_variance(pack.departments)]

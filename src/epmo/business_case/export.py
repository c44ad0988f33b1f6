"""The business case as a document: the print page, its PDF (WeasyPrint) and chart data."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from epmo.business_case.schemas import ComparisonRead
from epmo.charter import labels
from epmo.files.pdf import pdf_from_html, print_templates
from epmo.money import money_compact, number

TEMPLATES: Final = Path(__file__).resolve().parent / "templates"
_env = print_templates(TEMPLATES)


def amount(value: Decimal | float | None) -> str:
    """An amount of the case's currency (named in the table heading) in whole units, with the
    hub's thousands separator (EPMO_LOCALE; "" when unknown)."""
    return number(value, 0)


def file_name(found: ComparisonRead) -> str:
    """A download name such as ``business-case-3-epmo-2027.pdf``."""
    words = "".join(c if c.isascii() and c.isalnum() else "-" for c in found.case.title.lower())
    slug = "-".join(part for part in words.split("-") if part)[:60] or "case"
    return f"business-case-{found.case.id}-{slug}.pdf"


def to_html(found: ComparisonRead) -> str:
    """The case as a self-contained print page (no external URLs)."""
    recommended = next((o for o in found.options if o.recommended), None)
    best = next((o for o in found.options if o.id == found.best_npv_option_id), None)
    return _env.get_template("business_case/print.html").render(
        found=found, case=found.case, recommended=recommended, best=best, amount=amount,
        svg=svg_chart(found),
        practices=labels.PRACTICE_TERMS, level_labels=labels.LEVEL_LABELS)


def to_pdf(found: ComparisonRead) -> bytes:
    """The print page as PDF (no URL is fetched: ``files.pdf``)."""
    return pdf_from_html(to_html(found))


def chart_data(found: ComparisonRead) -> dict[str, Any]:
    """What the comparison chart draws: cumulative discounted net per option and year, and
    NPV per option across the benefit changes (numbers as floats, names as text)."""
    years = list(range(found.case.horizon_years + 1))
    return {
        "years": [f"Year {y}" for y in years],
        "currency": found.case.currency,
        "steps": [f"{s:+d} %" for s in found.steps_percent],
        "options": [{"name": o.name,
                     "cumulative": [float(v) for v in o.figures.cumulative_discounted_by_year],
                     "sensitivity": [float(r.npv) for r in o.sensitivity.rows]}
                    for o in found.options],
    }


COLOURS: Final = ("#206bc4", "#2fb344", "#d63939", "#f59f00", "#ae3ec9", "#17a2b8")
WIDTH, HEIGHT, LEFT, BOTTOM = 480.0, 180.0, 70.0, 20.0  # the drawing area and its margins


def svg_chart(found: ComparisonRead) -> dict[str, Any]:
    """Coordinates of the print page's chart (inline SVG: WeasyPrint runs no script): each
    option's cumulative discounted net by year, a zero line and a few labelled ticks."""
    series = [[float(v) for v in o.figures.cumulative_discounted_by_year] for o in found.options]
    values = [v for line in series for v in line] or [0.0]
    low, high = min(0.0, *values), max(0.0, *values)
    span = (high - low) or 1.0
    years = max(1, found.case.horizon_years)

    def x(year: int) -> float:
        return round(LEFT + year * WIDTH / years, 1)

    def y(value: float) -> float:
        return round((high - value) / span * HEIGHT + 5, 1)

    return {
        "width": LEFT + WIDTH + 30, "height": HEIGHT + BOTTOM + 10, "left": LEFT,
        "right": LEFT + WIDTH, "zero": y(0.0),
        "x_labels": [(x(year), y(low) + 14, f"Year {year}") for year in range(years + 1)],
        "y_labels": [(y(v), money_compact(v, found.case.currency))
                     for v in (high, low) if v != 0] + [(y(0.0), "0")],
        "lines": [{"name": o.name, "colour": COLOURS[i % len(COLOURS)],
                   "points": " ".join(f"{x(t)},{y(v)}" for t, v in enumerate(line))}
                  for i, (o, line) in enumerate(zip(found.options, series, strict=True))],
    }

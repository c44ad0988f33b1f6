"""Derived RAG from schedule and cost variance, and where it disagrees with the entered one."""

from epmo.engines.rag.engine import (
    COLOURS,
    DERIVED_DIMENSIONS,
    Band,
    Colour,
    Derived,
    Disagreement,
    Facts,
    Thresholds,
    band_colour,
    derive,
    disagreements,
    overrun_percent,
    slip_days,
    thresholds_from,
)

__all__ = [
    "COLOURS",
    "DERIVED_DIMENSIONS",
    "Band",
    "Colour",
    "Derived",
    "Disagreement",
    "Facts",
    "Thresholds",
    "band_colour",
    "derive",
    "disagreements",
    "overrun_percent",
    "slip_days",
    "thresholds_from",
]

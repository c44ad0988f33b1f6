"""Roll-up of project budgets and health over a department or goal tree."""

from epmo.engines.rollup.engine import (
    HEALTH_ORDER,
    UNKNOWN,
    Figures,
    Health,
    Rating,
    Totals,
    rollup,
    summarise,
    total,
)

__all__ = [
    "HEALTH_ORDER",
    "UNKNOWN",
    "Figures",
    "Health",
    "Rating",
    "Totals",
    "rollup",
    "summarise",
    "total",
]

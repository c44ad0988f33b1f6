"""The standard enterprise scoring model every new installation starts with."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from epmo.scoring.schemas import CriterionIn, ScoringModelCreate

ALIGNMENT_RUBRIC: Final = [
    "Serves no strategic goal, or under 20% of what serving the most important goal fully would",
    "Serves the strategy a little (20 up to 40% of the most important goal)",
    "Serves the strategy moderately (40 up to 60%)",
    "Serves the strategy strongly (60 up to 80%)",
    "Serves the most important goals fully (80% and above)",
]
VALUE_RUBRIC: Final = [
    "No measurable financial benefit",
    "Benefits below the cost",
    "Pays back its cost within the project's life",
    "Returns about twice its cost",
    "Returns three times its cost or more",
]
RISK_RUBRIC: Final = [
    "Very low: well-understood work, proven technology, few dependencies",
    "Low: minor unknowns",
    "Moderate: some new technology or several departments involved",
    "High: new technology, many dependencies or tight regulation",
    "Very high: unproven approach, critical dependencies, major exposure",
]
URGENCY_RUBRIC: Final = [
    "Can wait a year or more",
    "Desirable within a year",
    "Needed within two quarters",
    "Needed next quarter",
    "Immediate: a legal deadline or a live business problem",
]
FEASIBILITY_RUBRIC: Final = [
    "People, skills and budget are not available",
    "Major gaps in skills or capacity",
    "Gaps that can be closed in time",
    "Mostly in place",
    "Ready: people, skills and budget are available",
]


def _criterion(key: str, name: str, weight: int, rubric: list[str], **extra: object) -> CriterionIn:
    return CriterionIn.model_validate(
        {"key": key, "name": name, "weight": Decimal(weight), "rubric": rubric, **extra})


def standard_model() -> ScoringModelCreate:
    """The "standard" enterprise model: five criteria weighted 30/25/15/15/15."""
    criteria = [
        _criterion("strategic_alignment", "Strategic alignment", 30, ALIGNMENT_RUBRIC,
                   computed="alignment",
                   description="Computed from the request's goal links and the goals' weights"),
        _criterion("financial_value", "Financial value", 25, VALUE_RUBRIC,
                   description="Money value of the benefits against the cost"),
        _criterion("risk", "Risk", 15, RISK_RUBRIC, higher_is_better=False,
                   description="Delivery risk; lower is better"),
        _criterion("urgency", "Urgency", 15, URGENCY_RUBRIC,
                   description="How soon the benefit or the deadline comes"),
        _criterion("feasibility", "Feasibility", 15, FEASIBILITY_RUBRIC,
                   description="Whether people, skills and budget are there"),
    ]
    return ScoringModelCreate(
        code="standard", name="Standard enterprise scoring",
        description="The EPMO's default model for intake requests", criteria=criteria,
    )

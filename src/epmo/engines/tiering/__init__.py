"""Tier classification of projects by budget, duration, headcount and risk thresholds."""

from epmo.engines.tiering.engine import (
    DIMENSIONS,
    Classification,
    Classifier,
    ProjectFacts,
    ThresholdProblem,
    TierThresholds,
    classify,
    duration_days,
    threshold_problems,
)

__all__ = [
    "DIMENSIONS",
    "Classification",
    "Classifier",
    "ProjectFacts",
    "ThresholdProblem",
    "TierThresholds",
    "classify",
    "duration_days",
    "threshold_problems",
]

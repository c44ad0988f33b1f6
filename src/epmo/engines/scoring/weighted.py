"""Weighted scoring: criteria weights in percent summing to 100, rubric scores 1..5.

A request's score is sum(weight x score) / 100, on the rubric's 1..5 scale; ``normalised``
maps that scale linearly onto 0..100 (1 -> 0, 3 -> 50, 5 -> 100). The divisor is the actual
weight total (100 within the 0.01 tolerance), so a score never leaves 1..5 by rounding.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from epmo.engines.scoring.errors import ScoringProblem, fmt, raise_if_any

WEIGHT_TOTAL: Final = 100.0
WEIGHT_TOLERANCE: Final = 0.01
MIN_LEVEL: Final = 1.0
MAX_LEVEL: Final = 5.0


@dataclass(frozen=True, slots=True)
class Criterion:
    """A scoring criterion and its weight in percent of the whole model."""

    key: str
    weight: float


@dataclass(frozen=True, slots=True)
class WeightedScore:
    """A request's score on the 1..5 scale, the same on 0..100, and each criterion's share."""

    score: float
    normalised: float
    contributions: Mapping[str, float]


def normalise(score: float) -> float:
    """Map a 1..5 rubric score linearly onto 0..100."""
    return (score - MIN_LEVEL) / (MAX_LEVEL - MIN_LEVEL) * 100.0


def weight_problems(criteria: Sequence[Criterion]) -> list[ScoringProblem]:
    """Everything wrong with a model's criteria and weights (empty: the model is sound)."""
    if not criteria:
        return [ScoringProblem("criteria", "a scoring model needs at least one criterion")]
    found = list(_each_criterion(criteria))
    if not found:
        found.extend(_sum_problem(criteria))
    return found


def validate_criteria(criteria: Sequence[Criterion]) -> None:
    """Raise ScoringError unless keys are unique and weights are >= 0 and sum to 100."""
    raise_if_any(weight_problems(criteria))


def _each_criterion(criteria: Sequence[Criterion]) -> Iterator[ScoringProblem]:
    seen: set[str] = set()
    for index, criterion in enumerate(criteria):
        path = f"criteria[{index}]"
        if not criterion.key:
            yield ScoringProblem(f"{path}.key", "must not be empty")
        elif criterion.key in seen:
            yield ScoringProblem(f"{path}.key", f"criterion {criterion.key!r} appears twice")
        seen.add(criterion.key)
        if not math.isfinite(criterion.weight) or criterion.weight < 0:
            yield ScoringProblem(f"{path}.weight", "must be a finite number >= 0")


def _sum_problem(criteria: Sequence[Criterion]) -> list[ScoringProblem]:
    total = math.fsum(c.weight for c in criteria)
    if abs(total - WEIGHT_TOTAL) <= WEIGHT_TOLERANCE:
        return []
    listing = ", ".join(f"{c.key} {fmt(c.weight)}" for c in criteria)
    message = (f"weights must sum to 100 (tolerance {WEIGHT_TOLERANCE}) but "
               f"{listing} sum to {fmt(total)}")
    return [ScoringProblem("weights", message)]


def score_problems(
    criteria: Sequence[Criterion], scores: Mapping[str, float], path: str = "scores"
) -> list[ScoringProblem]:
    """Everything wrong with one sheet of scores against the model's criteria."""
    keys = {c.key for c in criteria}
    found = [ScoringProblem(f"{path}.{k}", "is not a criterion of the model")
             for k in sorted(scores) if k not in keys]
    for criterion in criteria:
        value = scores.get(criterion.key)
        if value is None:
            found.append(ScoringProblem(f"{path}.{criterion.key}", "has no score"))
        elif not MIN_LEVEL <= value <= MAX_LEVEL:
            found.append(ScoringProblem(f"{path}.{criterion.key}",
                                        f"score {fmt(value)} is outside the rubric's 1..5"))
    return found


def weighted_score(criteria: Sequence[Criterion], scores: Mapping[str, float]) -> WeightedScore:
    """Score one request: sum(weight x score) / 100, with every input checked first."""
    raise_if_any([*weight_problems(criteria), *score_problems(criteria, scores)])
    return combine_weighted(criteria, scores)


def combine_weighted(criteria: Sequence[Criterion], scores: Mapping[str, float]) -> WeightedScore:
    """The weighted score of already validated criteria and scores."""
    divisor = math.fsum(c.weight for c in criteria)
    parts = {c.key: c.weight * scores[c.key] / divisor for c in criteria}
    total = math.fsum(parts.values())
    return WeightedScore(total, normalise(total), MappingProxyType(parts))

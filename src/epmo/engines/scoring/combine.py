"""Several scorers per request: combine each criterion by mean or median, and show the spread.

Spread is the minimum, maximum and population standard deviation (0 for a single scorer),
per criterion over the scorers' scores and overall over each scorer's own weighted score.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from epmo.engines.scoring.errors import ScoringProblem, raise_if_any
from epmo.engines.scoring.weighted import (
    Criterion,
    WeightedScore,
    combine_weighted,
    score_problems,
    weight_problems,
)

Method = Literal["mean", "median"]
Sheet = Mapping[str, float]  # one scorer's score per criterion key


@dataclass(frozen=True, slots=True)
class Spread:
    """How far scorers disagree: lowest, highest and population standard deviation."""

    minimum: float
    maximum: float
    stdev: float


@dataclass(frozen=True, slots=True)
class CriterionSummary:
    """One criterion's combined score and the spread of the scorers' scores."""

    key: str
    combined: float
    spread: Spread


@dataclass(frozen=True, slots=True)
class CombinedScore:
    """The request's combined score, per-criterion summaries and the overall spread."""

    method: Method
    scorers: int
    criteria: tuple[CriterionSummary, ...]
    score: WeightedScore
    overall: Spread


def spread(values: Sequence[float]) -> Spread:
    """Minimum, maximum and population standard deviation of at least one value."""
    return Spread(min(values), max(values), statistics.pstdev(values))


def central(values: Sequence[float], method: Method) -> float:
    """The mean or the median of at least one value."""
    if method == "median":
        return float(statistics.median(values))
    return statistics.fmean(values)


def sheet_problems(
    criteria: Sequence[Criterion], sheets: Sequence[Sheet], method: str
) -> list[ScoringProblem]:
    """Everything wrong with a model, a method and the scorers' sheets."""
    found = weight_problems(criteria)
    if method not in ("mean", "median"):
        found.append(ScoringProblem("method", f"{method!r} is neither 'mean' nor 'median'"))
    if not sheets:
        found.append(ScoringProblem("sheets", "needs at least one scorer's scores"))
    for index, sheet in enumerate(sheets):
        found.extend(score_problems(criteria, sheet, f"sheets[{index}]"))
    return found


def combine_scores(
    criteria: Sequence[Criterion], sheets: Sequence[Sheet], method: Method = "mean"
) -> CombinedScore:
    """Combine scorers' sheets per criterion (mean or median) and weigh the result."""
    raise_if_any(sheet_problems(criteria, sheets, method))
    summaries = tuple(_summarise(c.key, sheets, method) for c in criteria)
    combined = {s.key: s.combined for s in summaries}
    own = [combine_weighted(criteria, sheet).score for sheet in sheets]
    score = combine_weighted(criteria, combined)
    return CombinedScore(method, len(sheets), summaries, score, spread(own))


def _summarise(key: str, sheets: Sequence[Sheet], method: Method) -> CriterionSummary:
    values = [sheet[key] for sheet in sheets]
    return CriterionSummary(key, central(values, method), spread(values))

"""A ranked list of requests by score with a minimum-score threshold.

Higher scores come first; equal scores are ordered by id, so the order is stable and
reproducible. Requests scoring below the threshold are listed apart, in the same order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from epmo.engines.scoring.errors import ScoringProblem, raise_if_any


@dataclass(frozen=True, slots=True)
class Ranked:
    """A request's id, score and 1-based position in the whole ordering."""

    id: int
    score: float
    position: int


@dataclass(frozen=True, slots=True)
class Ranking:
    """Requests at or above the threshold, then those below it, both best first."""

    minimum: float
    ranked: tuple[Ranked, ...]
    below: tuple[Ranked, ...]


def rank(scores: Mapping[int, float], minimum: float = 0.0) -> Ranking:
    """Order requests by score (ties by id) and split them at the minimum score."""
    found = [ScoringProblem(f"scores[{k}]", "must be a finite number")
             for k, v in sorted(scores.items()) if not math.isfinite(v)]
    if not math.isfinite(minimum):
        found.append(ScoringProblem("minimum", "must be a finite number"))
    raise_if_any(found)
    order = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    listed = [Ranked(k, v, n) for n, (k, v) in enumerate(order, start=1)]
    above = tuple(r for r in listed if r.score >= minimum)
    return Ranking(minimum, above, tuple(r for r in listed if r.score < minimum))

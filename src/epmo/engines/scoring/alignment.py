"""Strategic alignment of a request from its goal links and the goals' weights.

Goals form a tree: each has a parent (None for a top-level goal) and a weight in percent of
its siblings. A goal's effective weight is the product of its own and its ancestors' weights
as fractions. ``share`` is sum(contribution/100 x effective weight) x 100: the percentage of
the enterprise's whole strategy the request serves. ``score`` measures the same against the
heaviest single goal (serving the most important goal fully scores 100), capped at 100.
Rubric level cut-offs on ``score`` (ALIGNMENT_CUTOFFS): below 20 -> 1, 20 up to 40 -> 2,
40 up to 60 -> 3, 60 up to 80 -> 4, 80 and above -> 5.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from epmo.engines.scoring.errors import ScoringProblem, fmt, raise_if_any

GoalTree = Mapping[int, tuple[int | None, float]]  # goal id -> (parent id, weight percent)
ALIGNMENT_CUTOFFS: Final = (20.0, 40.0, 60.0, 80.0)


@dataclass(frozen=True, slots=True)
class GoalLink:
    """A request serves a goal; contribution is how much of that goal, 0..100."""

    goal_id: int
    contribution: float


@dataclass(frozen=True, slots=True)
class Alignment:
    """Alignment score 0..100, its 1..5 rubric level, enterprise share and per-goal parts."""

    score: float
    level: int
    share: float
    parts: Mapping[int, float]


def goal_problems(goals: GoalTree) -> list[ScoringProblem]:
    """Everything wrong with a goal tree: weights outside 0..100, unknown parents, cycles."""
    found: list[ScoringProblem] = []
    for goal_id, (parent, weight) in sorted(goals.items()):
        if not math.isfinite(weight) or not 0 <= weight <= 100:
            found.append(ScoringProblem(f"goals[{goal_id}].weight",
                                        f"weight {fmt(weight)} is outside 0..100"))
        if parent is not None and parent not in goals:
            found.append(ScoringProblem(f"goals[{goal_id}].parent",
                                        f"parent goal {parent} is unknown"))
    if not found:
        found.extend(_cycle_problems(goals))
    return found


def _cycle_problems(goals: GoalTree) -> Iterator[ScoringProblem]:
    for goal_id in sorted(goals):
        if _in_cycle(goal_id, goals):
            yield ScoringProblem(f"goals[{goal_id}].parent", "goal is its own ancestor")


def _in_cycle(goal_id: int, goals: GoalTree) -> bool:
    seen: set[int] = set()
    current: int | None = goal_id
    while current is not None:
        if current in seen:
            return current == goal_id
        seen.add(current)
        current = goals[current][0]
    return False


def effective_weights(goals: GoalTree) -> dict[int, float]:
    """Each goal's weight times its ancestors' weights, as a fraction of the enterprise."""
    raise_if_any(goal_problems(goals))
    found: dict[int, float] = {}
    for goal_id in goals:
        _effective(goal_id, goals, found)
    return found


def _effective(goal_id: int, goals: GoalTree, found: dict[int, float]) -> float:
    if goal_id not in found:
        parent, weight = goals[goal_id]
        above = 1.0 if parent is None else _effective(parent, goals, found)
        found[goal_id] = above * weight / 100.0
    return found[goal_id]


def alignment_level(score: float, cutoffs: Sequence[float] = ALIGNMENT_CUTOFFS) -> int:
    """The 1..5 rubric level of an alignment score: 1 plus the number of cut-offs reached."""
    return 1 + sum(1 for cut in cutoffs if score >= cut)


def link_problems(links: Sequence[GoalLink], goals: GoalTree) -> list[ScoringProblem]:
    """Everything wrong with a request's goal links: unknown or repeated goals, bad amounts."""
    found: list[ScoringProblem] = []
    seen: set[int] = set()
    for index, link in enumerate(links):
        path = f"links[{index}]"
        if link.goal_id not in goals:
            found.append(ScoringProblem(f"{path}.goal_id", f"goal {link.goal_id} is unknown"))
        elif link.goal_id in seen:
            found.append(ScoringProblem(f"{path}.goal_id", f"goal {link.goal_id} linked twice"))
        seen.add(link.goal_id)
        if not math.isfinite(link.contribution) or not 0 <= link.contribution <= 100:
            found.append(ScoringProblem(f"{path}.contribution",
                                        f"contribution {fmt(link.contribution)} is outside "
                                        "0..100"))
    return found


def alignment(
    links: Sequence[GoalLink], goals: GoalTree, cutoffs: Sequence[float] = ALIGNMENT_CUTOFFS
) -> Alignment:
    """Alignment of a request with the enterprise's goals: score 0..100 and rubric level."""
    raise_if_any([*goal_problems(goals), *link_problems(links, goals)])
    weights = effective_weights(goals)
    parts = {k.goal_id: k.contribution / 100.0 * weights[k.goal_id] for k in links}
    share = math.fsum(parts.values()) * 100.0
    heaviest = max(weights.values(), default=0.0)
    score = min(100.0, share / heaviest) if heaviest > 0 else 0.0
    return Alignment(score, alignment_level(score, cutoffs), share, MappingProxyType(parts))

"""The efficient frontier: best value at each budget level, never decreasing with budget."""

from __future__ import annotations

from dataclasses import dataclass, replace

from epmo.engines.optimizer.model import Problem, Status, validate
from epmo.engines.optimizer.solver import solve


@dataclass(frozen=True)
class FrontierPoint:
    """Best portfolio when every budget line is scaled by ``scale``."""

    scale: float
    total_budget: float
    value: float
    selected: tuple[int, ...]
    status: Status


def frontier(problem: Problem, points: int = 20) -> list[FrontierPoint]:
    """Best value at ``points`` budget levels from the mandatory spend up to the full budgets."""
    validate(problem)
    lowest = _lowest_scale(problem)
    scales = [lowest + (1.0 - lowest) * k / max(1, points - 1) for k in range(points)]
    per_point = replace(problem, time_limit=problem.time_limit / max(1, points))
    found: list[FrontierPoint] = []
    for scale in scales:
        found.append(_point(per_point, scale, found[-1] if found else None))
    return found


def _lowest_scale(problem: Problem) -> float:
    """The smallest budget scale the mandatory items fit in (clamped to [0, 1])."""
    need = 0.0
    for line, limit in problem.budgets.items():
        spend = sum(item.costs.get(line, 0.0) for item in problem.items if item.mandatory)
        need = max(need, spend / limit if limit > 0 else (0.0 if spend == 0 else 1.0))
    return min(1.0, need)


def _point(problem: Problem, scale: float, previous: FrontierPoint | None) -> FrontierPoint:
    budgets = {line: limit * scale for line, limit in problem.budgets.items()}
    scaled = replace(problem, budgets=budgets)
    start = frozenset(previous.selected) if previous else None
    solution = solve(scaled, start=start)
    total = sum(budgets.values())
    if previous is not None and previous.value > solution.value:
        # a time-limited solve fell short: the smaller budget's portfolio still fits here
        return FrontierPoint(scale, total, previous.value, previous.selected, "feasible")
    return FrontierPoint(scale, total, solution.value, solution.selected, solution.status)

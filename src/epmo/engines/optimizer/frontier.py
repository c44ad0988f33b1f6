"""The efficient frontier: best value at each budget level, never decreasing with budget.

One HiGHS model serves every point: between points only the budget rows' upper bounds change.
The lowest level is the smallest budget scale at which any portfolio keeps every rule (its own
small MILP, which also gives that portfolio); each point starts from the previous point's
portfolio, which still fits when the budgets grow, so every point has a portfolio as soon as
the lowest one does.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import highspy

from epmo.engines.optimizer.heuristic import heuristic
from epmo.engines.optimizer.model import Problem, Status, validate
from epmo.engines.optimizer.rows import Compiled, compile_rows, rescaled, row_usage
from epmo.engines.optimizer.solver import HEURISTIC_MAX, HEURISTIC_SHARE, INF, build, optimise

FEASIBLE = 2  # highspy's kSolutionStatusFeasible


@dataclass(frozen=True)
class FrontierPoint:
    """Best portfolio when every budget line is scaled by ``scale``."""

    scale: float
    total_budget: float
    value: float
    selected: tuple[int, ...]
    status: Status


def frontier(problem: Problem, points: int = 20) -> list[FrontierPoint]:
    """Best value at ``points`` budget levels from the lowest feasible spend to the full budgets."""
    validate(problem)
    compiled = compile_rows(problem)
    share = problem.time_limit / (max(1, points) + 1)  # the lowest-scale search gets one share
    lowest, start = _lowest(problem, compiled, share)
    scales = [lowest + (1.0 - lowest) * k / max(1, points - 1) for k in range(points)]
    per_point = replace(problem, time_limit=(problem.time_limit - share) / max(1, points))
    highs = build(problem, compiled)
    found: list[FrontierPoint] = []
    for scale in scales:
        point = _point(highs, per_point, compiled, scale, start, found[-1] if found else None)
        found.append(point)
        if point.selected:
            start = {compiled.index[i] for i in point.selected}
    return found


def _mandatory_scale(problem: Problem) -> float:
    """The smallest budget scale the mandatory items fit in (clamped to [0, 1])."""
    need = 0.0
    for line, limit in problem.budgets.items():
        spend = sum(item.costs.get(line, 0.0) for item in problem.items if item.mandatory)
        need = max(need, spend / limit if limit > 0 else (0.0 if spend == 0 else 1.0))
    return min(1.0, need)


def _needed_scale(problem: Problem, compiled: Compiled, chosen: set[int]) -> float:
    """The smallest budget scale at which the selection (item indices) fits every budget."""
    used = row_usage(compiled, chosen)
    need = 0.0
    for r, limit in enumerate(problem.budgets.values()):
        need = max(need, used[r] / limit if limit > 0 else 0.0)
    return min(1.0, need)


def _lowest(problem: Problem, compiled: Compiled,
            seconds: float) -> tuple[float, set[int] | None]:
    """The smallest budget scale with a portfolio keeping every rule, and that portfolio.

    A MILP on the same rows: minimise s with every budget row's limit multiplied by s, started
    from the greedy portfolio at the full budgets (so it ends with a portfolio whenever the
    greedy finds one). When it finds nothing in its time, the mandatory items' share (the old
    lower end) is used.
    """
    if not problem.budgets:
        return 1.0, None
    greedy = heuristic(problem, compiled, min(HEURISTIC_MAX, HEURISTIC_SHARE * seconds))
    highs = build(problem, compiled)
    n = len(problem.items)
    highs.addVar(0.0, 1.0)
    highs.changeColsCost(n + 1, list(range(n + 1)), [0.0] * n + [-1.0])
    for r, limit in enumerate(problem.budgets.values()):
        highs.changeCoeff(r, n, -float(limit))
        highs.changeRowBounds(r, -INF, 0.0)
    if greedy is not None:
        start = highspy.HighsSolution()
        start.col_value = [1.0 if j in greedy else 0.0 for j in range(n)]
        start.col_value.append(_needed_scale(problem, compiled, greedy))
        start.value_valid = True
        highs.setSolution(start)
    highs.setOptionValue("time_limit", max(0.01, seconds))
    highs.setOptionValue("threads", int(problem.threads))
    highs.setOptionValue("random_seed", int(problem.seed))
    highs.run()
    found = [greedy] if greedy is not None else []
    if highs.getInfo().primal_solution_status == FEASIBLE:
        found.append({j for j, x in enumerate(highs.getSolution().col_value[:n]) if x > 0.5})
    if not found:
        return _mandatory_scale(problem), None
    chosen = min(found, key=lambda each: _needed_scale(problem, compiled, each))
    return _needed_scale(problem, compiled, chosen), chosen


def _point(highs: highspy.Highs, problem: Problem, compiled: Compiled, scale: float,
           start: set[int] | None, previous: FrontierPoint | None) -> FrontierPoint:
    began = time.monotonic()
    budgets = {line: limit * scale for line, limit in problem.budgets.items()}
    for r, limit in enumerate(budgets.values()):
        highs.changeRowBounds(r, -INF, float(limit))
    scaled = replace(problem, budgets=budgets)
    outcome = optimise(highs, scaled, rescaled(compiled, budgets), start,
                       began + problem.time_limit)
    total = sum(budgets.values())
    selected = tuple(sorted(problem.items[j].id for j in outcome.chosen))
    status: Status = outcome.status if outcome.proven else "unknown"
    if previous is not None and previous.value > outcome.value:
        # a time-limited solve fell short: the smaller budget's portfolio still fits here
        return FrontierPoint(scale, total, previous.value, previous.selected, "feasible")
    return FrontierPoint(scale, total, outcome.value, selected, status)

"""Kernel search and the frontier: exact answers, every rule kept, every frontier point feasible."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from epmo.engines.optimizer import Balance, Item, Problem, frontier, solve, violations
from epmo.engines.optimizer.kernel import KERNEL_MIN, kernel_search
from epmo.engines.optimizer.rows import compile_rows
from epmo.engines.optimizer.solver import build
from tests.engines.test_optimizer import CAP, brute_force, feasible, problems


def knapsack_optimum(values: list[int], costs: list[int], budget: int,
                     mandatory: set[int], excluded: set[int]) -> int | None:
    """Exact optimum of a one-budget knapsack by dynamic programming over the spend."""
    fixed = sum(costs[j] for j in mandatory)
    if fixed > budget:
        return None
    room = budget - fixed
    best = [0] * (room + 1)
    for j, (value, cost) in enumerate(zip(values, costs, strict=True)):
        if j in mandatory or j in excluded:
            continue
        for spend in range(room, cost - 1, -1):
            best[spend] = max(best[spend], best[spend - cost] + value)
    return best[room] + sum(values[j] for j in mandatory)


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 10_000))
def test_engine_is_exact_beyond_the_kernel_threshold(seed: int) -> None:
    """Problems large enough for the kernel search (n > KERNEL_MIN) still end at the optimum
    that dynamic programming knows, with the status optimal."""
    rng = random.Random(seed)
    n = rng.randint(KERNEL_MIN + 1, 45)
    values = [rng.randint(1, 60) for _ in range(n)]
    costs = [rng.randint(1, 40) for _ in range(n)]
    budget = sum(costs) // rng.randint(2, 4)
    mandatory, excluded = {0}, {1}
    items = tuple(Item(j, float(values[j]), {"2027": float(costs[j])},
                       mandatory=j in mandatory, excluded=j in excluded) for j in range(n))
    solution = solve(Problem(items, {"2027": float(budget)}, time_limit=5.0))
    best = knapsack_optimum(values, costs, budget, mandatory, excluded)
    assert best is not None
    assert solution.status == "optimal"
    assert solution.value == pytest.approx(best)
    assert solution.bound == pytest.approx(best)


@settings(max_examples=60, deadline=None)
@given(problems())
def test_kernel_search_alone_keeps_every_rule_and_never_loses_the_start(problem: Problem) -> None:
    """The search itself (forced on small problems) returns only portfolios that keep every
    rule; on brute-force sizes it ends at the optimum or below it, never above."""
    compiled = compile_rows(problem)
    highs = build(problem, compiled)
    values = [item.value for item in problem.items]
    upper = [0.0 if item.excluded else 1.0 for item in problem.items]
    searched = kernel_search(highs, values, upper, None, 2.0, smallest=0)
    best = brute_force(problem)
    if searched.best is None:
        return
    chosen = frozenset(problem.items[j].id for j in searched.best)
    assert feasible(problem, chosen)
    assert best is not None and sum(values[j] for j in searched.best) <= best + 1e-6
    assert searched.lp_bound >= best - 1e-6
    lower, up = highs.getLp().col_lower_, highs.getLp().col_upper_
    assert list(up) == upper  # the shared model's bounds are put back
    assert list(lower) == [1.0 if item.mandatory else 0.0 for item in problem.items]


def test_kernel_search_improves_a_poor_start() -> None:
    rng = random.Random(7)
    n = 60
    items = tuple(Item(j, float(rng.randint(1, 50)), {"2027": float(rng.randint(1, 30))},
                       {CAP: float(rng.randint(0, 5))}) for j in range(n))
    problem = Problem(items, {"2027": 300.0}, {CAP: 40.0})
    compiled = compile_rows(problem)
    highs = build(problem, compiled)
    values = [item.value for item in items]
    searched = kernel_search(highs, values, [1.0] * n, {0}, 5.0)
    assert searched.best is not None
    assert violations(problem, [items[j].id for j in searched.best]) == []
    assert sum(values[j] for j in searched.best) > values[0]


def _unbalanced_mandatory(seed: int) -> Problem:
    """Mandatory items all outside the tag that needs a minimum share: at their own spend the
    mandatory set alone breaks the balance rule, so the old lowest frontier point failed."""
    rng = random.Random(seed)
    n = rng.randint(8, 40)
    items = tuple(Item(j, float(rng.randint(1, 40)), {"2027": float(rng.randint(1, 20)),
                                                      "2028": float(rng.randint(0, 20))},
                       {CAP: float(rng.randint(0, 4))}, mandatory=j < 2,
                       groups=frozenset({"it"}) if j % 3 == 2 else frozenset())
                  for j in range(n))
    requires = ((5, 2),) if n > 5 else ()
    exclusive = (frozenset({3, 4}),)
    return Problem(items, {"2027": 6.0 * n, "2028": 5.0 * n}, {CAP: 1.2 * n}, requires,
                   exclusive, (Balance("it", 0.3, 0.7),), time_limit=4.0)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000))
def test_every_frontier_point_has_a_portfolio_when_any_does(seed: int) -> None:
    problem = _unbalanced_mandatory(seed)
    whole = solve(problem)
    points = frontier(problem, points=8)
    assert len(points) == 8
    if whole.status == "infeasible":
        return
    for point in points:
        assert point.status in ("optimal", "feasible")
        assert point.selected
        scaled = {line: limit * point.scale for line, limit in problem.budgets.items()}
        shrunk = Problem(problem.items, scaled, problem.capacity, problem.requires,
                         problem.exclusive, problem.balance)
        assert feasible(shrunk, frozenset(point.selected))
    values = [p.value for p in points]
    assert values == sorted(values)
    assert points[-1].scale == pytest.approx(1.0)
    assert points[-1].value <= whole.bound + 1e-6
    if points[-1].status == whole.status == "optimal":  # each point has time_limit / 8 only
        assert points[-1].value == pytest.approx(whole.value)


@settings(max_examples=40, deadline=None)
@given(problems())
def test_frontier_points_keep_every_rule_and_start_where_a_portfolio_fits(
        problem: Problem) -> None:
    points = frontier(problem, points=5)
    if brute_force(problem) is None:
        return
    for point in points:
        scaled = {line: limit * point.scale for line, limit in problem.budgets.items()}
        shrunk = Problem(problem.items, scaled, problem.capacity, problem.requires,
                         problem.exclusive, problem.balance)
        assert point.status in ("optimal", "feasible")
        assert feasible(shrunk, frozenset(point.selected))
        assert point.value == pytest.approx(brute_force(shrunk))

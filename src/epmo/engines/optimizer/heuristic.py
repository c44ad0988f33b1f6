"""A cheap primal heuristic: greedy by value per weighted cost, then 1-1 swaps and refills."""

from __future__ import annotations

import time
from dataclasses import dataclass

from epmo.engines.optimizer.model import Problem
from epmo.engines.optimizer.rows import TOLERANCE, Compiled, balance_violations, row_usage


@dataclass
class _State:
    problem: Problem
    compiled: Compiled
    residual: list[float]
    chosen: set[int]
    needs: list[set[int]]  # item index -> item indices it requires
    needed_by: list[set[int]]  # item index -> item indices that require it
    rivals: list[set[int]]  # item index -> item indices it is mutually exclusive with


def heuristic(problem: Problem, compiled: Compiled, seconds: float) -> set[int] | None:
    """A feasible selection (item indices) found greedily and improved by swaps, or None."""
    state = _start(problem, compiled)
    if state is None:
        return None
    order = _order(problem, compiled)
    _fill(state, order)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and _swap(state, order):
        _fill(state, order)
    names = {problem.items[j].id for j in state.chosen}
    # mandatory items enter unchecked: they may break a rule nothing added afterwards mends
    broken = (any(b in names and a not in names for b, a in problem.requires)
              or any(len(group & names) > 1 for group in problem.exclusive))
    return None if broken or balance_violations(problem, names) else state.chosen


def _start(problem: Problem, compiled: Compiled) -> _State | None:
    n = len(problem.items)
    chosen = {j for j, item in enumerate(problem.items) if item.mandatory}
    used = row_usage(compiled, chosen)
    residual = [row.limit - u for row, u in zip(compiled.rows, used, strict=True)]
    if any(r < -TOLERANCE * max(1.0, row.limit) for r, row in zip(residual, compiled.rows,
                                                                   strict=True)):
        return None
    needs: list[set[int]] = [set() for _ in range(n)]
    needed_by: list[set[int]] = [set() for _ in range(n)]
    for b, a in problem.requires:
        needs[compiled.index[b]].add(compiled.index[a])
        needed_by[compiled.index[a]].add(compiled.index[b])
    rivals: list[set[int]] = [set() for _ in range(n)]
    for group in problem.exclusive:
        members = {compiled.index[i] for i in group}
        for j in members:
            rivals[j] |= members - {j}
    return _State(problem, compiled, residual, chosen, needs, needed_by, rivals)


def _order(problem: Problem, compiled: Compiled) -> list[int]:
    """Free candidates, best value per normalised weighted cost first."""
    scale = [1.0 / max(row.limit, 1e-9) for row in compiled.rows]

    def ratio(j: int) -> float:
        weight = sum(c * scale[r] for r, c in compiled.uses[j])
        return problem.items[j].value / (weight + 1e-9)

    free = [j for j, item in enumerate(problem.items)
            if not item.excluded and not item.mandatory and item.value > 0]
    return sorted(free, key=ratio, reverse=True)


def _fits(state: _State, j: int, out: int = -1) -> bool:
    rows = state.compiled.rows
    for r, c in state.compiled.uses[j]:
        room = state.residual[r] + (rows[r].coef.get(out, 0.0) if out >= 0 else 0.0)
        if c > room + TOLERANCE * max(1.0, rows[r].limit):
            return False
    kept = state.chosen - {out}
    return state.needs[j] <= kept and not state.rivals[j] & kept


def _move(state: _State, j: int, sign: float) -> None:
    for r, c in state.compiled.uses[j]:
        state.residual[r] -= sign * c
    if sign > 0:
        state.chosen.add(j)
    else:
        state.chosen.discard(j)


def _fill(state: _State, order: list[int]) -> None:
    for j in order:
        if j not in state.chosen and _fits(state, j):
            _move(state, j, 1.0)


def _swap(state: _State, order: list[int]) -> bool:
    """Make the first 1-1 swap that raises the value; report whether one was made."""
    items = state.problem.items
    removable = [k for k in state.chosen if not items[k].mandatory and not state.needed_by[k]]
    for j in order:
        if j in state.chosen:
            continue
        for k in removable:
            if items[k].value < items[j].value - 1e-9 and _fits(state, j, k):
                _move(state, k, -1.0)
                _move(state, j, 1.0)
                return True
    return False

"""The selection MILP in HiGHS: binary x_j, maximise value under every line and rule."""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass

import highspy

from epmo.engines.optimizer.explain import conflicts, explain
from epmo.engines.optimizer.heuristic import heuristic
from epmo.engines.optimizer.kernel import kernel_search, warm_start
from epmo.engines.optimizer.model import Problem, Solution, Status, validate
from epmo.engines.optimizer.rows import Compiled, compile_rows, violations

INF = highspy.kHighsInf
HEURISTIC_SHARE = 0.05  # of the time limit, at most HEURISTIC_MAX seconds
HEURISTIC_MAX = 1.0
KERNEL_SHARE = 0.7  # of the time left after the greedy start, for the kernel search
_BANNER_LOCK = threading.Lock()
_banner_shown = False


@dataclass(frozen=True)
class Outcome:
    status: Status
    chosen: frozenset[int]
    value: float
    bound: float
    proven: bool = True  # False: the time limit ran out before any portfolio was found


def solve(problem: Problem, start: frozenset[int] | None = None) -> Solution:
    """Select the items of greatest value that keep every line and rule (``start``: item ids)."""
    validate(problem)
    began = time.monotonic()
    compiled = compile_rows(problem)
    outcome = _optimise(problem, compiled, start, began)
    seconds = time.monotonic() - began
    if outcome.status == "infeasible" and not outcome.proven:
        why = (f"no feasible portfolio found within the {problem.time_limit:g} s time limit; "
               "infeasibility is not proven",)
        return Solution("unknown", (), 0.0, 0.0, 0.0, seconds, conflicts=why)
    if outcome.status == "infeasible":
        return Solution("infeasible", (), 0.0, 0.0, 0.0, seconds, conflicts=conflicts(problem))
    gap = abs(outcome.bound - outcome.value) / max(1e-9, abs(outcome.value))
    selected = tuple(sorted(problem.items[j].id for j in outcome.chosen))
    return explain(problem, compiled, selected, outcome.value, outcome.bound,
                   outcome.status, gap, seconds)


def _optimise(problem: Problem, compiled: Compiled, start: frozenset[int] | None,
              began: float) -> Outcome:
    highs = build(problem, compiled)
    given = ({compiled.index[i] for i in start}
             if start is not None and not violations(problem, start) else None)
    return optimise(highs, problem, compiled, given, began + problem.time_limit)


def optimise(highs: highspy.Highs, problem: Problem, compiled: Compiled,
             given: set[int] | None, deadline: float) -> Outcome:
    """Greedy start, kernel search, then HiGHS on the whole model until ``deadline``.

    ``highs`` is the model of ``problem`` (the frontier rescales its budget rows in place);
    ``given`` is a feasible selection (item indices) to start from, if any. The bound is the
    least of the LP bound and the one HiGHS proves on the whole model, so it holds whatever the
    kernel search found.
    """
    seconds = min(HEURISTIC_MAX, HEURISTIC_SHARE * problem.time_limit)
    found = [chosen for chosen in (heuristic(problem, compiled, seconds), given)
             if chosen is not None]
    warm = max(found, key=lambda chosen: _worth(problem, chosen)) if found else None
    _configure(highs, problem, problem.time_limit)
    values = [item.value for item in problem.items]
    upper = [0.0 if item.excluded else 1.0 for item in problem.items]
    searched = kernel_search(highs, values, upper, warm,
                             KERNEL_SHARE * (deadline - time.monotonic()))
    highs.setOptionValue("time_limit", max(0.01, deadline - time.monotonic()))
    if searched.best is not None:
        warm_start(highs, len(problem.items), searched.best)
    highs.run()
    return _read(highs, problem, searched.best, searched.lp_bound)


def _worth(problem: Problem, chosen: set[int] | frozenset[int]) -> float:
    return float(sum(problem.items[j].value for j in chosen))


def quiet_highs() -> highspy.Highs:
    """A silent HiGHS instance.

    highspy prints its banner from C++ to file descriptor 1 when the first instance of a
    process is made, before any option can be set; the CLI's output and a server's log would
    carry it, so the first construction runs with descriptor 1 pointed at /dev/null.
    """
    global _banner_shown
    with _BANNER_LOCK:
        if _banner_shown:
            highs = highspy.Highs()  # type: ignore[no-untyped-call]
        else:
            highs = _constructed_silently()
            _banner_shown = True
    highs.setOptionValue("output_flag", False)
    return highs


def _constructed_silently() -> highspy.Highs:
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            return highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def build(problem: Problem, compiled: Compiled) -> highspy.Highs:
    """The HiGHS model of the problem (maximisation, binary columns, one row per rule)."""
    highs = quiet_highs()
    n = len(problem.items)
    lower = [1.0 if item.mandatory else 0.0 for item in problem.items]
    upper = [0.0 if item.excluded else 1.0 for item in problem.items]
    highs.addVars(n, lower, upper)
    highs.changeColsCost(n, list(range(n)), [item.value for item in problem.items])
    highs.changeColsIntegrality(
        n, list(range(n)), [highspy.HighsVarType.kInteger] * n,  # type: ignore[arg-type]
    )
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
    for row in compiled.rows:
        _row(highs, -INF, row.limit, row.coef)
    for b, a in problem.requires:
        _row(highs, -INF, 0.0, {compiled.index[b]: 1.0, compiled.index[a]: -1.0})
    for group in problem.exclusive:
        _row(highs, -INF, 1.0, {compiled.index[i]: 1.0 for i in group})
    _balance_rows(highs, problem)
    return highs


def _balance_rows(highs: highspy.Highs, problem: Problem) -> None:
    """tagged >= min * total and tagged <= max * total, as rows over each item's spend."""
    for rule in problem.balance:
        tagged = [1.0 if rule.tag in item.groups else 0.0 for item in problem.items]
        spend = [item.spend for item in problem.items]
        low = {j: (t - rule.min_share) * s for j, (t, s) in enumerate(zip(tagged, spend,
                                                                          strict=True))}
        high = {j: (t - rule.max_share) * s for j, (t, s) in enumerate(zip(tagged, spend,
                                                                           strict=True))}
        _row(highs, 0.0, INF, low)
        _row(highs, -INF, 0.0, high)


def _row(highs: highspy.Highs, lower: float, upper: float, coef: dict[int, float]) -> None:
    nonzero = {j: c for j, c in coef.items() if c}
    highs.addRow(lower, upper, len(nonzero), list(nonzero), list(nonzero.values()))


def _configure(highs: highspy.Highs, problem: Problem, seconds: float) -> None:
    highs.setOptionValue("time_limit", float(seconds))
    highs.setOptionValue("mip_rel_gap", float(problem.mip_gap))
    highs.setOptionValue("threads", int(problem.threads))
    highs.setOptionValue("random_seed", int(problem.seed))


def _read(highs: highspy.Highs, problem: Problem, warm: set[int] | None,
          lp_bound: float) -> Outcome:
    status = highs.getModelStatus()
    info = highs.getInfo()
    has_point = info.primal_solution_status == 2  # kSolutionStatusFeasible
    if status == highspy.HighsModelStatus.kInfeasible:
        return Outcome("infeasible", frozenset(), 0.0, 0.0)
    if not (has_point or warm is not None):
        return Outcome("infeasible", frozenset(), 0.0, 0.0, proven=False)
    optimal = status == highspy.HighsModelStatus.kOptimal
    points = [frozenset(warm)] if warm is not None else []
    if has_point:
        points.append(frozenset(j for j, x in enumerate(highs.getSolution().col_value)
                                if x > 0.5))
    chosen = max(points, key=lambda point: _worth(problem, point))
    value = _worth(problem, chosen)
    proven = min(info.mip_dual_bound, lp_bound)
    bound = value if optimal and problem.mip_gap == 0 else max(value, proven)
    return Outcome("optimal" if optimal else "feasible", chosen, value, bound)

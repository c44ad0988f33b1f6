"""A core-problem start: fix the items the LP relaxation is sure about, solve the rest exactly."""

from __future__ import annotations

from collections.abc import Callable

import highspy

CORE_SHARE = 0.35  # of the items left free (0.3 and 0.45, or growing cores, did worse)
CORE_MIN = 24


def core_start(build: Callable[[], highspy.Highs], n: int, seconds: float) -> set[int] | None:
    """Item indices of the best core-problem solution found in ``seconds``, or None."""
    if n <= CORE_MIN:
        return None
    relaxed = build()
    relaxed.changeColsIntegrality(
        n, list(range(n)), [highspy.HighsVarType.kContinuous] * n,  # type: ignore[arg-type]
    )
    relaxed.setOptionValue("time_limit", seconds / 4)
    relaxed.run()
    if relaxed.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    lp = relaxed.getSolution()
    return _solve_core(build(), list(lp.col_value), list(lp.col_dual), seconds)


def _solve_core(highs: highspy.Highs, values: list[float], duals: list[float],
                seconds: float) -> set[int] | None:
    """Fix every item outside the core at its rounded LP value; solve the core MILP."""
    n = len(values)
    size = max(CORE_MIN, int(CORE_SHARE * n))
    # items whose reduced cost is nearest zero are the ones the LP is least sure about
    core = set(sorted(range(n), key=lambda j: (abs(duals[j]), abs(values[j] - 0.5)))[:size])
    fixed = [j for j in range(n) if j not in core]
    rounded = [1.0 if values[j] > 0.5 else 0.0 for j in fixed]
    lower, upper = highs.getLp().col_lower_, highs.getLp().col_upper_
    bounds = [(min(max(v, lower[j]), upper[j])) for j, v in zip(fixed, rounded, strict=True)]
    highs.changeColsBounds(len(fixed), fixed, bounds, bounds)
    highs.setOptionValue("time_limit", seconds)
    highs.run()
    if highs.getInfo().primal_solution_status != 2:  # kSolutionStatusFeasible
        return None
    return {j for j, x in enumerate(highs.getSolution().col_value) if x > 0.5}

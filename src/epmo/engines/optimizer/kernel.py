"""Kernel search (Angelelli, Mansini and Speranza, 2010) on the selection MILP.

The LP relaxation names a *kernel*: the items it selects (``x_j > 0``) plus the incumbent's.
The other items are sorted by their reduced cost (nearest zero first: the ones the LP is least
sure about) and cut into *buckets*. Each step solves the MILP restricted to kernel + one bucket
(every other item's upper bound set to 0) for a slice of the time, warm-started from the
incumbent, so HiGHS only looks for something better; items of a bucket that enter an improved
solution join the kernel. Passes over the buckets repeat while time remains. The restricted
problems are the exact model (every row and rule kept); only column bounds change, on the one
HiGHS model, and they are put back before returning.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import highspy

KERNEL_MIN = 24  # below this many items HiGHS alone is the whole method
BUCKET_SHARE = 0.5  # bucket size, as a share of the LP kernel's size (0.25 did worse)
BUCKET_MIN = 5
LP_SHARE = 0.3  # of the kernel search's time, at most, for the LP relaxation
SLICE_PER_LP = 40  # a restricted solve's least time, in LP relaxation times
FEASIBLE = 2  # highspy's kSolutionStatusFeasible


@dataclass(frozen=True)
class Searched:
    """The best selection found (item indices; None when none is known) and the LP bound."""

    best: set[int] | None
    lp_bound: float = math.inf


def kernel_search(highs: highspy.Highs, values: Sequence[float], upper: Sequence[float],
                  incumbent: set[int] | None, seconds: float,
                  smallest: int = KERNEL_MIN) -> Searched:
    """The best selection found in ``seconds`` (``incumbent`` when none is better).

    ``upper`` are the columns' own upper bounds (0 for an excluded item); problems of at most
    ``smallest`` items are left to HiGHS alone. When a restricted
    solve cannot get at least SLICE_PER_LP times the LP's own time on every bucket, the search
    is skipped and the caller's HiGHS run on the whole model gets the time.
    """
    n = len(values)
    deadline = time.monotonic() + seconds
    if n <= smallest:
        return Searched(incumbent)
    lp_began = time.monotonic()
    relaxed = _relaxation(highs, n, LP_SHARE * seconds)
    if relaxed is None:
        return Searched(incumbent)
    floor = SLICE_PER_LP * (time.monotonic() - lp_began)  # sized by the problem and the load
    x, reduced, lp_bound = relaxed
    search = _Search(highs, values, upper, incumbent)
    kernel = {j for j in range(n) if x[j] > 1e-6 and upper[j] > 0}
    rest = sorted((j for j in range(n) if j not in kernel and upper[j] > 0),
                  key=lambda j: abs(reduced[j]))
    size = max(BUCKET_MIN, int(BUCKET_SHARE * len(kernel)))
    buckets = [set(rest[k:k + size]) for k in range(0, len(rest), size)]
    if floor * (len(buckets) + 1) > deadline - time.monotonic():
        return Searched(incumbent, lp_bound)
    try:
        left = deadline - time.monotonic()
        search.step(kernel, min(left, max(floor, left / (len(buckets) + 1))))
        before = float("nan")
        # pass after pass while one still improves the incumbent (a pass that finds nothing
        # better ends the search: repeating it would spend the whole limit on a solved model)
        while time.monotonic() < deadline and buckets and (search.worth != before
                                                           or search.best is None):
            before = search.worth
            for k, bucket in enumerate(buckets):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                found = search.step(kernel | bucket,
                                    min(left, max(floor, left / (len(buckets) - k))))
                kernel |= found & bucket
                if search.best is None:
                    kernel |= bucket  # nothing feasible yet: let the kernel grow
    finally:
        highs.changeColsBounds(n, list(range(n)), search.lower, list(upper))
    return Searched(search.best, lp_bound)


class _Search:
    """The incumbent and the restricted solves on the shared model."""

    def __init__(self, highs: highspy.Highs, values: Sequence[float], upper: Sequence[float],
                 incumbent: set[int] | None) -> None:
        self.highs = highs
        self.values = values
        self.upper = upper
        self.lower = list(highs.getLp().col_lower_)
        self.best = set(incumbent) if incumbent is not None else None
        self.worth = self._worth(self.best) if self.best is not None else float("-inf")

    def _worth(self, chosen: set[int]) -> float:
        return float(sum(self.values[j] for j in chosen))

    def step(self, allowed: set[int], seconds: float) -> set[int]:
        """Solve with only ``allowed`` (and the incumbent's items) free; the items chosen."""
        n = len(self.values)
        free = allowed | (self.best or set()) | {j for j in range(n) if self.lower[j] > 0}
        up = [self.upper[j] if j in free else 0.0 for j in range(n)]
        self.highs.changeColsBounds(n, list(range(n)), self.lower, up)
        if self.best is not None:
            warm_start(self.highs, n, self.best)
        self.highs.setOptionValue("time_limit", max(0.01, seconds))
        self.highs.run()
        if self.highs.getInfo().primal_solution_status != FEASIBLE:
            return set()
        chosen = {j for j, v in enumerate(self.highs.getSolution().col_value) if v > 0.5}
        worth = self._worth(chosen)
        if worth > self.worth + 1e-9 * max(1.0, abs(self.worth)):
            self.best, self.worth = chosen, worth
        return chosen


def _relaxation(highs: highspy.Highs, n: int,
                seconds: float) -> tuple[list[float], list[float], float] | None:
    """LP values, reduced costs and bound of the model's relaxation (integrality put back)."""
    columns = list(range(n))
    highs.changeColsIntegrality(
        n, columns, [highspy.HighsVarType.kContinuous] * n,  # type: ignore[arg-type]
    )
    try:
        highs.setOptionValue("time_limit", max(0.01, seconds))
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        solution = highs.getSolution()
        bound = float(highs.getInfo().objective_function_value)
        return list(solution.col_value), list(solution.col_dual), bound
    finally:
        highs.changeColsIntegrality(
            n, columns, [highspy.HighsVarType.kInteger] * n,  # type: ignore[arg-type]
        )


def warm_start(highs: highspy.Highs, n: int, chosen: set[int]) -> None:
    """Give HiGHS the selection as its starting incumbent."""
    solution = highspy.HighsSolution()
    solution.col_value = [1.0 if j in chosen else 0.0 for j in range(n)]
    solution.value_valid = True
    highs.setSolution(solution)

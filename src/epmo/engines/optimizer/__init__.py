"""Portfolio selection: the MILP of value under budgets, capacity and rules, solved by HiGHS."""

from epmo.engines.optimizer.explain import amount
from epmo.engines.optimizer.frontier import FrontierPoint, frontier
from epmo.engines.optimizer.model import (
    Balance,
    FieldProblem,
    Item,
    Problem,
    ProblemError,
    Solution,
    Status,
    UsageLine,
    validate,
)
from epmo.engines.optimizer.rows import violations
from epmo.engines.optimizer.solver import solve

__all__ = [
    "Balance",
    "FieldProblem",
    "FrontierPoint",
    "Item",
    "Problem",
    "ProblemError",
    "Solution",
    "Status",
    "UsageLine",
    "amount",
    "frontier",
    "solve",
    "validate",
    "violations",
]

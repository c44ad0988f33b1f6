"""What a ranked list would have funded: the baseline a selection scenario is compared with.

Before an optimiser, a portfolio board ranks the candidates by value and funds down the list
while every year's budget still has room (mandatory ones first). Pure: problem in, value out.
"""

from __future__ import annotations

from collections.abc import Mapping

from epmo.engines.optimizer import Item, Problem

TOLERANCE = 1e-6


def _fits(item: Item, used: Mapping[str, float], budgets: Mapping[str, float]) -> bool:
    return all(used.get(line, 0.0) + cost <= budgets[line] * (1 + TOLERANCE)
               for line, cost in item.costs.items() if line in budgets)


def ranked_value(problem: Problem) -> tuple[float, list[int]]:
    """The value and the candidate ids a rank-and-fund-down list selects within the budgets."""
    used: dict[str, float] = {}
    chosen: list[int] = []
    order = sorted((i for i in problem.items if not i.excluded),
                   key=lambda i: (not i.mandatory, -i.value, i.id))
    for item in order:
        if item.mandatory or _fits(item, used, problem.budgets):
            chosen.append(item.id)
            for line, cost in item.costs.items():
                used[line] = used.get(line, 0.0) + cost
    return sum(i.value for i in problem.items if i.id in set(chosen)), chosen

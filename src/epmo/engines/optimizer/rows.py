"""The problem compiled to resource rows, and a checker of any selection against every rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from epmo.engines.optimizer.model import Problem, capacity_name

TOLERANCE = 1e-6


@dataclass(frozen=True)
class Row:
    """One budget or capacity line: limit and the coefficient of each item index that uses it."""

    kind: Literal["budget", "capacity"]
    name: str
    limit: float
    coef: dict[int, float]


@dataclass(frozen=True)
class Compiled:
    """Rows of a problem plus, per item index, the rows it uses."""

    rows: tuple[Row, ...]
    uses: tuple[tuple[tuple[int, float], ...], ...]
    index: dict[int, int]


def compile_rows(problem: Problem) -> Compiled:
    """Turn budgets and capacity lines into rows with their item coefficients."""
    coefs = _coefs(problem)
    rows = [Row("budget", line, limit, coefs[r])
            for r, (line, limit) in enumerate(problem.budgets.items())]
    rows += [Row("capacity", capacity_name(*key), limit, coefs[len(problem.budgets) + k])
             for k, (key, limit) in enumerate(problem.capacity.items())]
    uses: list[list[tuple[int, float]]] = [[] for _ in problem.items]
    for r, row in enumerate(rows):
        for j, c in row.coef.items():
            uses[j].append((r, c))
    index = {item.id: j for j, item in enumerate(problem.items)}
    return Compiled(tuple(rows), tuple(tuple(u) for u in uses), index)


def _coefs(problem: Problem) -> list[dict[int, float]]:
    """Per row (budgets, then capacity lines), the coefficient of each item index using it.

    One pass over the items' own lines, so the work grows with the items' size, not with
    items x rows.
    """
    budget_row = {line: r for r, line in enumerate(problem.budgets)}
    capacity_row = {key: len(budget_row) + k for k, key in enumerate(problem.capacity)}
    coefs: list[dict[int, float]] = [{} for _ in range(len(budget_row) + len(capacity_row))]
    for j, item in enumerate(problem.items):
        for line, cost in item.costs.items():
            if cost and line in budget_row:
                coefs[budget_row[line]][j] = float(cost)
        for key, need in item.demand.items():
            if need and key in capacity_row:
                coefs[capacity_row[key]][j] = float(need)
    return coefs


def over(used: float, limit: float) -> float:
    """How far ``used`` exceeds ``limit`` beyond a small relative tolerance (0 when within)."""
    excess = used - limit
    return excess if excess > TOLERANCE * max(1.0, abs(limit)) else 0.0


def row_usage(compiled: Compiled, chosen: Iterable[int]) -> list[float]:
    """Use of each row by the chosen item indices."""
    used = [0.0] * len(compiled.rows)
    for j in chosen:
        for r, c in compiled.uses[j]:
            used[r] += c
    return used


def violations(problem: Problem, selected: Iterable[int]) -> list[str]:
    """Every rule the selection (item ids) breaks, in words; empty when it is feasible."""
    chosen = set(selected)
    compiled = compile_rows(problem)
    used = row_usage(compiled, (compiled.index[i] for i in chosen))
    found = [f"{row.name} exceeded by {over(u, row.limit):,.2f}"
             for row, u in zip(compiled.rows, used, strict=True) if over(u, row.limit)]
    found += _rule_violations(problem, chosen)
    found += balance_violations(problem, chosen)
    return found


def _rule_violations(problem: Problem, chosen: set[int]) -> list[str]:
    found = [f"item {i} is mandatory" for i in _ids(problem, "mandatory") - chosen]
    found += [f"item {i} is excluded" for i in _ids(problem, "excluded") & chosen]
    found += [f"item {b} requires item {a}" for b, a in problem.requires
              if b in chosen and a not in chosen]
    found += [f"more than one of {sorted(g)}" for g in problem.exclusive if len(g & chosen) > 1]
    return found


def _ids(problem: Problem, flag: str) -> set[int]:
    return {item.id for item in problem.items if getattr(item, flag)}


def balance_violations(problem: Problem, chosen: set[int]) -> list[str]:
    """Balance rules the selection breaks, in words."""
    items = [item for item in problem.items if item.id in chosen]
    total = sum(item.spend for item in items)
    found = []
    for rule in problem.balance:
        tagged = sum(item.spend for item in items if rule.tag in item.groups)
        if over(rule.min_share * total, tagged):
            found.append(f"{rule.tag} share of spend below {rule.min_share:.0%}")
        if over(tagged, rule.max_share * total):
            found.append(f"{rule.tag} share of spend above {rule.max_share:.0%}")
    return found


def rescaled(compiled: Compiled, budgets: dict[str, float]) -> Compiled:
    """The compiled rows with the budget rows' limits set to ``budgets`` (same order)."""
    limits = list(budgets.values())
    rows = tuple(replace(row, limit=limits[r]) if r < len(limits) else row
                 for r, row in enumerate(compiled.rows))
    return Compiled(rows, compiled.uses, compiled.index)

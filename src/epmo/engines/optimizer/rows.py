"""The problem compiled to resource rows, and a checker of any selection against every rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from epmo.engines.optimizer.model import Item, Problem, capacity_name

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
    rows = [Row("budget", line, limit, _coef(problem.items, "costs", line))
            for line, limit in problem.budgets.items()]
    rows += [Row("capacity", capacity_name(*key), limit, _coef(problem.items, "demand", key))
             for key, limit in problem.capacity.items()]
    uses: list[list[tuple[int, float]]] = [[] for _ in problem.items]
    for r, row in enumerate(rows):
        for j, c in row.coef.items():
            uses[j].append((r, c))
    index = {item.id: j for j, item in enumerate(problem.items)}
    return Compiled(tuple(rows), tuple(tuple(u) for u in uses), index)


def _coef(items: tuple[Item, ...], field: str, key: object) -> dict[int, float]:
    found = ((j, getattr(item, field).get(key, 0.0)) for j, item in enumerate(items))
    return {j: float(c) for j, c in found if c}


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
    found = [f"{row.name} exceeded by {over(u, row.limit):g}"
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

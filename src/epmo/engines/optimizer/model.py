"""Inputs, outputs and input validation of the portfolio optimiser."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Status = Literal["optimal", "feasible", "infeasible", "unknown"]  # unknown: time ran out first
LineKey = tuple[str, str]  # ("budget", "2027") or ("capacity", "data-engineer|2027-Q2")


@dataclass(frozen=True)
class Item:
    """A candidate: its value, cost per budget line and demand per (role, period)."""

    id: int
    value: float
    costs: Mapping[str, float] = field(default_factory=dict)
    demand: Mapping[tuple[str, str], float] = field(default_factory=dict)
    mandatory: bool = False
    excluded: bool = False
    groups: frozenset[str] = frozenset()
    label: str = ""

    @property
    def spend(self) -> float:
        """Total cost over every budget line."""
        return sum(self.costs.values())


@dataclass(frozen=True)
class Balance:
    """Share of total spend that items carrying ``tag`` must take: between min and max."""

    tag: str
    min_share: float = 0.0
    max_share: float = 1.0


@dataclass(frozen=True)
class Problem:
    """A selection problem: candidates, limits, logical rules and solver settings."""

    items: tuple[Item, ...]
    budgets: Mapping[str, float] = field(default_factory=dict)
    capacity: Mapping[tuple[str, str], float] = field(default_factory=dict)
    requires: tuple[tuple[int, int], ...] = ()  # (b, a): b only if a
    exclusive: tuple[frozenset[int], ...] = ()  # at most one of each group
    balance: tuple[Balance, ...] = ()
    time_limit: float = 10.0
    mip_gap: float = 0.0
    threads: int = 1
    seed: int = 0
    currency: str = ""  # the budgets' ISO 4217 code, named in the reasons' money amounts


@dataclass(frozen=True)
class UsageLine:
    """Use of one budget or capacity line by the selected items."""

    kind: Literal["budget", "capacity"]
    name: str
    used: float
    limit: float


@dataclass(frozen=True)
class Solution:
    """The chosen portfolio, its quality and the explanation of what was left out."""

    status: Status
    selected: tuple[int, ...]
    value: float
    bound: float
    gap: float
    seconds: float
    usage: tuple[UsageLine, ...] = ()
    binding: tuple[str, ...] = ()
    reasons: Mapping[int, str] = field(default_factory=dict)
    conflicts: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with the input, at a field path such as ``items[3].costs.2027``."""

    path: str
    message: str


class ProblemError(ValueError):
    """The problem cannot be solved as given; ``problems`` says where and why."""

    def __init__(self, problems: tuple[FieldProblem, ...]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in problems))


def capacity_name(role: str, period: str) -> str:
    """Readable name of a capacity line."""
    return f"{role} capacity in {period}"


def validate(problem: Problem) -> None:
    """Raise ProblemError listing every input problem; return quietly when the input is sound."""
    found = [*_check_limits(problem), *_check_rules(problem)]
    roles = {role for role, _ in problem.capacity}
    for index, item in enumerate(problem.items):
        found.extend(_check_item(problem, roles, index, item))
    if found:
        raise ProblemError(tuple(found))


def _bad_number(x: float) -> bool:
    return not math.isfinite(x) or x < 0


def _check_limits(problem: Problem) -> list[FieldProblem]:
    found = [FieldProblem(f"budgets.{k}", "must be a finite number >= 0")
             for k, v in problem.budgets.items() if _bad_number(v)]
    found += [FieldProblem(f"capacity.{r}.{p}", "must be a finite number >= 0")
              for (r, p), v in problem.capacity.items() if _bad_number(v)]
    if not problem.time_limit > 0:
        found.append(FieldProblem("time_limit", "must be > 0"))
    if not 0 <= problem.mip_gap < 1:
        found.append(FieldProblem("mip_gap", "must be in [0, 1)"))
    return found


def _check_rules(problem: Problem) -> list[FieldProblem]:
    ids = [item.id for item in problem.items]
    known = set(ids)
    found = [FieldProblem("items", f"item id {i} appears more than once")
             for i in sorted(known) if ids.count(i) > 1]
    for k, pair in enumerate(problem.requires):
        found += [FieldProblem(f"requires[{k}]", f"unknown item id {i}")
                  for i in pair if i not in known]
    for k, group in enumerate(problem.exclusive):
        found += [FieldProblem(f"exclusive[{k}]", f"unknown item id {i}")
                  for i in sorted(group) if i not in known]
    for k, rule in enumerate(problem.balance):
        if not 0 <= rule.min_share <= rule.max_share <= 1:
            found.append(FieldProblem(f"balance[{k}]", "needs 0 <= min_share <= max_share <= 1"))
    return found


def _check_item(problem: Problem, roles: set[str], index: int, item: Item) -> list[FieldProblem]:
    where = f"items[{index}]"
    found = [] if math.isfinite(item.value) else [FieldProblem(f"{where}.value", "not finite")]
    for line, cost in item.costs.items():
        if _bad_number(cost):
            found.append(FieldProblem(f"{where}.costs.{line}", "cost must be a number >= 0"))
        elif line not in problem.budgets:
            found.append(FieldProblem(f"{where}.costs.{line}", f"no budget line {line!r}"))
    for (role, period), need in item.demand.items():
        path = f"{where}.demand.{role}.{period}"
        if _bad_number(need):
            found.append(FieldProblem(path, "demand must be a number >= 0"))
        elif role not in roles:
            found.append(FieldProblem(path, f"unknown role {role!r}: it has no capacity line"))
        elif (role, period) not in problem.capacity:
            found.append(FieldProblem(path, f"no {role} capacity line for period {period!r}"))
    return found

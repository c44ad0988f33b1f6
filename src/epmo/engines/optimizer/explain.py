"""Readable results: line usage, binding lines, why each item was left out, and conflicts."""

from __future__ import annotations

from epmo.engines.optimizer.model import Item, Problem, Solution, Status, UsageLine
from epmo.engines.optimizer.rows import (
    TOLERANCE,
    Compiled,
    Row,
    balance_violations,
    compile_rows,
    over,
    row_usage,
)

NAMED = 8  # items named in a reason; more are counted


def amount(x: float) -> str:
    """A money or effort amount in short words: 1.2 M, 350 k, 12.5."""
    if abs(x) >= 1e6:
        return f"{x / 1e6:.1f} M"
    if abs(x) >= 1e4:
        return f"{x / 1e3:.0f} k"
    return f"{x:.3g}" if abs(x) < 100 else f"{x:.0f}"


def money(x: float, currency: str) -> str:
    """A budget amount in short words with its currency: 1.2 M EUR."""
    return f"{amount(x)} {currency}".rstrip()


def explain(problem: Problem, compiled: Compiled, selected: tuple[int, ...], value: float,
            bound: float, status: Status, gap: float, seconds: float) -> Solution:
    """The solution with usage per line, the binding lines and a reason per left-out item."""
    chosen = {compiled.index[i] for i in selected}
    used = row_usage(compiled, chosen)
    usage = tuple(UsageLine(row.kind, row.name, u, row.limit)
                  for row, u in zip(compiled.rows, used, strict=True))
    binding = tuple(line.name for line in usage if line.used >= line.limit - _slack(line.limit))
    binding += _binding_balance(problem, set(selected))
    base = _balance_base(problem, set(selected))
    reasons = {item.id: _reason(problem, compiled, used, set(selected), j, base)
               for j, item in enumerate(problem.items) if j not in chosen}
    return Solution(status, selected, value, bound, gap, seconds, usage, binding, reasons)


def _slack(limit: float) -> float:
    return TOLERANCE * max(1.0, abs(limit))


def _binding_balance(problem: Problem, selected: set[int]) -> tuple[str, ...]:
    items = [item for item in problem.items if item.id in selected]
    total = sum(item.spend for item in items)
    found = []
    for rule in problem.balance:
        tagged = sum(item.spend for item in items if rule.tag in item.groups)
        if rule.min_share > 0 and abs(tagged - rule.min_share * total) <= _slack(total):
            found.append(f"{rule.tag} minimum share of spend")
        if rule.max_share < 1 and abs(tagged - rule.max_share * total) <= _slack(total):
            found.append(f"{rule.tag} maximum share of spend")
    return tuple(found)


def _balance_base(problem: Problem, selected: set[int]) -> tuple[float, list[float]]:
    """Total spend of the selection and, per balance rule, the spend of its tagged items."""
    items = [item for item in problem.items if item.id in selected]
    tagged = [sum(item.spend for item in items if rule.tag in item.groups)
              for rule in problem.balance]
    return sum(item.spend for item in items), tagged


def _balance_with(problem: Problem, base: tuple[float, list[float]], item: Item) -> list[str]:
    """The balance rules the selection plus ``item`` breaks (as ``balance_violations`` says)."""
    total = base[0] + item.spend
    found = []
    for rule, tagged in zip(problem.balance, base[1], strict=True):
        tagged += item.spend if rule.tag in item.groups else 0.0
        if over(rule.min_share * total, tagged):
            found.append(f"{rule.tag} share of spend below {rule.min_share:.0%}")
        if over(tagged, rule.max_share * total):
            found.append(f"{rule.tag} share of spend above {rule.max_share:.0%}")
    return found


def _reason(problem: Problem, compiled: Compiled, used: list[float], selected: set[int],
            j: int, base: tuple[float, list[float]]) -> str:
    item = problem.items[j]
    if item.excluded:
        return "excluded"
    parts = [_overflow(problem, compiled, used, selected, j, r) for r, _ in compiled.uses[j]]
    parts = [p for p in parts if p]
    parts += [f"requires item {a}, which is not selected" for b, a in problem.requires
              if b == item.id and a not in selected]
    parts += [f"is mutually exclusive with item {k}, which is selected"
              for group in problem.exclusive if item.id in group
              for k in sorted(group & selected)]
    if not parts:
        parts = [f"would break the balance rule: {v}" for v in _balance_with(problem, base, item)]
    return "; ".join(parts) if parts else _weaker(item.value)


def _overflow(problem: Problem, compiled: Compiled, used: list[float], selected: set[int],
              j: int, r: int) -> str:
    row = compiled.rows[r]
    need = row.coef[j]
    excess = over(used[r] + need, row.limit)
    if not excess:
        return ""
    if row.kind == "budget":
        return f"would exceed the {row.name} budget by {money(excess, problem.currency)}"
    short = f"(short by {amount(excess)})"
    if over(need, row.limit):
        return (f"needs {amount(need)} of {row.name}, more than the {amount(row.limit)} there "
                f"is {short}")
    return f"{row.name} is used up by {_takers(problem, row, selected, j)} {short}"


def _takers(problem: Problem, row: Row, selected: set[int], j: int) -> str:
    """Who took the line, truthfully: the selected items using it that give more value per
    unit of it than item ``j`` (and mandatory ones), else the selected combination as a whole.
    """
    density = problem.items[j].value / row.coef[j]
    users = [(k, problem.items[k]) for k in row.coef if problem.items[k].id in selected]
    forced = [item.id for _, item in users if item.mandatory]
    better = sorted(((item.value / row.coef[k], item.id) for k, item in users
                     if not item.mandatory and item.value / row.coef[k] > density), reverse=True)
    said = []
    if better:
        ids = [i for _, i in better]
        verb = "gives" if len(ids) == 1 else "give"
        said.append(f"{_items(ids)}, which {verb} more value per unit of it")
    if forced:
        said.append(f"mandatory {_items(sorted(forced))}")
    if said:
        return " and by ".join(said)
    return ("the selected combination: no selected item using it gives more value per unit of "
            "it, but together they give more value")


def _items(ids: list[int]) -> str:
    """item 3, or items [3, 5, 8] (the ids the service turns into codes)."""
    if len(ids) == 1:
        return f"item {ids[0]}"
    shown = ids[:NAMED]
    more = f" and {len(ids) - NAMED} more" if len(ids) > NAMED else ""
    return f"items [{', '.join(str(i) for i in shown)}]{more}"


def _weaker(value: float) -> str:
    if value <= 0:
        return "adds no value"
    return ("fits on its own, but the items chosen give more value for the same budget and "
            "capacity (lower value per cost)")


def conflicts(problem: Problem) -> tuple[str, ...]:
    """Which constraints conflict when no selection is feasible, in words."""
    forced = {item.id for item in problem.items if item.mandatory}
    compiled = compile_rows(problem)
    used = row_usage(compiled, (compiled.index[i] for i in forced))
    found = [_mandatory_over(row.kind, row.name, over(u, row.limit), problem.currency)
             for row, u in zip(compiled.rows, used, strict=True) if over(u, row.limit)]
    found += [f"item {i} is both mandatory and excluded" for item in problem.items
              if item.mandatory and item.excluded for i in [item.id]]
    found += _rule_conflicts(problem, forced)
    found += [f"mandatory items alone break the balance rule: {v}"
              for v in balance_violations(problem, forced)]
    return tuple(found) or ("the budget, capacity, dependency and balance rules together admit "
                            "no portfolio",)


def _mandatory_over(kind: str, name: str, excess: float, currency: str) -> str:
    if kind == "budget":
        return f"mandatory items alone exceed the {name} budget by {money(excess, currency)}"
    return f"mandatory items alone exceed {name} by {amount(excess)}"


def _rule_conflicts(problem: Problem, forced: set[int]) -> list[str]:
    excluded = {item.id for item in problem.items if item.excluded}
    found = [f"mandatory item {b} requires item {a}, which is excluded"
             for b, a in problem.requires if b in forced and a in excluded]
    found += [f"mandatory items {sorted(group & forced)} are mutually exclusive"
              for group in problem.exclusive if len(group & forced) > 1]
    return found

"""Benchmark portfolio selection on a realistic seeded instance: solve plus a 20-point frontier.

    PYTHONPATH=. .venv/bin/python -m bench.selection [--seed 1] [--candidates 2000]
        [--solve-limit 10] [--frontier-limit 15] [--service]

The instance: 2,000 candidates over 3 fiscal years (2027-2029), 25 roles x 12 quarters of
capacity, 10 departments. Each candidate runs 2-6 quarters, needs 1-3 roles, costs what its
effort costs (per quarter, summed per fiscal year), and is worth a combined score times a
benefit that grows with its cost. Budgets are 35 % of what all candidates would spend each
year and capacity 40 % of what they would need on each line, so both bind. Rules: 15
mandatory and 10 excluded candidates, 200 "requires" pairs, 60 mutually exclusive groups of
2-3, and a balance rule per department (at most 20 % of spend; two departments at least 5 %).

Timed in-process with the product's engine (``epmo.engines.optimizer``): one solve with the
solve time limit, then the 20-point efficient frontier sharing the frontier time limit. The
baseline, in the same run: HiGHS alone on the same MILP (no greedy or core-problem warm start)
with the solve time limit. ``--service`` repeats the solve and frontier through the selection
service on a fresh SQLite file (rows in the intake tables, people per role, a scenario), which
adds the mapping from rows to the engine and storing the result.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bench.optimizer_orlib import _quiet_banner, machine
from epmo.engines.optimizer import Balance, Item, Problem, frontier, solve
from epmo.engines.optimizer.rows import compile_rows
from epmo.engines.optimizer.solver import build

YEARS = ("2027", "2028", "2029")
QUARTERS = [f"{y}-Q{q}" for y in YEARS for q in range(1, 5)]
ROLES = [f"role-{k:02d}" for k in range(1, 26)]
DEPARTMENTS = 10
COST_PER_FTE_MONTH = 15_000.0
TARGET_S = 30.0


@dataclass(frozen=True)
class Candidate:
    """One generated candidate: department, value and its per-quarter effort by role."""

    id: int
    department: int
    value: float
    costs: dict[str, float]
    demand: dict[tuple[str, str], float]
    category: str


def generate(seed: int, n: int) -> tuple[list[Candidate], Problem]:
    """The seeded candidates and the engine problem over them."""
    rng = random.Random(seed)
    cands = [_candidate(rng, j + 1) for j in range(n)]
    budgets = {y: round(0.35 * sum(c.costs.get(y, 0.0) for c in cands), 2) for y in YEARS}
    capacity = {(r, q): round(0.4 * sum(c.demand.get((r, q), 0.0) for c in cands), 2)
                for r in ROLES for q in QUARTERS}
    mandatory = set(rng.sample(range(1, n + 1), 15))
    excluded = set(rng.sample(sorted(set(range(1, n + 1)) - mandatory), 10))
    free = [i for i in range(1, n + 1) if i not in mandatory | excluded]
    items = tuple(Item(c.id, c.value, c.costs, c.demand, c.id in mandatory, c.id in excluded,
                       frozenset({f"department:{c.department}"}), f"C{c.id:04d}")
                  for c in cands)
    pairs = [tuple(rng.sample(free, 2)) for _ in range(200)]
    groups = [frozenset(rng.sample(free, rng.randint(2, 3))) for _ in range(60)]
    balance = [Balance(f"department:{d}", 0.05 if d < 2 else 0.0, 0.2)
               for d in range(DEPARTMENTS)]
    problem = Problem(items, budgets, capacity, tuple((b, a) for b, a in pairs), tuple(groups),
                      tuple(balance))
    return cands, problem


def _candidate(rng: random.Random, ident: int) -> Candidate:
    start, length = rng.randrange(0, 10), rng.randint(2, 6)
    roles = rng.sample(ROLES, rng.randint(1, 3))
    demand: dict[tuple[str, str], float] = {}
    costs: dict[str, float] = {}
    for q in QUARTERS[start:start + length]:
        for role in roles:
            fte = round(rng.uniform(0.5, 4.0), 2)
            demand[(role, q)] = fte
            costs[q[:4]] = costs.get(q[:4], 0.0) + fte * COST_PER_FTE_MONTH
    spend = sum(costs.values())
    score = rng.uniform(20, 100)
    benefit = spend * rng.lognormvariate(0.3, 0.5)
    return Candidate(ident, rng.randrange(DEPARTMENTS), round(score * benefit / 100, 2),
                     {y: round(v, 2) for y, v in costs.items()}, demand,
                     rng.choice(["growth", "regulatory", "efficiency", "keep the lights on"]))


def highs_alone(problem: Problem) -> tuple[float, float]:
    """Value and seconds of HiGHS on the same MILP without the engine's warm starts."""
    highs = build(problem, compile_rows(problem))
    highs.setOptionValue("time_limit", float(problem.time_limit))
    highs.setOptionValue("threads", 1)
    began = time.monotonic()
    highs.run()
    seconds = time.monotonic() - began
    chosen = [j for j, x in enumerate(highs.getSolution().col_value) if x > 0.5]
    return sum(problem.items[j].value for j in chosen), seconds


def run_engine(problem: Problem, solve_limit: float, frontier_limit: float) -> float:
    """Time the engine's solve and frontier, print the figures; the total seconds."""
    began = time.monotonic()
    solution = solve(replace(problem, time_limit=solve_limit))
    solve_s = time.monotonic() - began
    began = time.monotonic()
    points = frontier(replace(problem, time_limit=frontier_limit), 20)
    frontier_s = time.monotonic() - began
    base_value, base_s = highs_alone(replace(problem, time_limit=solve_limit))
    print(f"engine solve: {solution.status}, value {solution.value:,.0f}, gap "
          f"{solution.gap:.3%}, {len(solution.selected)} selected, {len(solution.binding)} "
          f"binding lines, {solve_s:.2f} s")
    values = [p.value for p in points]
    print(f"engine frontier: {len(points)} points, {frontier_s:.2f} s, non-decreasing "
          f"{values == sorted(values)}, statuses {_count(p.status for p in points)}")
    print(f"baseline, HiGHS alone on the same MILP: value {base_value:,.0f}, {base_s:.2f} s; "
          f"engine / baseline value {solution.value / max(base_value, 1e-9):.4f}")
    return solve_s + frontier_s


def _count(statuses: object) -> str:
    found: dict[str, int] = {}
    for s in statuses:  # type: ignore[attr-defined]
        found[s] = found.get(s, 0) + 1
    return ", ".join(f"{k} {v}" for k, v in sorted(found.items()))


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.selection", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--candidates", type=int, default=2000)
    parser.add_argument("--solve-limit", type=float, default=10.0, help="seconds for the solve")
    parser.add_argument("--frontier-limit", type=float, default=10.0,
                        help="seconds shared by the 20 frontier points")
    parser.add_argument("--service", action="store_true",
                        help="also run through the selection service on SQLite")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Generate the instance, time the engine (and the service), print figures and target."""
    args = _parse(argv)
    _quiet_banner()
    print(machine())
    began = time.monotonic()
    cands, problem = generate(args.seed, args.candidates)
    rows = len(problem.budgets) + len(problem.capacity)
    print(f"instance (seed {args.seed}): {len(problem.items)} candidates, {len(YEARS)} years, "
          f"{len(ROLES)} roles x {len(QUARTERS)} quarters ({rows} budget and capacity lines), "
          f"{len(problem.requires)} requires, {len(problem.exclusive)} exclusive groups, "
          f"{len(problem.balance)} balance rules; generated in {time.monotonic() - began:.2f} s")
    total = run_engine(problem, args.solve_limit, args.frontier_limit)
    print(f"engine solve + 20-point frontier: {total:.2f} s (target < {TARGET_S:.0f} s: "
          f"{'met' if total < TARGET_S else 'NOT met'})")
    if args.service:
        from bench.selection_service import run_service
        run_service(cands, problem, args.solve_limit, args.frontier_limit)


if __name__ == "__main__":
    main()

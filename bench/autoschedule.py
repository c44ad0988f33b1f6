"""Time the portfolio auto-schedule and one earliest-start query on a synthetic portfolio.

    python -m bench.autoschedule [--projects 2000] [--pools 25] [--weeks 208] [--seed 1]
        [--queries 200] [--repeat 5] [--tightness 1.6]

A seeded portfolio: every project uses 2-5 pools over 8-52 weeks (each pool for a stretch of
the project, ramping up and down, 0.1-4 FTE a week), wants a start in the first three quarters
of the room the horizon leaves it, and one in five is fixed (committed). Each pool's capacity is
flat: ``--tightness`` times its average weekly load over the horizon with every project at its
wanted start, which makes about a third of the movable projects move (1.6: 34%, none
unplaced; 1.2: half move, 7% unplaced). Times ``auto_schedule`` (median and best of
``--repeat`` runs) interleaved with a baseline that only adds every project's needs at its
wanted start (reading the input once, no search), checks that no movable project overloads a
pool, counts moved and unplaced projects, then times ``earliest_start`` for ``--queries`` new
projects against the capacity left (p50, p95, max) and prints the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from bench.network import machine
from epmo.engines.autoschedule import Need, Plan, Work, auto_schedule, earliest_start


def week_names(count: int, first: dt.date = dt.date(2027, 1, 4)) -> list[str]:
    """ISO week names from ``first`` (a Monday): 2027-W01, 2027-W02, ..."""
    names = []
    for i in range(count):
        year, week, _ = (first + dt.timedelta(weeks=i)).isocalendar()
        names.append(f"{year}-W{week:02d}")
    return names


def pool_names(count: int) -> list[str]:
    """``count`` pools like "IT|Data engineer 3" (department|role)."""
    departments = ["IT", "Finance", "Operations", "Marketing", "HR"]
    return [f"{departments[i % 5]}|Role {i // 5 + 1}" for i in range(count)]


def random_project(rng: random.Random, id: int, pools: Sequence[str], weeks: int,
                   fixed: bool = False) -> Work:
    """A project of 8-52 weeks on 2-5 pools, each for a stretch with a ramp up and down."""
    length = rng.randint(8, min(52, weeks))
    needs = tuple(Need(pool, stretch(rng, length))
                  for pool in rng.sample(list(pools), rng.randint(2, min(5, len(pools)))))
    # wanted starts lie in the first three quarters of the room, leaving the last for moves
    return Work(id, f"P-{id:05d}", rng.randrange(max(1, (weeks - length) * 3 // 4)), needs, fixed)


def stretch(rng: random.Random, length: int) -> tuple[float, ...]:
    """Zero before a random stretch of the project, a trapezoid of 0.1-4 FTE within it."""
    first = rng.randrange(length // 2)
    last = rng.randint(first + 4, length)
    peak = rng.choice([0.5, 1.0, 1.5, 2.0, 3.0, 4.0]) * rng.uniform(0.3, 1.0)
    ramp = max(1, (last - first) // 4)
    shape = [min(1.0, (t + 1) / ramp, (last - first - t) / ramp) for t in range(last - first)]
    return (0.0,) * first + tuple(round(max(0.1, peak * s), 1) for s in shape)


def portfolio(args: argparse.Namespace) -> tuple[dict[str, list[float]], list[Work]]:
    """The seeded projects and each pool's flat capacity."""
    rng = random.Random(args.seed)
    pools = pool_names(args.pools)
    works = [random_project(rng, i, pools, args.weeks, rng.random() < 0.2)
             for i in range(args.projects)]
    load = wanted_load(works, pools, args.weeks)
    capacity = {p: [round(args.tightness * float(load[p].mean()), 1)] * args.weeks
                for p in pools}
    return capacity, works


def wanted_load(works: Sequence[Work], pools: Sequence[str],
                weeks: int) -> dict[str, npt.NDArray[np.float64]]:
    """The baseline: every project's needs added at its wanted start (no search)."""
    load = {p: np.zeros(weeks) for p in pools}
    for work in works:
        for need in work.needs:
            amounts = np.asarray(need.amounts, dtype=np.float64)
            end = min(weeks, work.start + len(amounts))
            load[need.pool][work.start:end] += amounts[: end - work.start]
    return load


def timed(run: Callable[[], object]) -> float:
    """Seconds one call takes."""
    began = time.perf_counter()
    run()
    return time.perf_counter() - began


def check(capacity: Mapping[str, list[float]], works: Sequence[Work], plan: Plan) -> None:
    """No pool goes negative except where fixed work alone already overloads it."""
    weeks = len(next(iter(capacity.values())))
    fixed = wanted_load([w for w in works if w.fixed], list(capacity), weeks)
    for pool, series in plan.remaining.items():
        after_fixed = np.asarray(capacity[pool]) - fixed[pool]
        left = np.asarray(series)
        assert (left[after_fixed >= -1e-9] >= -1e-9).all(), pool


def run_schedule(args: argparse.Namespace, capacity: dict[str, list[float]],
                 works: list[Work], periods: list[str]) -> Plan:
    """Time the schedule and the baseline, interleaved, and print the counts."""
    pools = list(capacity)
    plans, seconds, baseline = [], [], []
    for _ in range(args.repeat):
        began = time.perf_counter()
        plans.append(auto_schedule(capacity, works, periods))
        seconds.append(time.perf_counter() - began)
        baseline.append(timed(lambda: wanted_load(works, pools, args.weeks)))
    plan = plans[-1]
    assert all(p == plan for p in plans), "auto_schedule is not deterministic"
    check(capacity, works, plan)
    movable = [p for p in plan.placements if not p.fixed]
    moved = sum(1 for p in movable if p.start is not None and p.start != p.wanted)
    unplaced = sum(1 for p in movable if p.start is None)
    overloaded = sum(1 for p in plan.placements if p.overload is not None)
    print(f"portfolio: {len(works)} projects ({len(works) - len(movable)} fixed, "
          f"{overloaded} of them in an overload), {len(pools)} pools, {args.weeks} weeks, "
          f"{sum(len(w.needs) for w in works)} needs")
    print(f"  movable: {moved} moved ({moved / len(movable):.0%}), {unplaced} unplaced, "
          f"{len(movable) - moved - unplaced} at their wanted start")
    print(f"  auto_schedule: median {statistics.median(seconds):.3f} s, best {min(seconds):.3f} s"
          f" ({args.repeat} runs); baseline (add needs at wanted starts): median "
          f"{statistics.median(baseline):.3f} s; ratio "
          f"{statistics.median(seconds) / statistics.median(baseline):.1f}")
    return plan


def run_queries(args: argparse.Namespace, plan: Plan, periods: list[str]) -> None:
    """Time ``earliest_start`` for new projects against the capacity left."""
    rng = random.Random(args.seed + 1)
    pools = list(plan.remaining)
    seconds, fits = [], 0
    for i in range(args.queries):
        queued = random_project(rng, 100_000 + i, pools, args.weeks)
        began = time.perf_counter()
        answer = earliest_start(plan.remaining, queued, periods)
        seconds.append(time.perf_counter() - began)
        fits += answer.start is not None
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"  earliest_start: {args.queries} queued projects, {fits} fit somewhere; "
          f"p50 {1000 * statistics.median(ordered):.2f} ms, p95 {1000 * p95:.2f} ms, "
          f"max {1000 * ordered[-1]:.2f} ms")


def main(argv: Sequence[str] | None = None) -> None:
    """Build the portfolio, time the schedule and the queries."""
    parser = argparse.ArgumentParser(prog="python -m bench.autoschedule",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2_000)
    parser.add_argument("--pools", type=int, default=25)
    parser.add_argument("--weeks", type=int, default=208)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--tightness", type=float, default=1.6,
                        help="capacity / average load at the wanted starts")
    args = parser.parse_args(argv)
    print(machine())
    periods = week_names(args.weeks)
    capacity, works = portfolio(args)
    plan = run_schedule(args, capacity, works, periods)
    run_queries(args, plan, periods)


if __name__ == "__main__":
    main()

"""Benchmark the resources heatmap, a cell drill-down and the queue plan on the large demo.

    python -m bench.resources --database sqlite:////tmp/epmo-bench-res.db [--calls 30]
    python -m bench.resources --database postgresql+psycopg://postgres@127.0.0.1:5432/epmo_bench_res

Loads the demo enterprise (``epmo demo --size large --seed 1 --today 2026-12-01``, or
``--projects N`` for a smaller one) when the database holds no projects, then times
in-process, one read-only unit of work per call (as a GET request has), after warm-up,
interleaved round by round so machine noise hits every kind alike:

- **heatmap, all**: ``heatmap.heatmap`` over 12 months from the demo's today, every
  department (what ``GET /api/v1/resources/heatmap?months=12`` computes);
- **heatmap, one department**: the same for the department with the most rows (it and the
  departments below it);
- **cell**: ``heatmap.cell`` for the worst overload's department, role and month (the
  first row's first cell when nothing is overloaded), as the system actor;
- **queue**: ``queue.plan_queue`` (36 months of the queued requests and proposed projects);
- **heatmap, all (cached)** and **queue (cached)**: the same reads when nothing was written
  since the last one, served from the per-worker cache keyed by the audit head
  (``EPMO_OVERVIEW_CACHE_SECONDS``); the kinds above empty it before each call, as a write
  does, so they are the computed figures;
- **write (one demand line)**: one running project's demand line changed through the ORM
  and committed (the value toggles by 1 FTE-month each call): the write with its upkeep of
  the kept committed demand (``resources.demand_totals``: the department summed again);
- **write (one person)** and **heatmap, all: after a person write**: one person's weekly
  hours changed through the ORM and committed (a write to the supply's tables; each second
  call undoes the one before), then the whole heatmap computed (the kept supply patched for
  that person, or counted again whole where the code keeps no patch); the kinds are timed in
  this order, last the demand write, so every other computed heatmap follows a demand write;
- a **baseline** in the same run: the committed demand of running projects over the
  heatmap's months, summed per department, role and month in one raw ``GROUP BY`` with
  the driver (the heatmap's heaviest read, without the ORM or the arithmetic).

Prints p50/p95/max per kind (wall clock, and this process's CPU time: on SQLite that is the
whole query, so it shows what other processes on a shared machine added), the row, overload
and queue counts, the machine, and whether the issue's target holds: heatmap p95 under
300 ms. ``--profile`` also prints a cProfile of one call of each kind (top functions by
cumulative time).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import math
import os
import pstats
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.engine import make_url

from bench.common import BENCH_TODAY
from bench.overview import _configure, connect_driver, machine, prepare

TARGET_P95_MS = 300.0
MONTHS = 12
BASELINE = ("SELECT p.department_id, d.role, d.period, SUM(d.fte_months) FROM project_demand d "
            "JOIN project p ON p.id = d.project_id "
            "WHERE p.stage NOT IN ('proposed', 'closed', 'cancelled') AND d.period IN ({months}) "
            "GROUP BY p.department_id, d.role, d.period")


@dataclass(frozen=True)
class Figures:
    """p50, p95 (nearest rank) and max of a series of timings, in milliseconds."""

    p50: float
    p95: float
    high: float
    count: int

    @classmethod
    def of(cls, samples: Sequence[float]) -> Figures:
        """Summarise the samples."""
        ordered = sorted(samples)
        rank = max(0, math.ceil(0.95 * len(ordered)) - 1)
        return cls(statistics.median(ordered), ordered[rank], ordered[-1], len(ordered))

    def __str__(self) -> str:
        return (f"p50 {self.p50:8.1f} ms   p95 {self.p95:8.1f} ms   max {self.high:8.1f} ms"
                f"   (n={self.count})")


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.resources", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of the database")
    parser.add_argument("--projects", type=int, default=50_000,
                        help="projects of the demo loaded when the database has none")
    parser.add_argument("--calls", type=int, default=30, help="timed calls of each kind")
    parser.add_argument("--warmup", type=int, default=3, help="untimed rounds first")
    parser.add_argument("--seed", type=int, default=1, help="seed of the demo loaded")
    parser.add_argument("--today", type=date.fromisoformat, default=BENCH_TODAY,
                        help="the demo's reference date, pinned for the load and the "
                             "horizon alike (default %(default)s)")
    parser.add_argument("--profile", action="store_true",
                        help="also print a cProfile of one call of each kind")
    return parser.parse_args(argv)


# --- what is timed ---------------------------------------------------------------------------


class Calls:
    """The timed calls, each in its own read-only unit of work, and what each last returned."""

    def __init__(self, url: str, today: date) -> None:
        from epmo.resources import heatmap

        self.today = today
        self.months = heatmap.horizon(None, MONTHS, today)
        self.department: int | None = None
        self.target: tuple[int, str, str] = (0, "", "")
        self.last: dict[str, Any] = {}
        self.conn = connect_driver(url)
        self.baseline_sql = BASELINE.format(months=", ".join(f"'{m}'" for m in self.months))

    def heatmap_all(self, cached: bool = False) -> None:
        """The heatmap of every department: computed (the cache emptied first, as after a
        write) or served from the per-worker cache (no write since the last call)."""
        from epmo.db import unit_of_work
        from epmo.resources import heatmap

        if not cached:
            heatmap.CACHE.clear()
        with unit_of_work(write=False) as session:
            self.last["heatmap, all"] = heatmap.heatmap(session, self.months)

    def heatmap_department(self) -> None:
        """The heatmap of one department and those below it."""
        from epmo.db import unit_of_work
        from epmo.resources import heatmap

        heatmap.CACHE.clear()
        with unit_of_work(write=False) as session:
            self.last["heatmap, one department"] = heatmap.heatmap(session, self.months,
                                                                   self.department)

    def cell(self) -> None:
        """One cell drilled down, as the system actor."""
        from epmo.auth.policy import SYSTEM
        from epmo.db import unit_of_work
        from epmo.resources import heatmap

        with unit_of_work(write=False) as session:
            self.last["cell"] = heatmap.cell(session, SYSTEM, *self.target)

    def queue(self, cached: bool = False) -> None:
        """The queue placed on the capacity left (computed, or from the cache)."""
        from epmo.db import unit_of_work
        from epmo.resources import queue

        if not cached:
            queue.CACHE.clear()
        with unit_of_work(write=False) as session:
            self.last["queue"] = queue.plan_queue(session, self.today)

    def write(self) -> None:
        """One demand line of a running project changed and committed (kept totals upkeep)."""
        from decimal import Decimal

        from sqlalchemy import select

        from epmo.db import unit_of_work
        from epmo.portfolio.models import Project, ProjectDemand

        with unit_of_work() as session:
            session.actor_label = "bench.resources"
            line = session.scalars(select(ProjectDemand).join(
                Project, Project.id == ProjectDemand.project_id).where(
                Project.stage == "executing").order_by(ProjectDemand.project_id).limit(1)).one()
            self.toggle = not getattr(self, "toggle", False)
            line.fte_months += Decimal(1 if self.toggle else -1)
        self.last["write (one demand line)"] = line.project_id

    def write_person(self) -> None:
        """One person's weekly hours changed and committed (a write to the supply's tables:
        the kept supply is patched, or counted again, by the next heatmap)."""
        from decimal import Decimal

        from sqlalchemy import select

        from epmo.db import unit_of_work
        from epmo.org.models import Person

        with unit_of_work() as session:
            session.actor_label = "bench.resources"
            if not hasattr(self, "people"):
                self.people = session.scalars(select(Person.id).where(
                    Person.active.is_(True), Person.role != "").order_by(Person.id)).all()
            self.turn = getattr(self, "turn", -1) + 1
            person = session.get(Person, self.people[self.turn // 2 * 997 % len(self.people)])
            assert person is not None
            person.weekly_capacity_hours += Decimal(1 if self.turn % 2 == 0 else -1)
        self.last["write (one person)"] = person.id

    def heatmap_after_person(self) -> None:
        """The heatmap of every department computed right after the write to one person."""
        self.heatmap_all()
        self.last["heatmap, all: after a person write"] = self.last["heatmap, all"]

    def baseline(self) -> None:
        """The committed demand per department, role and month in raw SQL."""
        cursor = self.conn.cursor()
        cursor.execute(self.baseline_sql)
        self.last["baseline"] = cursor.fetchall()
        cursor.close()

    def actions(self) -> dict[str, Callable[[], None]]:
        """Every kind, by the name printed."""
        # each cached kind right after its computed one, which leaves the result cached
        return {"heatmap, all": self.heatmap_all,
                "heatmap, all (cached)": lambda: self.heatmap_all(cached=True),
                "heatmap, one department": self.heatmap_department,
                "cell": self.cell, "queue": self.queue,
                "queue (cached)": lambda: self.queue(cached=True),
                "write (one person)": self.write_person,
                "heatmap, all: after a person write": self.heatmap_after_person,
                # last: so the next round's first heatmap follows a write to demand
                "write (one demand line)": self.write,
                "baseline (raw SQL)": self.baseline}

    def choose(self) -> None:
        """Pick the department (most rows) and the cell (worst overload) from a first call."""
        self.heatmap_all()
        read = self.last["heatmap, all"]
        if not read.rows:
            raise SystemExit("the heatmap is empty: the database holds no people or demand")
        per_department: dict[int, int] = {}
        for row in read.rows:
            per_department[row.department_id] = per_department.get(row.department_id, 0) + 1
        self.department = max(per_department, key=lambda d: (per_department[d], -d))
        if read.overloads:
            worst = max(read.overloads, key=lambda o: o.short_by)
            self.target = (worst.department_id, worst.role, worst.month)
        else:
            self.target = (read.rows[0].department_id, read.rows[0].role, self.months[0])


def measure(actions: dict[str, Callable[[], None]], calls: int,
            warmup: int) -> tuple[dict[str, Figures], dict[str, Figures]]:
    """Run the actions interleaved round by round and summarise each: wall clock and this
    process's CPU time."""
    for _ in range(warmup):
        for action in actions.values():
            action()
    samples: dict[str, list[float]] = {name: [] for name in actions}
    cpu: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(calls):
        for name, action in actions.items():
            started, used = time.perf_counter(), time.process_time()
            action()
            samples[name].append((time.perf_counter() - started) * 1000)
            cpu[name].append((time.process_time() - used) * 1000)
    return ({name: Figures.of(values) for name, values in samples.items()},
            {name: Figures.of(values) for name, values in cpu.items()})


# --- what is printed -------------------------------------------------------------------------


def data_size() -> str:
    """The counts the heatmap and the queue read."""
    from sqlalchemy import func, select

    from epmo.db import unit_of_work
    from epmo.intake.models import IntakeRequest
    from epmo.org.models import Department, Person
    from epmo.portfolio.models import Project, ProjectDemand
    from epmo.resources.models import CapacityPeriod, Holiday, Lending, TimeOff

    counts = {}
    with unit_of_work(write=False) as session:
        for label, model in (("projects", Project), ("project_demand rows", ProjectDemand),
                             ("people", Person), ("departments", Department),
                             ("intake requests", IntakeRequest),
                             ("capacity periods", CapacityPeriod), ("time off", TimeOff),
                             ("holidays", Holiday), ("lendings", Lending)):
            counts[label] = session.scalar(select(func.count()).select_from(model)) or 0
    return ", ".join(f"{value:,} {label}" for label, value in counts.items())


def outcome(calls: Calls) -> list[str]:
    """The counts each kind returned, to read beside its times."""
    everything, one = calls.last["heatmap, all"], calls.last["heatmap, one department"]
    cell, queue = calls.last["cell"], calls.last["queue"].items
    placed = [i for i in queue if i.earliest is not None]
    return [
        f"heatmap, all: {len(everything.rows)} rows x {len(everything.months)} months "
        f"({everything.months[0]} to {everything.months[-1]}), "
        f"{len(everything.overloads)} overloaded cells",
        f"heatmap, department {calls.department}: {len(one.rows)} rows, "
        f"{len(one.overloads)} overloaded cells",
        f"cell {cell.department} / {cell.role} / {cell.month}: capacity {cell.cell.capacity}, "
        f"demand {cell.cell.demand} FTE; {len(cell.projects)} projects shown, "
        f"{cell.hidden_projects} hidden, {len(cell.lendings)} lendings",
        f"queue: {len(queue)} items ({sum(i.kind == 'project' for i in queue)} proposed "
        f"projects), {len(placed)} placed, {sum(bool(i.moved_by) for i in placed)} moved, "
        f"{len(queue) - len(placed)} not placed within {len(calls.last['queue'].months)} months",
    ]


def report(results: dict[str, Figures], cpu: dict[str, Figures]) -> None:
    """Print the figures and the target."""
    for name, figures in results.items():
        print(f"{name:<36}{figures}")
    print("CPU time of this process:")
    for name, figures in cpu.items():
        print(f"{name:<36}{figures}")
    base = results["baseline (raw SQL)"]
    print(f"ratio heatmap, all / baseline: p50 {results['heatmap, all'].p50 / base.p50:.1f}x")
    worst = max(results[kind].p95 for kind in ("heatmap, all", "heatmap, one department",
                                                "heatmap, all: after a person write"))
    print(f"target: heatmap p95 < {TARGET_P95_MS:.0f} ms: "
          f"{'met' if worst < TARGET_P95_MS else 'NOT met'} (worst heatmap p95 {worst:.1f} ms)")


def profile(actions: dict[str, Callable[[], None]], top: int = 18) -> None:
    """A cProfile of one call of each kind, the top functions by cumulative time."""
    for name, action in actions.items():
        profiler = cProfile.Profile()
        profiler.runcall(action)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
        print(f"\n== cProfile: {name}\n{out.getvalue()}")


def main(argv: Sequence[str] | None = None) -> None:
    """Load if needed, measure, print."""
    args = _parse(argv)
    _configure(args.database)
    print(machine(args.database))
    began = time.perf_counter()
    prepare(args.database, args.projects, args.seed, args.today)
    print(f"database: {make_url(args.database).render_as_string()} (ready in "
          f"{time.perf_counter() - began:.1f} s)\n  {data_size()}")
    calls = Calls(args.database, args.today)
    calls.choose()
    actions = calls.actions()
    print(f"{args.calls} timed calls of each kind after {args.warmup} warm-up rounds, "
          f"interleaved; today {args.today}")
    results, cpu = measure(actions, args.calls, args.warmup)
    print("\n".join(outcome(calls)))
    report(results, cpu)
    print(f"load average after: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    if args.profile:
        profile(actions)
    calls.conn.close()


if __name__ == "__main__":
    main()

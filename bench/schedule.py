"""Benchmark the CPM engine (``epmo.engines.cpm``) on a generated schedule.

    python -m bench.schedule [--activities 20000] [--links-per-activity 1.5] [--repeat 5]
    python -m bench.schedule --mspdi ../shared/data/mspdi   # also each MSPDI file (see below)

Generates, from a seed, a schedule of ``--activities`` activities under a WBS of summaries
(one per 50 activities): durations of 0 (milestones, 5 %) to 20 working days, some in hours;
about ``--links-per-activity`` links each, from one of the 300 activities before (so long
chains form), all four types (FS 80 %, SS 10 %, FF 7 %, SF 3 %), lags of -1..5 days (a few
elapsed or as a percentage); 10 % of activities work a six-day calendar, the others a five-day
office calendar with lunch breaks; both carry ten holidays a year for 20 years; 2 % carry an
SNET constraint. Times ``schedule`` (both passes, calendars compiled, results as datetimes)
against a baseline measured in the same run: graphlib's topological order of the same graph.

With ``--mspdi FOLDER``, also times read + CPM of the three largest MSPDI files there through
the hub's reader and mapping (``bench_mspdi``).

Prints the machine and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import graphlib
import random
import resource
import statistics
import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from bench.network import machine, timed
from epmo.engines.cpm import LinkType, Network, Relation, Schedule, Task, schedule
from epmo.engines.workcal import OFFICE_DAY, DayException, WorkCalendar, office_calendar

TARGET_S = 2.0
START = datetime(2027, 1, 4, 8)
TYPES: tuple[LinkType, ...] = ("FS", "SS", "FF", "SF")
TYPE_WEIGHTS = (80, 10, 7, 3)
DAY = 480


def holidays(years: int, rng: random.Random) -> tuple[DayException, ...]:
    """Ten random non-working days a year from the start year on."""
    found = []
    for year in range(START.year, START.year + years):
        for day in rng.sample(range(365), 10):
            when = date(year, 1, 1) + timedelta(days=day)
            found.append(DayException(when, when))
    return tuple(found)


def generate(activities: int, per_activity: float, seed: int) -> Network:
    """A reproducible synthetic schedule (see the module docstring)."""
    rng = random.Random(seed)
    days_off = holidays(20, rng)
    six_days = WorkCalendar("six", (*(OFFICE_DAY,) * 6, ()), days_off)
    calendars = (office_calendar("office", days_off), six_days)
    tasks: list[Task] = []
    relations: list[Relation] = []
    for i in range(activities):
        if i % 50 == 0:
            tasks.append(Task(f"W{i // 50}"))
        tasks.append(_activity(i, rng))
        relations.extend(_links(i, per_activity, rng))
    return Network(tuple(tasks), tuple(relations), calendars, "office", START)


def _activity(i: int, rng: random.Random) -> Task:
    milestone = rng.random() < 0.05
    duration = 0 if milestone else rng.choice((rng.randint(1, 20) * DAY, rng.randint(1, 40) * 60))
    snet = rng.random() < 0.02
    return Task(
        f"A{i}",
        duration,
        calendar="six" if rng.random() < 0.1 else None,
        milestone=milestone,
        parent=f"W{i // 50}",
        constraint="SNET" if snet else "ASAP",
        constraint_date=START + timedelta(days=rng.randint(0, 3000)) if snet else None,
    )


def _links(i: int, per_activity: float, rng: random.Random) -> list[Relation]:
    count = int(per_activity) + (rng.random() < per_activity % 1)
    preds = {rng.randint(max(0, i - 300), i - 1) for _ in range(count)} if i else set()
    return [_relation(f"A{p}", f"A{i}", rng) for p in sorted(preds)]


def _relation(pred: str, succ: str, rng: random.Random) -> Relation:
    kind = rng.choices(TYPES, TYPE_WEIGHTS)[0]
    roll = rng.random()
    if roll < 0.03:
        return Relation(pred, succ, kind, lag_percent=rng.choice((25.0, 50.0, 100.0)))
    lag = rng.choice((0, 0, 0, 0, -DAY, DAY, 2 * DAY, 5 * DAY))
    return Relation(pred, succ, kind, lag=lag * 3 if roll < 0.06 else lag, elapsed=roll < 0.06)


def baseline(network: Network) -> None:
    """graphlib's topological order of the same links (the engine's own first step)."""
    graph: dict[str, list[str]] = {task.id: [] for task in network.tasks}
    for relation in network.relations:
        graph[relation.succ].append(relation.pred)
    list(graphlib.TopologicalSorter(graph).static_order())


def bench_cpm(network: Network, repeat: int) -> Schedule:
    """Time ``schedule`` interleaved with the baseline; print medians and their ratio.

    The first run is printed apart: it also fills the process's cache of stamp -> datetime.
    """
    cpm_ms, cpu_ms, base_ms, result = [], [], [], None
    for _ in range(repeat):
        cpu = time.process_time()
        ms, result = timed(lambda: schedule(network))
        cpu_ms.append((time.process_time() - cpu) * 1000)
        cpm_ms.append(ms)
        base_ms.append(timed(lambda: baseline(network))[0])
    assert result is not None
    cpm, base = statistics.median(cpm_ms), statistics.median(base_ms)
    print(f"CPM (both passes)      first {cpm_ms[0]:8.1f} ms   median {cpm:8.1f} ms   "
          f"min {min(cpm_ms):8.1f} ms   (n={repeat}, wall)")
    print(f"CPM, CPU time          first {cpu_ms[0]:8.1f} ms   "
          f"median {statistics.median(cpu_ms):8.1f} ms")
    print(f"baseline (graphlib)    median {base:8.1f} ms")
    print(f"ratio CPM / baseline: {cpm / base:.1f}")
    print(f"target < {TARGET_S:g} s: {'met' if cpm / 1000 < TARGET_S else 'NOT met'}")
    return result


def describe(network: Network, result: Schedule) -> None:
    """The schedule's size and outcome."""
    critical = sum(1 for dates in result.tasks.values() if dates.critical)
    print(f"project finish {result.finish:%Y-%m-%d %H:%M}; {critical:,} critical tasks; "
          f"critical path of {len(result.critical_path):,} activities")


# --- import + CPM of real files ------------------------------------------------------------------


def bench_mspdi(folder: Path) -> None:
    """Read + CPM of every MSPDI file in ``folder`` through the hub's own reader and mapping;
    the largest file's times printed (``bench.schedule_import`` times the whole import)."""
    from epmo.schedule import planning, reading

    for path in sorted(folder.glob("*.xml"), key=lambda p: p.stat().st_size)[-3:]:
        data = path.read_bytes()
        read_ms, files = timed(lambda data=data: reading.read_schedule(data))
        plan_ms, _ = timed(lambda files=files: planning.plan(files[0]))
        print(f"{path.name}: read {read_ms:.1f} ms, CPM {plan_ms:.1f} ms "
              f"({len(files[0].activities):,} activities)")


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.schedule", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--activities", type=int, default=20_000)
    parser.add_argument("--links-per-activity", type=float, default=1.5)
    parser.add_argument("--repeat", type=int, default=5, help="timed CPM runs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mspdi", type=Path, help="a folder of MSPDI files (../shared/data/mspdi)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Generate the schedule, time the CPM, and optionally real files."""
    args = _parse(argv)
    print(machine())
    ms, network = timed(lambda: generate(args.activities, args.links_per_activity, args.seed))
    print(f"generated {args.activities:,} activities, {len(network.tasks) - args.activities:,} "
          f"summaries, {len(network.relations):,} links in {ms / 1000:.1f} s")
    result = bench_cpm(network, args.repeat)
    describe(network, result)
    if args.mspdi:
        bench_mspdi(args.mspdi)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()

"""Time the levelling of a schedule against role capacity (``schedule.levelling``, CP-SAT).

    python -m bench.levelling [--mspdi FILE] [--generated N] [--capacity 2] [--time-limit 10]

Without a database: the file is read (``schedule.mspdi``), its CPM computed
(``planning.plan``), every work resource taken as one role "Team" with ``--capacity`` people,
then ``levelling.build`` + ``levelling.solve`` (CP-SAT, compacted, left-shifted) +
``levelling.result``, as
``levelling.level`` runs them after its queries. Defaults to the largest real MSPDI file with
assignments in ../shared/data/mspdi (``mspditimephased.xml``: 40 tasks, 40 assignments).
``--generated N`` also levels a synthetic file: N tasks of 1-10 days, each linked FS to one
or two of the 30 tasks before it, each assigned 100 % to one of five roles of ``--capacity``
people.
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from bench.network import machine
from epmo.engines import rcpsp
from epmo.schedule import levelling, mspdi, parsed, planning

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
START = datetime(2027, 1, 4, 8)


def with_cpm(file: parsed.ScheduleFile) -> parsed.ScheduleFile:
    """The file with the hub's CPM dates as its early dates (as the import stores them)."""
    timings = planning.plan(file).timings
    return replace(file, activities=tuple(
        replace(a, early_start=t.early_start, early_finish=t.early_finish)
        if (t := timings.get(a.uid)) else a for a in file.activities))


def generated(count: int, seed: int = 1) -> tuple[parsed.ScheduleFile, dict[str, str]]:
    """A synthetic file of ``count`` tasks and its resource -> role map (see the docstring)."""
    rng = random.Random(seed)
    tasks = tuple(parsed.Activity(str(i), str(i), f"Task {i}", duration_hours=8.0 * rng.randint(
        1, 10), start=START) for i in range(1, count + 1))
    links = tuple(parsed.Link(str(p), str(i)) for i in range(2, count + 1)
                  for p in rng.sample(range(max(1, i - 30), i), min(i - 1, rng.randint(1, 2))))
    resources = tuple(parsed.Resource(str(r), f"Role {r}") for r in range(5))
    assignments = tuple(parsed.Assignment(a.uid, str(rng.randrange(5)), a.duration_hours)
                        for a in tasks)
    file = parsed.ScheduleFile("mspdi", "generated", start=START, activities=tasks, links=links,
                               resources=resources, assignments=assignments)
    return with_cpm(file), {r.uid: r.name for r in resources}


def run(name: str, file: parsed.ScheduleFile, roles: dict[str, str], capacity: int,
        time_limit: float) -> None:
    """Level once and print the figures."""
    work = levelling.build(file, roles, {role: capacity for role in set(roles.values())})
    first = rcpsp.solve(work.problem, time_limit)  # the shortest finish alone, for comparison
    began = time.perf_counter()
    work = levelling.build(file, roles, {role: capacity for role in set(roles.values())})
    levelling.check_fits(work)
    solution = levelling.solve(work, time_limit)
    got = levelling.result(0, None, work, solution)
    seconds = time.perf_counter() - began
    assert not rcpsp.violations(work.problem, solution.starts)
    print(f"{name}: {len(work.activities)} activities, {len(work.problem.delays)} links, "
          f"{len(work.roles)} roles of {capacity}: {got.status}, finish +"
          f"{got.finish_delay_days} working days ({got.unlevelled_finish} -> "
          f"{got.levelled_finish}), {seconds:.2f} s in all ({first.status} shortest finish "
          f"alone: {first.seconds:.2f} s)")


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mspdi", type=Path, default=DATA / "mspdi" / "mspditimephased.xml")
    parser.add_argument("--generated", type=int, default=0)
    parser.add_argument("--capacity", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=10.0)
    args = parser.parse_args()
    file = with_cpm(mspdi.read(args.mspdi.read_bytes()))
    roles = {r.uid: "Team" for r in file.resources if r.kind == "work"}
    run(args.mspdi.name, file, roles, args.capacity, args.time_limit)
    if args.generated:
        run(f"generated {args.generated}", *generated(args.generated), args.capacity,
            args.time_limit)
    print(machine())


if __name__ == "__main__":
    main()

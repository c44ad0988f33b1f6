"""Run the RCPSP engine (CP-SAT) on PSPLIB j30 and the MPSPLIB multi-project sets.

    python -m bench.rcpsp [--psplib DIR] [--limit N] [--time-limit S] [--workers N]
        [--only NAME...]
        [--mpsplib DIR]

Every ``.sm`` file of ``--psplib`` (natural order: j301_1, j301_2, ..., j3010_1, ...; the first
``--limit``) is solved with ``epmo.engines.rcpsp.solve`` and compared with the proven optima
in ``j30_optimum_kobe.csv`` beside the folder; every schedule is checked (links, capacities,
release dates). Prints the count at the optimum, the count proven optimal by CP-SAT, the
seconds (median, p95, max), then each MPSPLIB set's total makespan (the last project's end,
release dates respected) against the known optima 58 and 76, and the machine.
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
from pathlib import Path

from bench.network import machine
from epmo.engines.rcpsp import Solution, solve, violations
from epmo.engines.rcpsp_files import read_mpsplib, read_sm

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
MP_OPTIMA = {"mp_j30_a2_nr2": 58, "mp_j30_a5_nr4": 76}


def natural(path: Path) -> list[int | str]:
    """Sort key: j301_10 after j301_9."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name)]


def read_optima(folder: Path) -> dict[str, int]:
    """``problem -> optimum`` from ``j30_optimum_kobe.csv`` beside the instance folder."""
    with (folder.parent / "j30_optimum_kobe.csv").open() as table:
        return {row["problem"]: int(row["optimum"]) for row in csv.DictReader(table)}


def run_psplib(folder: Path, limit: int | None, time_limit: float, workers: int,
               only: list[str] | None = None) -> None:
    """Solve the instances, print one line per miss and the summary."""
    files = [f for f in sorted(folder.glob("*.sm"), key=natural) if not only or f.name in only]
    files = files[:limit]
    optima = read_optima(folder)
    at_optimum, proven, seconds = 0, 0, []
    for file in files:
        problem = read_sm(file)
        solution = solve(problem, time_limit, workers=workers)
        assert not violations(problem, solution.starts), file
        seconds.append(solution.seconds)
        at_optimum += solution.makespan == optima[file.name]
        proven += solution.status == "optimal"
        if solution.makespan != optima[file.name]:
            print(f"  {file.name}: {solution.makespan} (optimum {optima[file.name]}, "
                  f"bound {solution.lower_bound}, {solution.status})")
    print(f"PSPLIB {folder.name}: {len(files)} instances, time limit {time_limit:g} s, "
          f"{workers} worker(s)")
    print(f"  at the proven optimum: {at_optimum}/{len(files)}; proven optimal by CP-SAT: "
          f"{proven}/{len(files)}")
    print(f"  seconds per instance: {spread(seconds)}")


def spread(values: list[float]) -> str:
    """Median, p95 and max."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):.2f}, p95 {p95:.2f}, max {ordered[-1]:.2f}"


def run_mpsplib(folder: Path, time_limit: float, workers: int) -> None:
    """Each MPSPLIB set: total makespan (the last end), the sum of ends, vs the optimum."""
    for xml in sorted(folder.glob("*_set/*.xml")):
        portfolio = read_mpsplib(xml)
        solution = solve(portfolio.problem, time_limit, workers=workers)
        assert not violations(portfolio.problem, solution.starts), xml
        total = solve(portfolio.problem, time_limit, workers=workers, objective="total")
        print(f"MPSPLIB {portfolio.name}: {len(portfolio.releases)} projects, releases "
              f"{list(portfolio.releases)}: total makespan {solution.makespan} "
              f"(known optimum {MP_OPTIMA.get(portfolio.name, '?')}), {describe(solution)}; "
              f"minimum sum of project ends {total.objective} ({describe(total)})")


def describe(solution: Solution) -> str:
    return f"{solution.status}, bound {solution.lower_bound}, {solution.seconds:.2f} s"


def main() -> None:
    """Parse the arguments and run both sets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--psplib", type=Path, default=DATA / "psplib" / "j30")
    parser.add_argument("--mpsplib", type=Path, default=DATA / "mpsplib")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--only", nargs="*", default=None, help="instance file names")
    args = parser.parse_args()
    print(machine())
    run_psplib(args.psplib, args.limit, args.time_limit, args.workers, args.only)
    run_mpsplib(args.mpsplib, args.time_limit, args.workers)


if __name__ == "__main__":
    main()

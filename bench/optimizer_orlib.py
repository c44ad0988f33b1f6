"""Run the portfolio optimiser engine on OR-Library multidimensional knapsack files.

    python -m bench.optimizer_orlib FILE [FILE...] --time-limit SECONDS [--baseline]
        [--best mkcbres.txt]

Every problem is solved with the same engine the product uses (``epmo.engines.optimizer``)
and printed as one JSON line on stdout: ``{"file", "index", "n", "m", "value", "selected"
(0-based item indices), "status", "bound", "seconds", "cpu_seconds" (the process's CPU time
during the solve), "load" (load average when it started)}``. ``--baseline`` also solves each
problem with HiGHS called directly (default settings, one thread, same time limit) and adds
``baseline_value`` and ``baseline_seconds``. ``--best`` reads the best-known values
(``mkcbres.txt``; problem ``m.n-kk`` is the kk-th problem of its file) and prints, on stderr,
the gap of each problem and a summary for the engine and the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import highspy

from epmo.engines.optimizer import Item, Problem, solve


@dataclass(frozen=True)
class Mknap:
    """One OR-Library problem: maximise profit . x subject to weights[i] . x <= capacities[i]."""

    n: int
    m: int
    optimum: float  # 0 when unknown
    profits: tuple[float, ...]
    weights: tuple[tuple[float, ...], ...]
    capacities: tuple[float, ...]


def read_mknap(path: Path) -> list[Mknap]:
    """Parse an OR-Library mknap file (K; then per problem n m opt, profits, rows, rhs)."""
    numbers = iter(float(tok) for tok in path.read_text().split())
    return [_read_one(numbers) for _ in range(int(next(numbers)))]


def _read_one(numbers: Iterator[float]) -> Mknap:
    n, m, optimum = int(next(numbers)), int(next(numbers)), next(numbers)
    profits = tuple(next(numbers) for _ in range(n))
    weights = tuple(tuple(next(numbers) for _ in range(n)) for _ in range(m))
    capacities = tuple(next(numbers) for _ in range(m))
    return Mknap(n, m, optimum, profits, weights, capacities)


def to_problem(mknap: Mknap, time_limit: float, threads: int = 1) -> Problem:
    """The knapsack as an engine problem: item j has id j; constraint i is budget line ``c<i>``."""
    items = tuple(Item(j, mknap.profits[j],
                       {f"c{i}": mknap.weights[i][j] for i in range(mknap.m)})
                  for j in range(mknap.n))
    budgets = {f"c{i}": mknap.capacities[i] for i in range(mknap.m)}
    return Problem(items, budgets, time_limit=time_limit, threads=threads)


def read_best(path: Path) -> dict[str, float]:
    """Best-known values by problem name (``5.100-00``) from the first table of mkcbres.txt."""
    best: dict[str, float] = {}
    for match in re.finditer(r"^\s*(\d+\.\d+-\d+)\s+([\d.]+)\s*$", path.read_text(), re.M):
        best.setdefault(match.group(1), float(match.group(2)))
    return best


def highs_model(mknap: Mknap, time_limit: float) -> highspy.Highs:
    """The problem as a plain HiGHS model: default settings, one thread, ``time_limit``."""
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", float(time_limit))
    highs.setOptionValue("threads", 1)
    n = mknap.n
    highs.addVars(n, [0.0] * n, [1.0] * n)
    highs.changeColsCost(n, list(range(n)), list(mknap.profits))
    highs.changeColsIntegrality(
        n, list(range(n)), [highspy.HighsVarType.kInteger] * n,  # type: ignore[arg-type]
    )
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
    for row, rhs in zip(mknap.weights, mknap.capacities, strict=True):
        highs.addRow(-highspy.kHighsInf, rhs, n, list(range(n)), list(row))
    return highs


def baseline(mknap: Mknap, time_limit: float) -> tuple[float, float]:
    """Value and seconds of HiGHS called directly: default settings, one thread."""
    highs = highs_model(mknap, time_limit)
    began = time.monotonic()
    highs.run()
    values = highs.getSolution().col_value
    value = sum(p for p, x in zip(mknap.profits, values, strict=True) if x > 0.5)
    return value, time.monotonic() - began


def run_one(path: Path, index: int, mknap: Mknap, args: argparse.Namespace) -> dict[str, object]:
    """Solve one problem with the engine (and the baseline when asked); the JSON record."""
    load = os.getloadavg()[0]
    began = time.process_time()
    solution = solve(to_problem(mknap, args.time_limit))
    cpu = time.process_time() - began
    record: dict[str, object] = {
        "file": str(path), "index": index, "n": mknap.n, "m": mknap.m,
        "value": _number(solution.value), "selected": list(solution.selected),
        "status": solution.status, "bound": _number(solution.bound),
        "seconds": round(solution.seconds, 3), "cpu_seconds": round(cpu, 3),
        "load": round(load, 1),
    }
    if args.baseline:
        value, seconds = baseline(mknap, args.time_limit)
        record["baseline_value"] = _number(value)
        record["baseline_seconds"] = round(seconds, 3)
    return record


def _number(x: float) -> float | int:
    return round(x) if abs(x - round(x)) < 1e-6 else x


def _gap(best: float, value: float) -> float:
    """Percent below the best-known value (negative when better)."""
    return 100.0 * (best - value) / best


def _summary(label: str, gaps: list[tuple[str, float]]) -> str:
    if not gaps:
        return f"{label}: no problems with a best-known value"
    values = [g for _, g in gaps]
    groups = list(dict.fromkeys(group for group, _ in gaps))
    by_group = {k: statistics.mean(g for kk, g in gaps if kk == k) for k in groups}
    per_m = ", ".join(f"{k} {g:.4f}%" for k, g in by_group.items())
    at_best = sum(1 for g in values if g <= 1e-9)
    return (f"{label}: {at_best} of {len(values)} at or above best-known, mean gap "
            f"{statistics.mean(values):.4f}% ({per_m}), worst {max(values):.4f}%")


def _name(path: Path, mknap: Mknap, index: int) -> str:
    return f"{mknap.m}.{mknap.n}-{index:02d}"


def _quiet_banner() -> None:
    """Create one Highs so its start-up banner goes to stderr, keeping stdout pure JSON."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def machine() -> str:
    """One line describing the machine and the solver."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores "
            f"({usable} usable), Python {platform.python_version()}, HiGHS "
            f"{highspy.Highs().version()}; load average {os.getloadavg()[0]:.1f}")  # type: ignore[no-untyped-call]


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.optimizer_orlib", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path, help="OR-Library mknap files")
    parser.add_argument("--time-limit", type=float, required=True, help="seconds per problem")
    parser.add_argument("--baseline", action="store_true", help="also solve with HiGHS directly")
    parser.add_argument("--best", type=Path, help="best-known values (mkcbres.txt)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Solve every problem of every file and print one JSON line each (and gaps on stderr)."""
    args = _parse(argv)
    _quiet_banner()
    print(machine(), file=sys.stderr)
    best = read_best(args.best) if args.best else {}
    engine: list[tuple[str, float]] = []
    direct: list[tuple[str, float]] = []
    for path in args.files:
        for index, mknap in enumerate(read_mknap(path)):
            record = run_one(path, index, mknap, args)
            print(json.dumps(record), flush=True)
            known = best.get(_name(path, mknap, index)) or mknap.optimum or None
            if known:
                _report_gap(record, known, f"{path.name} (m={mknap.m})", engine, direct)
    if best or engine:
        print(_summary("engine", engine), file=sys.stderr)
        if direct:
            print(_summary("HiGHS direct (baseline)", direct), file=sys.stderr)


def _report_gap(record: dict[str, object], known: float, group: str,
                engine: list[tuple[str, float]], direct: list[tuple[str, float]]) -> None:
    gap = _gap(known, float(str(record["value"])))
    engine.append((group, gap))
    line = f"{record['file']}#{record['index']}: best {known:g} gap {gap:.4f}%"
    if "baseline_value" in record:
        base = _gap(known, float(str(record["baseline_value"])))
        direct.append((group, base))
        line += f", baseline gap {base:.4f}%"
    print(line + f", {record['seconds']} s", file=sys.stderr)


if __name__ == "__main__":
    main()

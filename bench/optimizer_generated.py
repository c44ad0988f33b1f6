"""The optimiser on generated Chu & Beasley problems larger than the OR-Library files it was
tuned on (n = 250 and 500, m = 5, 10 and 30), against HiGHS alone in the same run.

    PYTHONPATH=src:. .venv/bin/python -m bench.optimizer_generated --time-limit 10 \\
        [--sizes 250,500] [--rows 5,10,30] [--per-size 2] [--seed 1]

Generated as Chu & Beasley (1998) made the cb files: weights uniform on 0..1000, capacity a
tightness (0.25, 0.5, 0.75 in turn) times each row's total weight, profit the mean weight of
the item plus 500 times a uniform draw. No best-known values exist, so each problem's gap is
taken to the better of the two proven bounds (the engine's and HiGHS's own). Engine and
baseline run one after the other on each problem, so both see the same load; one JSON line per
problem on stdout (with the load average), the summary on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Sequence

from bench.optimizer_orlib import Mknap, _quiet_banner, highs_model, machine, to_problem
from epmo.engines.optimizer import solve


def generate(rng: random.Random, n: int, m: int, tightness: float) -> Mknap:
    """One Chu & Beasley style problem."""
    weights = tuple(tuple(float(rng.randint(0, 1000)) for _ in range(n)) for _ in range(m))
    capacities = tuple(float(int(tightness * sum(row))) for row in weights)
    profits = tuple(float(int(sum(weights[i][j] for i in range(m)) / m + 500 * rng.random()))
                    for j in range(n))
    return Mknap(n, m, 0.0, profits, weights, capacities)


def highs_alone(mknap: Mknap, time_limit: float) -> tuple[float, float]:
    """Value and proven bound of HiGHS called directly: default settings, one thread."""
    highs = highs_model(mknap, time_limit)
    highs.run()
    values = highs.getSolution().col_value
    value = sum(p for p, x in zip(mknap.profits, values, strict=True) if x > 0.5)
    return value, float(highs.getInfo().mip_dual_bound)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.optimizer_generated",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--time-limit", type=float, required=True)
    parser.add_argument("--sizes", default="250,500")
    parser.add_argument("--rows", default="5,10,30")
    parser.add_argument("--per-size", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    _quiet_banner()
    print(machine(), file=sys.stderr)
    rng = random.Random(args.seed)
    gaps: dict[str, list[tuple[float, float]]] = {}
    for n in (int(x) for x in args.sizes.split(",")):
        for m in (int(x) for x in args.rows.split(",")):
            for k in range(args.per_size):
                mknap = generate(rng, n, m, (0.25, 0.5, 0.75)[k % 3])
                load = os.getloadavg()[0]
                began = time.process_time()
                solution = solve(to_problem(mknap, args.time_limit))
                cpu = time.process_time() - began
                base, base_bound = highs_alone(mknap, args.time_limit)
                bound = min(solution.bound, base_bound)
                pair = (100 * (bound - solution.value) / bound, 100 * (bound - base) / bound)
                gaps.setdefault(f"n={n} m={m}", []).append(pair)
                print(json.dumps({"n": n, "m": m, "k": k, "value": solution.value,
                                  "baseline_value": base, "bound": bound,
                                  "engine_cpu_s": round(cpu, 2), "load": round(load, 1)}),
                      flush=True)
    for name, pairs in gaps.items():
        print(f"{name}: engine {statistics.mean(e for e, _ in pairs):.4f}%, HiGHS alone "
              f"{statistics.mean(b for _, b in pairs):.4f}% below the best bound",
              file=sys.stderr)
    every = [p for pairs in gaps.values() for p in pairs]
    engine, alone = statistics.mean(e for e, _ in every), statistics.mean(b for _, b in every)
    wins = sum(1 for e, b in every if e < b - 1e-9)
    losses = sum(1 for e, b in every if e > b + 1e-9)
    print(f"all {len(every)}: engine {engine:.4f}%, HiGHS alone {alone:.4f}% below the best "
          f"bound; engine better on {wins}, worse on {losses}; load average now "
          f"{os.getloadavg()[0]:.1f}", file=sys.stderr)


if __name__ == "__main__":
    main()

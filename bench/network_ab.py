"""Two versions of epmo, one network change at a time, interleaved (issue 16).

    python -m bench.network_ab --old-src /work/wt/base/src --new-src src \
        --url postgresql+psycopg://postgres@127.0.0.1:5432/test --changes 100

Each version runs in its own worker process (this module with ``PYTHONPATH`` at that
version's ``src``), loads the same generated enterprise (``bench.network``'s, 2,000 projects x
50 milestones, 300,000 links) into a schema of its own and warms up. The driver then sends
every change (a random milestone's forecast slipping 1..30 days, committed through the
service as ``bench.network_e2e.one_change`` does) to one side and then the other, the order
flipping each change, so load from other processes falls on both alike. Per change each
worker records wall time and its own CPU time; medians, p95 and new / old ratios are printed
with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any


def worker_main(url: str) -> None:
    """Load the enterprise, then answer ``[milestone, days]`` lines with timings."""
    from sqlalchemy.orm import sessionmaker

    from bench import network_e2e as e2e
    from bench.network import generate
    from epmo import wiring
    from epmo.db import UnitOfWork
    from epmo.network import cache, derived

    ent = generate(2_000, 50, 300_000, 1)
    wiring.install()
    with e2e.database(url) as engine:
        e2e.load(engine, ent, 2_000, 50)
        maker = sessionmaker(class_=UnitOfWork, bind=engine, expire_on_commit=False)
        cache.clear()
        with maker() as session:
            derived.refresh(session)
            session.commit()
        print(json.dumps({"milestones": ent.milestones}), flush=True)
        for line in sys.stdin:
            milestone, days = json.loads(line)
            wall, cpu = time.perf_counter(), time.process_time()
            moved = e2e.one_change(maker, milestone, days)
            print(json.dumps({"wall": (time.perf_counter() - wall) * 1000,
                              "cpu": (time.process_time() - cpu) * 1000, "moved": moved}),
                  flush=True)


def _start(src: str, url: str) -> subprocess.Popen[str]:
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "PYTHONPATH": f"{os.path.abspath(src)}:{here}",
           "EPMO_ENV": "development"}
    return subprocess.Popen([sys.executable, "-m", "bench.network_ab", "--worker", url],
                            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def _ask(side: subprocess.Popen[str], request: Any) -> dict[str, Any]:
    assert side.stdin is not None and side.stdout is not None
    side.stdin.write(json.dumps(request) + "\n")
    side.stdin.flush()
    return dict(json.loads(side.stdout.readline()))


def _p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def main(argv: Sequence[str] | None = None) -> None:
    """Start both workers, interleave the changes, print the comparison."""
    parser = argparse.ArgumentParser(prog="python -m bench.network_ab", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--old-src")
    parser.add_argument("--new-src", default="src")
    parser.add_argument("--url", default=os.environ.get("EPMO_TEST_POSTGRES_URL", ""))
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.worker:
        worker_main(args.worker)
        return
    sides = {"old": _start(args.old_src, args.url), "new": _start(args.new_src, args.url)}
    ready = [json.loads(s.stdout.readline()) for s in sides.values()]  # type: ignore[union-attr]
    milestones = ready[0]["milestones"]
    rng = random.Random(args.seed)
    picks = [(rng.choice(milestones), rng.randint(1, 30)) for _ in range(args.changes + 3)]
    got: dict[str, list[dict[str, Any]]] = {"old": [], "new": []}
    loads = []
    for i, pick in enumerate(picks):
        order = ("old", "new") if i % 2 == 0 else ("new", "old")
        for name in order:
            answer = _ask(sides[name], pick)
            if i >= 3:  # the first three warm up
                got[name].append(answer)
        loads.append(os.getloadavg()[0])
    for side in sides.values():
        assert side.stdin is not None
        side.stdin.close()
        side.wait()
    assert [a["moved"] for a in got["old"]] == [a["moved"] for a in got["new"]], "answers differ"
    print(f"{args.changes} changes each, load average {min(loads):.1f}-{max(loads):.1f} "
          f"(median {statistics.median(loads):.1f})")
    for key in ("wall", "cpu"):
        old = [a[key] for a in got["old"]]
        new = [a[key] for a in got["new"]]
        mid_old, mid_new = statistics.median(old), statistics.median(new)
        print(f"{key:5} median old {mid_old:7.1f} ms new {mid_new:7.1f} ms "
              f"({mid_new / mid_old:.2f}x)"
              f"   p95 old {_p95(old):7.1f} ms new {_p95(new):7.1f} ms "
              f"({_p95(new) / _p95(old):.2f}x)")


if __name__ == "__main__":
    main()

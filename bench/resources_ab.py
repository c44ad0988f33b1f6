"""Two versions of the code timed on the whole-enterprise heatmap, interleaved (A/B).

    python -m bench.resources_ab --database sqlite:////tmp/bench.db \
        --a /work/main/src --b src [--rounds 4 --calls 5]

Each round starts one process per version (``PYTHONPATH`` set to its source tree, A then B
then B then A, alternating), which computes the heatmap over 12 months from 2026-12 once
untimed and ``--calls`` times timed (the per-worker cache emptied before each, as after a
write; ``--cold`` empties the kept supply too; ``--person`` commits a change of one person's
weekly hours before each call instead, every second call undoing the one before), and
reports this process's CPU time and the wall time per call. The database must hold the large
demo already (``bench.resources`` loads it). Prints p50/p95 per version, the
ratio of the p50s and the load average before and after. ``--compare`` first checks that
both versions give the same answers: the whole heatmap, two departments' heatmaps, a cell,
the queue over 36 months and selection's supply, as JSON, byte for byte.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

CHILD = """
import json, sys, time
sys.path.insert(0, ".")
from datetime import date
from bench.overview import _configure
_configure(sys.argv[1])
from epmo.db import unit_of_work
from epmo.resources import heatmap
months = heatmap.horizon(None, 12, date(2026, 12, 1))
cpu, wall = [], []
cold = getattr(heatmap, "SUPPLY", None) if sys.argv[3] == "cold" else None
if sys.argv[3] == "person":  # one person's hours written before each call (untimed)
    from decimal import Decimal
    from sqlalchemy import select
    from epmo.org.models import Person
    with unit_of_work(write=False) as session:
        people = session.scalars(select(Person.id).where(Person.active.is_(True),
                                 Person.role != "").order_by(Person.id)).all()[::997]
for call in range(int(sys.argv[2]) + 1):
    heatmap.CACHE.clear()
    if cold is not None:
        cold.clear()
    if sys.argv[3] == "person":
        with unit_of_work(actor_label="bench.resources_ab") as session:
            person = session.get(Person, people[call // 2 % len(people)])
            person.weekly_capacity_hours += Decimal(1 if call % 2 == 0 else -1)
    c, w = time.process_time(), time.perf_counter()
    with unit_of_work(write=False) as session:
        heatmap.heatmap(session, months)
    if call:
        cpu.append((time.process_time() - c) * 1e3)
        wall.append((time.perf_counter() - w) * 1e3)
print(json.dumps({"cpu": cpu, "wall": wall}))
"""


DUMP = """
import json, sys
sys.path.insert(0, ".")
from datetime import date
from bench.overview import _configure
_configure(sys.argv[1])
from epmo.auth.policy import SYSTEM
from epmo.db import unit_of_work
from epmo.resources import heatmap, queue
today = date(2026, 12, 1)
months = heatmap.horizon(None, 12, today)
outs = []
for _ in range(2):  # twice: the second run reads the supply the first left kept
    out = {}
    heatmap.CACHE.clear()
    queue.CACHE.clear()
    with unit_of_work(write=False) as s:
        out["all"] = heatmap._heatmap(s, months, None, None, None).model_dump(mode="json")
        for d in (1, 7):
            out[f"d{d}"] = heatmap._heatmap(s, months, d, None, None).model_dump(mode="json")
        role = out["d1"]["rows"][0]["role"]
        out["cell"] = heatmap.cell(s, SYSTEM, 1, role, "2027-03").model_dump(mode="json")
        for d, month in ((7, "2026-12"), (7, "2027-06")):
            role = out[f"d{d}"]["rows"][-1]["role"]
            out[f"cell{d}{month}"] = heatmap.cell(s, SYSTEM, d, role,
                                                  month).model_dump(mode="json")
        sheet = heatmap.build_sheet(s, heatmap.horizon(None, 36, today))
        out["queue"] = queue.place(s, sheet).model_dump(mode="json")
        out["plan_queue"] = queue.plan_queue(s, today).model_dump(mode="json")
        out["supply"] = {"|".join(k): v for k, v in
                         heatmap.supply_by_role(s, ["2027-Q1", "2027-Q2"]).items()}
    outs.append(out)
assert outs[0] == outs[1], "the second run differs from the first"
print(json.dumps(out, sort_keys=True))
"""


def _same_answers(args: argparse.Namespace) -> bool:
    dumps = []
    for src in (args.a, args.b):
        env = os.environ | {"PYTHONPATH": f"{src}:."}
        dumps.append(subprocess.run([sys.executable, "-c", DUMP, args.database], env=env,
                                    check=True, capture_output=True, text=True,
                                    timeout=1800).stdout)
    return dumps[0] == dumps[1]


def _run(src: str, url: str, calls: int, mode: str) -> dict[str, list[float]]:
    env = os.environ | {"PYTHONPATH": f"{src}:."}
    done = subprocess.run([sys.executable, "-c", CHILD, url, str(calls),
                           mode], env=env, check=True,
                          capture_output=True, text=True, timeout=1800)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)]


def main() -> None:
    """Run the rounds and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True)
    parser.add_argument("--a", required=True, help="source tree of version A (before)")
    parser.add_argument("--b", required=True, help="source tree of version B (after)")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--calls", type=int, default=5)
    parser.add_argument("--compare", action="store_true", help="check the answers first")
    parser.add_argument("--cold", action="store_true",
                        help="empty the kept supply too before each call (heatmap.SUPPLY: "
                             "as when it must be counted again whole)")
    parser.add_argument("--person", action="store_true",
                        help="write one person's weekly hours (committed, audited) before "
                             "each call: the heatmap after a write to one person")
    args = parser.parse_args()
    if args.compare:
        print("same answers" if _same_answers(args) else "ANSWERS DIFFER", flush=True)
    if args.rounds < 1:
        return
    found: dict[str, dict[str, list[float]]] = {v: {"cpu": [], "wall": []} for v in "ab"}
    print(f"load average before: {os.getloadavg()}", flush=True)
    started = time.time()
    for round_ in range(args.rounds):
        order = "ab" if round_ % 2 == 0 else "ba"
        for version in order:
            mode = "cold" if args.cold else "person" if args.person else "warm"
            result = _run(getattr(args, version), args.database, args.calls, mode)
            for kind in ("cpu", "wall"):
                found[version][kind] += result[kind]
    for version in "ab":
        for kind in ("cpu", "wall"):
            values = found[version][kind]
            print(f"{version.upper()} {kind:4} p50 {statistics.median(values):7.0f} ms  "
                  f"p95 {_p(values, 0.95):7.0f} ms  (n={len(values)})")
    ratio = statistics.median(found["b"]["cpu"]) / statistics.median(found["a"]["cpu"])
    print(f"CPU p50 B/A: {ratio:.2f}; load average after: {os.getloadavg()}; "
          f"{time.time() - started:.0f} s")


if __name__ == "__main__":
    main()

"""Two versions of epmo on the same data: roll-ups, overview and compliance, interleaved.

    python -m bench.same_data --old-src /work/wt/old10/src \
        --old sqlite:////tmp/b10/old.db --new sqlite:////tmp/b10/new.db --rounds 7

``--old`` holds a demo loaded by the old code; ``--new`` is a copy of it upgraded to the
newest schema by the new code's migrations (``epmo db upgrade``), so both hold the same
projects and reports. Each side runs in its own long-lived worker process (this module with
``PYTHONPATH`` pointing at that version's ``src``), warmed up once, with the caches off. The
driver sends every operation to one side and then the other (the order flips each round), so
load from other processes falls on both alike. Per call the worker records wall time and its
own CPU time (``time.process_time``: SQLite runs in the process, PostgreSQL's work is in the
server and shows only in wall time); the driver records the load average. Medians are printed,
with new / old ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

LEVELS = ("programme", "portfolio", "department", "goal")
OPS = (*(f"rollup {level}" for level in LEVELS), "overview", "compliance", "baseline")
ADMIN = "admin@epmo.local"
BASELINE_SQL = "SELECT project_id, MAX(period_end) FROM status_report GROUP BY project_id"


# ---------------------------------------------------------------- the worker (either version)

def _install_hooks() -> None:
    """What the version's app installs at start (the new code: wiring; the old: audit)."""
    try:
        from epmo import wiring  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        from epmo.audit import service as audit_service
        audit_service.install()
    else:
        wiring.install()


class Worker:
    """One version of epmo on one database, answering timed operations."""

    def __init__(self, url: str) -> None:
        os.environ["EPMO_DATABASE_URL"] = url
        os.environ["EPMO_OVERVIEW_CACHE_SECONDS"] = "0"  # compliance shares this setting
        os.environ.setdefault("EPMO_ENV", "development")
        _install_hooks()
        from epmo.auth import service as auth_service
        from epmo.db import SessionFactory

        self.session = SessionFactory.get()()
        self.actor = auth_service.actor_for(
            self.session, auth_service.get_user_by_email(self.session, ADMIN))
        self.session.rollback()

    def info(self) -> dict[str, Any]:
        """The data the worker sees: counts, schema revision, the charter's health basis."""
        from sqlalchemy import text

        counts = {table: self.session.scalar(text(f"SELECT COUNT(*) FROM {table}"))
                  for table in ("project", "status_report", "raid_item", "gate_review")}
        revision = self.session.scalar(text("SELECT version_num FROM alembic_version"))
        basis = None
        try:
            from epmo.reporting import health  # type: ignore[attr-defined,unused-ignore]
        except ImportError:
            pass
        else:
            basis = health.load_rule(self.session).basis
        import epmo
        from epmo.demo import generator
        self.session.rollback()
        today = getattr(generator, "reference_date", None)
        return {"counts": counts, "revision": revision, "basis": basis, "code": epmo.__file__,
                "demo_today": today(1).isoformat() if today else None}

    def run(self, op: str, today: date) -> Any:
        """Perform one operation; return something small that shows it did the work."""
        session, actor = self.session, self.actor
        if op.startswith("rollup "):
            from epmo.rollup import service as rollup
            return len(rollup.get_rollup(session, actor, op.split()[1], today=today).rows)
        if op == "overview":
            from epmo.overview import service as overview
            return overview.get_overview(session, actor).totals.count
        if op == "compliance":
            from epmo.compliance import service as compliance
            return len(compliance.evaluate(session, today).results)
        if op == "baseline":
            from sqlalchemy import text
            return len(session.execute(text(BASELINE_SQL)).all())
        raise ValueError(f"unknown operation {op!r}")

    def timed(self, op: str, today: date) -> dict[str, Any]:
        """Wall and CPU milliseconds of one operation, session reset after."""
        wall, cpu = time.perf_counter(), time.process_time()
        result = self.run(op, today)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        self.session.rollback()
        self.session.expunge_all()
        return {"wall_ms": wall * 1000, "cpu_ms": cpu * 1000, "result": str(result)}


def worker_main(url: str) -> None:
    """Answer one JSON request per line of stdin with one JSON line on stdout."""
    worker = Worker(url)
    out = sys.stdout
    sys.stdout = sys.stderr  # anything the app prints must not mix with the answers
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "info":
            answer: dict[str, Any] = worker.info()
        else:
            answer = worker.timed(request["op"], date.fromisoformat(request["today"]))
        out.write(json.dumps(answer) + "\n")
        out.flush()


# ---------------------------------------------------------------- the driver

class Side:
    """A worker process of one version."""

    def __init__(self, name: str, src: str, url: str) -> None:
        self.name = name
        bench_root = str(Path(__file__).resolve().parent.parent)
        env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{bench_root}"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.same_data", "--worker", url], env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=src)

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"the {self.name} worker exited (code {self.proc.wait()})")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.same_data", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--old-src", help="the old version's src folder")
    parser.add_argument("--new-src", default=str(Path(__file__).resolve().parent.parent / "src"),
                        help="the new version's src folder (default: this checkout's)")
    parser.add_argument("--old", help="SQLAlchemy URL of the database the old code reads")
    parser.add_argument("--new", help="SQLAlchemy URL of its upgraded copy (the new code)")
    parser.add_argument("--rounds", type=int, default=7, help="timed calls of each operation")
    parser.add_argument("--ops", default=",".join(OPS), help="comma-separated operations")
    parser.add_argument("--today", type=date.fromisoformat,
                        help="the evaluation day (default: the old demo's reference date)")
    return parser.parse_args(argv)


def _median(rows: list[dict[str, Any]], key: str) -> float:
    return statistics.median(row[key] for row in rows)


def report(samples: dict[tuple[str, str], list[dict[str, Any]]], ops: Sequence[str],
           loads: list[float]) -> None:
    """Medians per operation and side, and the new / old ratios."""
    print(f"load average (1 min) during the rounds: min {min(loads):.2f}  median "
          f"{statistics.median(loads):.2f}  max {max(loads):.2f}")
    print(f"{'operation':<20} {'old wall':>9} {'new wall':>9} {'ratio':>6}   "
          f"{'old cpu':>9} {'new cpu':>9} {'ratio':>6}   (ms, medians)")
    rows = {op: (samples["old", op], samples["new", op]) for op in ops}
    full = [op for op in ops if op == "compliance" or op.startswith("rollup ")]
    if len(full) == 5:
        rounds = len(samples["old", full[0]])
        rows["full recompute"] = tuple(  # type: ignore[assignment]
            [{key: sum(samples[side, op][i][key] for op in full) for key in ("wall_ms", "cpu_ms")}
             for i in range(rounds)] for side in ("old", "new"))
    for op, (old, new) in rows.items():
        ow, nw, oc, nc = (_median(old, "wall_ms"), _median(new, "wall_ms"),
                          _median(old, "cpu_ms"), _median(new, "cpu_ms"))
        print(f"{op:<20} {ow:9.1f} {nw:9.1f} {nw / ow:6.2f}   {oc:9.1f} {nc:9.1f} {nc / oc:6.2f}")


def main(argv: Sequence[str] | None = None) -> None:
    """Start both workers, interleave the operations, print the medians."""
    args = _parse(argv)
    if args.worker:
        worker_main(args.worker)
        return
    if not (args.old_src and args.old and args.new):
        raise SystemExit("--old-src, --old and --new are required")
    ops = [op.strip() for op in args.ops.split(",") if op.strip()]
    sides = [Side("old", args.old_src, args.old), Side("new", args.new_src, args.new)]
    try:
        infos = {side.name: side.ask({"op": "info"}) for side in sides}
        for name, info in infos.items():
            print(f"{name}: {json.dumps(info)}")
        today = (args.today or date.fromisoformat(infos["old"]["demo_today"])).isoformat()
        print(f"evaluated on {today}; {args.rounds} rounds; cpu {os.cpu_count()} cores")
        samples: dict[tuple[str, str], list[dict[str, Any]]] = {
            (side.name, op): [] for side in sides for op in ops}
        loads: list[float] = []
        for round_ in range(args.rounds + 1):  # round 0 warms up and is not counted
            order = sides if round_ % 2 else sides[::-1]
            for op in ops:
                for side in order:
                    answer = side.ask({"op": op, "today": today})
                    loads.append(os.getloadavg()[0])
                    if round_:
                        samples[side.name, op].append(answer)
            print(f"round {round_} done, load {os.getloadavg()[0]:.2f}", flush=True)
        for op in ops:
            results = {samples[side.name, op][0]["result"] for side in sides}
            print(f"  {op}: old / new answered {samples['old', op][0]['result']} / "
                  f"{samples['new', op][0]['result']}" + ("" if len(results) == 1 else " (differ)"))
        report(samples, ops, loads)
    finally:
        for side in sides:
            side.close()


if __name__ == "__main__":
    main()

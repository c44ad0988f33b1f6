"""Benchmark GET /api/v1/overview on the large demo against the same aggregation in raw SQL.

    python -m bench.overview --database sqlite:////tmp/epmo-bench.db [--projects 50000]
    python -m bench.overview --database postgresql+psycopg://postgres@127.0.0.1:5432/epmo_bench

Loads the demo enterprise when the database has no projects, starts the real server
(``epmo serve``) in a subprocess, and times the endpoint (wall time of the HTTP call; the
``Server-Timing`` header too when the app sends one) interleaved with two baselines run with
the database driver directly on the same database: hand-written GROUP BY queries for the
issue's figures, and a replay of the exact statements the overview service emits.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bench.common import BENCH_TODAY, Stats, wait_ready

BENCH_EMAIL = "bench@epmo.local"
TARGET_P95_MS = 150.0
TARGET_RATIO = 2.0
# The server runs twice: computing every overview afresh, then as deployed (a worker reuses
# an overview while the audit head is unchanged: nothing is written during the bench).
MODES = (("cache off: every call aggregates afresh", "0"),
         ("cache on (the default): calls reuse the figures while nothing is written", "300"))

# The figures written by hand: totals, by department, goal, stage, health (and
# programme, which the endpoint also returns), plus the labels the response carries.
# {money} is SUM(x) on PostgreSQL and an exact sum of whole cents on SQLite, as the app does.
RAW_QUERIES = (
    "SELECT id, code, name, parent_id FROM department ORDER BY code",
    "SELECT id, code, name, parent_id FROM goal ORDER BY code",
    "SELECT COUNT(*), {planned}, {actual}, {forecast} FROM project",
    "SELECT department_id, health, COUNT(*), {planned}, {actual}, {forecast} FROM project "
    "GROUP BY department_id, health",
    "SELECT pg.goal_id, p.health, COUNT(*), {planned}, {actual}, {forecast} "
    "FROM project_goal pg JOIN project p ON p.id = pg.project_id GROUP BY pg.goal_id, p.health",
    "SELECT stage, health, COUNT(*), {planned}, {actual}, {forecast} FROM project "
    "GROUP BY stage, health",
    "SELECT health, COUNT(*), {planned}, {actual}, {forecast} FROM project GROUP BY health",
    "SELECT programme_id, health, COUNT(*), {planned}, {actual}, {forecast} FROM project "
    "GROUP BY programme_id, health",
    "SELECT id, code, name FROM programme ORDER BY code",
)


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.overview", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of the database")
    parser.add_argument("--projects", type=int, default=50_000,
                        help="projects of the demo loaded when the database has none")
    parser.add_argument("--repeat", type=int, default=50, help="timed calls of each kind")
    parser.add_argument("--warmup", type=int, default=3, help="untimed calls first")
    parser.add_argument("--seed", type=int, default=1, help="seed of the demo loaded")
    parser.add_argument("--today", type=date.fromisoformat, default=BENCH_TODAY,
                        help="reference date of the demo loaded (default %(default)s)")
    return parser.parse_args(argv)


def _configure(url: str) -> None:
    """Point every epmo setting and engine of this process at ``url``."""
    os.environ["EPMO_DATABASE_URL"] = url
    from epmo import wiring
    from epmo.config import get_settings
    from epmo.db import SessionFactory, get_engine

    get_settings.cache_clear()
    get_engine.cache_clear()
    SessionFactory.maker = None
    wiring.install()


# --- the machine --------------------------------------------------------------------------


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def _ram_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return float("nan")


def _postgres_version(url: str) -> str:
    import psycopg

    if url.startswith("postgresql"):
        with psycopg.connect(_conninfo(url)) as conn:
            row = conn.execute("SHOW server_version").fetchone()
        return f"{row[0] if row else '?'} (server)"
    return f"not used by this run (libpq client {psycopg.pq.version()})"


def machine(url: str) -> str:
    """One line describing the machine and the database software."""
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    return (f"machine: {_cpu_model()}, {cores} cores ({usable} usable), {_ram_gib():.1f} GiB RAM,"
            f" Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"PostgreSQL {_postgres_version(url)}; load average {os.getloadavg()[0]:.1f}")


# --- the database: schema, demo load, bench user -------------------------------------------


def prepare(url: str, projects: int, seed: int, today: date) -> tuple[int, int]:
    """Create the schema if needed, load the demo when there are no projects; return counts."""
    from sqlalchemy import func, inspect, select

    from epmo.cli.platform import upgrade_database
    from epmo.db import get_engine, unit_of_work
    from epmo.demo import cli as demo_cli
    from epmo.portfolio.models import Milestone, Project

    if not inspect(get_engine()).has_table("project"):
        upgrade_database(url)
    with unit_of_work() as session:
        existing = session.scalar(select(func.count()).select_from(Project)) or 0
    if not existing:
        print(f"loading the demo enterprise ({projects:,} projects, seed {seed})...")
        demo_cli.demo(size=demo_cli.Size.large, projects=projects, seed=seed,
                      today=datetime.combine(today, datetime.min.time()),
                      force=False, if_empty=True)
    with unit_of_work() as session:
        counted = session.scalar(select(func.count()).select_from(Project)) or 0
        milestones = session.scalar(select(func.count()).select_from(Milestone)) or 0
    return counted, milestones


def bench_token() -> str:
    """An API token of an enterprise-wide (executive) bench user, created when missing."""
    from epmo.auth import service as auth_service
    from epmo.db import unit_of_work
    from epmo.errors import NotFound

    with unit_of_work() as session:
        session.actor_label = "bench.overview"
        try:
            user = auth_service.get_user_by_email(session, BENCH_EMAIL)
        except NotFound:
            user = auth_service.create_user(session, email=BENCH_EMAIL, name="Benchmark",
                                            role="executive", password=None)
        return auth_service.create_token(session, user, "bench.overview")[1]


def captured_statements() -> list[tuple[str, Any]]:
    """The statements (and parameters) one in-process overview call sends to the driver."""
    from sqlalchemy import event

    from epmo.auth import service as auth_service
    from epmo.db import get_engine, unit_of_work
    from epmo.overview import service as overview_service

    seen: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        seen.append((statement, params))

    with unit_of_work() as session:
        actor = auth_service.actor_for(session, auth_service.get_user_by_email(session,
                                                                             BENCH_EMAIL))
        event.listen(get_engine(), "before_cursor_execute", capture)
        try:
            overview_service.get_overview(session, actor)
        finally:
            event.remove(get_engine(), "before_cursor_execute", capture)
    return [(sql, params) for sql, params in seen
            if sql.lstrip().upper().startswith(("SELECT", "WITH"))]


# --- raw SQL with the driver ---------------------------------------------------------------


def _conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def connect_driver(url: str) -> Any:
    """A plain DBAPI connection (sqlite3 or psycopg) to the database, outside SQLAlchemy."""
    if url.startswith("sqlite"):
        database = make_url(url).database or ""
        return sqlite3.connect(database)
    import psycopg

    return psycopg.connect(_conninfo(url), autocommit=True)


def raw_queries(url: str) -> list[str]:
    """The hand-written queries with this database's exact money sum."""
    def money(column: str) -> str:
        if url.startswith("sqlite"):
            return f"SUM(CAST(ROUND({column} * 100) AS INTEGER)) / 100.0"
        return f"SUM({column})"

    return [q.format(planned=money("budget_planned"), actual=money("budget_actual"),
                     forecast=money("budget_forecast")) for q in RAW_QUERIES]


def run_statements(conn: Any, statements: Sequence[tuple[str, Any]]) -> None:
    """Execute and fetch every statement (what a caller of the driver would do)."""
    cursor = conn.cursor()
    for statement, params in statements:
        if params:
            cursor.execute(statement, params)
        else:
            cursor.execute(statement)
        cursor.fetchall()
    cursor.close()


# --- the server ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def server(url: str, cache_seconds: str) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """Run ``epmo serve`` on a free port against ``url`` until the block ends."""
    port = _free_port()
    env = {**os.environ, "EPMO_DATABASE_URL": url, "EPMO_OVERVIEW_CACHE_SECONDS": cache_seconds}
    command = [sys.executable, "-c", "from epmo.cli import main; main()", "serve",
               "--host", "127.0.0.1", "--port", str(port)]
    with tempfile.TemporaryDirectory(prefix="epmo-bench-") as folder:
        log = Path(folder) / "server.log"
        with log.open("wb") as sink:
            proc = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
            try:
                wait_ready(proc, port, log)
                yield proc, port
            finally:
                proc.terminate()
                proc.wait(timeout=20)




def peak_rss_mib(pid: int) -> float:
    """Peak resident memory (VmHWM) of a running process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _server_timing(header: str | None) -> float | None:
    """Sum of the ``dur`` values of a Server-Timing header, in ms."""
    if not header:
        return None
    total = 0.0
    for metric in header.split(","):
        for part in metric.split(";"):
            name, _, value = part.strip().partition("=")
            if name == "dur":
                total += float(value)
    return total


class ApiClient:
    """A keep-alive HTTP client for the overview endpoint."""

    def __init__(self, port: int, token: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self.server_ms: list[float] = []
        self.body: dict[str, Any] = {}

    def _get(self) -> http.client.HTTPResponse:
        self.conn.request("GET", "/api/v1/overview", headers=self.headers)
        return self.conn.getresponse()

    def call(self) -> None:
        """GET /api/v1/overview once; fail loudly on anything but 200."""
        try:
            response = self._get()
        except (http.client.RemoteDisconnected, ConnectionResetError):
            # the server drops a keep-alive connection idle past its timeout (a slow
            # interleaved action on a busy machine): reconnect once
            self.conn.close()
            response = self._get()
        payload = response.read()
        if response.status != 200:
            raise SystemExit(f"GET /api/v1/overview answered {response.status}: {payload[:500]!r}")
        timing = _server_timing(response.getheader("Server-Timing"))
        if timing is not None:
            self.server_ms.append(timing)
        self.body = json.loads(payload)


def _timed(action: Callable[[], None]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def measure(actions: dict[str, Callable[[], None]], repeat: int, warmup: int) -> dict[str, Stats]:
    """Run the actions interleaved (so machine noise hits all alike) and summarise each."""
    for _ in range(warmup):
        for action in actions.values():
            action()
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            samples[name].append(_timed(action))
    return {name: Stats.of(values) for name, values in samples.items()}


def report(results: dict[str, Stats], api: ApiClient, rss: float, sql_count: int) -> None:
    """Print the figures, the ratios and the issue's targets."""
    http_stats, raw = results["api"], results["raw"]
    print(f"GET /api/v1/overview (HTTP wall time)      {http_stats}")
    if api.server_ms:
        print(f"  Server-Timing header                     {Stats.of(api.server_ms)}")
    else:
        print("  Server-Timing header                     not sent by the app")
    print(f"raw SQL, hand-written ({len(RAW_QUERIES)} queries)      {raw}")
    if "replay" in results:
        print(f"raw SQL, the service's own statements      {results['replay']}")
    print(f"ratio API / hand-written SQL: median {http_stats.median / raw.median:.2f}x, "
          f"p95 {http_stats.p95 / raw.p95:.2f}x")
    print(f"server peak RSS (VmHWM): {rss:.0f} MiB")
    api_count = api.body.get("totals", {}).get("count")
    print(f"check: API totals.count {api_count} vs SQL count {sql_count}: "
          f"{'ok' if api_count == sql_count else 'MISMATCH'}")
    p95_ok = http_stats.p95 < TARGET_P95_MS
    ratio_ok = http_stats.p95 <= TARGET_RATIO * raw.p95
    print(f"targets: p95 < {TARGET_P95_MS:.0f} ms: {'met' if p95_ok else 'NOT met'}; "
          f"within {TARGET_RATIO:.0f}x of raw SQL (p95): {'met' if ratio_ok else 'NOT met'}")


def main(argv: Sequence[str] | None = None) -> None:
    """Load if needed, serve, measure, print."""
    args = _parse(argv)
    _configure(args.database)
    print(machine(args.database))
    projects, milestones = prepare(args.database, args.projects, args.seed, args.today)
    print(f"database: {make_url(args.database).render_as_string()} "
          f"({projects:,} projects, {milestones:,} milestones)")
    token = bench_token()
    statements = [(q, ()) for q in raw_queries(args.database)]
    replay = captured_statements()
    conn = connect_driver(args.database)
    # the overview covers active work by default (closed and cancelled projects apart)
    sql_count = conn.cursor().execute(
        "SELECT COUNT(*) FROM project WHERE stage NOT IN ('closed', 'cancelled')").fetchone()[0]
    print(f"{args.repeat} timed calls of each kind after {args.warmup} warm-up rounds, "
          f"interleaved; the service emitted {len(replay)} statements")
    for label, seconds in MODES:
        with server(args.database, seconds) as (proc, port):
            api = ApiClient(port, token)
            actions = {"api": api.call, "raw": lambda: run_statements(conn, statements),
                       "replay": lambda: run_statements(conn, replay)}
            results = measure(actions, args.repeat, args.warmup)
            rss = peak_rss_mib(proc.pid)
        print(f"\n== {label} (EPMO_OVERVIEW_CACHE_SECONDS={seconds})")
        report(results, api, rss, sql_count)
    conn.close()


if __name__ == "__main__":
    main()

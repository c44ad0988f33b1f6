"""Load test: 50 signed-in users doing their daily work against ``epmo serve --workers 2``.

    python -m bench.load [--db sqlite|postgresql] [--seconds 300] [--users 50] [--advisory]

Starts from nothing, on loopback only, and cleans up after itself:

1. a fresh database: an SQLite file in a temporary folder, or (``--db postgresql``) a new
   database ``epmo_load_<pid>`` on the server of ``--postgres`` (default: the test server,
   127.0.0.1:5432, user postgres), dropped at the end; ``epmo init`` then
   ``epmo demo --size medium`` (5,000 projects) as an operator would;
2. the load users, created in a child process with the auth service (what ``epmo user create``
   does, without starting 50 processes): administrators, executives, department leads,
   project managers, members and viewers in the departments with the most projects, all with
   one random password of this run (so the demo's own passwords, which may change, do not
   matter);
3. the real server: ``epmo serve --workers 2`` on a free loopback port with a random secret key
   (both workers must sign sessions alike);
4. the users (``bench.load_users``) sign in through the login form and for ``--seconds`` list
   projects with filters and paging, read the overview (API and page), project pages and
   notifications, PATCH projects and milestones with the version they read (a 409 is the
   expected answer to a stale version: counted apart, re-read and retried), submit status
   reports and intake requests.

It prints p50/p95/p99 and the count per request kind, the 4xx by status, server errors (5xx,
with the first few bodies) and connection errors, the machine and its load average (the
machine may be shared: compare figures taken at a similar load). It exits 1 when there was a
server or connection error or a read kind's p95 is over ``--read-p95-ms`` (500), unless
``--advisory``.

Why locust: the guide names it for load, and it runs in-process here (``locust.env``, a local
runner, headless; no web UI, no CLI): locust schedules the users as gevent greenlets with a
think time, which on a 2-core machine costs far less CPU than 50 threads; the figures are
computed here from every request's own time (locust's request event), not locust's rounded
histograms. locust monkey-patches the standard library when imported, so this process opens
no database connection itself: the setup and teardown run in child processes
(``bench.load_setup``, the ``epmo`` CLI).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
READ_P95_MS = 500.0
READY_SECONDS = 180
ROLES = 6  # bench.load_users.MIX
SECRET_KEY = secrets.token_hex(32)  # the server's workers must sign sessions alike
SHOWN_ERRORS = 12  # examples printed: the first of each request kind and status
BIN = Path(sys.executable).parent


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--seconds", type=int, default=300, help="how long the users work")
    parser.add_argument("--users", type=int, default=50, help="simulated users")
    parser.add_argument("--postgres", default=os.environ.get("EPMO_TEST_POSTGRES_URL", POSTGRES),
                        help="a PostgreSQL URL whose server gets the load database")
    parser.add_argument("--read-p95-ms", type=float, default=READ_P95_MS,
                        help="fail when a read kind's p95 is over this")
    parser.add_argument("--advisory", action="store_true",
                        help="print the verdict but exit 0 (thresholds advisory)")
    args = parser.parse_args(argv)
    if args.seconds < 1 or args.users < ROLES:
        parser.error(f"--seconds must be at least 1 and --users at least {ROLES} (one a role)")
    return args


# --- the outcome of every request ----------------------------------------------------------


@dataclass
class Results:
    """Every request's time by kind, and the outcomes that were not a success."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    client_errors: Counter[tuple[str, int]] = field(default_factory=Counter)
    conflicts: Counter[str] = field(default_factory=Counter)
    server_errors: Counter[tuple[str, int]] = field(default_factory=Counter)
    connection_errors: Counter[str] = field(default_factory=Counter)
    examples: dict[tuple[str, object], str] = field(default_factory=dict)
    restarts: int = 0

    def record(self, request_type: str, name: str, response_time: float, response: Any,
               exception: BaseException | None, **_: Any) -> None:
        """locust's request event: file the request under its kind and outcome."""
        status = getattr(response, "status_code", 0) or 0
        self.times[name].append(response_time)
        if status == 0 or (exception is not None and status < 400):
            self.connection_errors[name] += 1
            self._show(f"{request_type} {name}: {exception!r}", (name, type(exception)))
        elif status == 409:
            self.conflicts[name] += 1
        elif status >= 500:
            self.server_errors[(name, status)] += 1
            self._show(f"{request_type} {name} -> {status}: {response.text[:300]}", (name, status))
        elif status >= 400:
            self.client_errors[(name, status)] += 1
            self._show(f"{request_type} {name} -> {status}: {response.text[:200]}", (name, status))

    def _show(self, line: str, key: tuple[str, object]) -> None:
        """Keep the first example of each kind of failure."""
        if key not in self.examples and len(self.examples) < SHOWN_ERRORS:
            self.examples[key] = line


def percentile(ordered: Sequence[float], share: float) -> float:
    """Nearest-rank percentile of sorted samples."""
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def is_read(kind: str) -> bool:
    """Reads are the kinds that are not writes or the sign-in."""
    return not kind.endswith(("PATCH", "POST")) and not kind.startswith("sign-in")


# --- setup and teardown ---------------------------------------------------------------------


def _run(argv: list[str], env: dict[str, str], cwd: Path) -> str:
    """Run a setup command; its output on failure, then stop."""
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{' '.join(argv[:4])} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


def _environment(url: str, folder: Path) -> dict[str, str]:
    src = Path(__file__).resolve().parents[1]
    path = os.pathsep.join(p for p in (str(src / "src"), str(src),
                                       os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "EPMO_DATABASE_URL": url,
            "EPMO_JOBS_URL": f"sqlite:///{folder / 'jobs.db'}",
            "EPMO_MAIL_SINK_DIR": str(folder / "mail"), "EPMO_SECRET_KEY": SECRET_KEY}


@contextmanager
def database(args: argparse.Namespace, folder: Path) -> Iterator[str]:
    """A fresh, empty database URL: a file in ``folder`` or a new PostgreSQL database."""
    if args.db == "sqlite":
        yield f"sqlite:///{folder / 'load.db'}"
        return
    name = f"epmo_load_{os.getpid()}"
    setup = [sys.executable, "-m", "bench.load_setup"]
    env = _environment(args.postgres, folder)
    _run([*setup, "create", args.postgres, "--name", name], env, folder)
    try:
        yield f"{args.postgres.split('?')[0].rsplit('/', 1)[0]}/{name}"
    finally:
        _run([*setup, "drop", args.postgres, "--name", name], env, folder)


def prepare(url: str, folder: Path, users: int, password: str) -> dict[str, Any]:
    """``epmo init``, ``epmo demo --size medium``, the load users; the plan of their work."""
    env = _environment(url, folder)
    epmo = str(BIN / "epmo")
    started = time.perf_counter()
    _run([epmo, "init", "--admin-password", secrets.token_urlsafe(18)], env, folder)
    _run([epmo, "demo", "--size", "medium"], env, folder)
    print(f"database ready in {time.perf_counter() - started:.0f}s (epmo init + demo medium)")
    roles = json.dumps(role_counts(users))
    plan = _run([sys.executable, "-m", "bench.load_setup", "plan", url, "--roles", roles,
                 "--password", password], env, folder)
    return dict(json.loads(plan))


def role_counts(users: int) -> dict[str, int]:
    """How many users of each role (the mix of ``bench.load_users.MIX``, scaled)."""
    from bench.load_users import MIX

    total = sum(share for _, share in MIX.values())
    counts = {role: max(1, round(users * share / total)) for role, (_, share) in MIX.items()}
    counts[max(counts, key=counts.__getitem__)] += users - sum(counts.values())
    return counts


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(url: str, folder: Path, log: Path) -> Iterator[str]:
    """``epmo serve --workers 2`` on a free loopback port until the block ends."""
    port = _free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(BIN / "epmo"), "serve", "--host", "127.0.0.1", "--port", str(port),
             "--workers", "2"], env=_environment(url, folder), cwd=folder, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_ready(base, process)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # the server and its workers
                process.wait()


def _wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    # Generous: on a loaded machine a worker's start takes long, and uvicorn replaces a worker
    # that does not answer its health check within 5 s (the log says "Child process died").
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the server stopped ({process.returncode}) before it was ready")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"the server was not ready within {READY_SECONDS} s")


# --- the run --------------------------------------------------------------------------------


def swarm(base: str, plan: dict[str, Any], password: str, users: int,
          seconds: int) -> tuple[Results, list[float]]:
    """Run the users for ``seconds`` (locust in-process); the results and load averages."""
    from locust import User
    from locust.env import Environment

    from bench.load_users import MIX, Plan

    Plan.load(plan, password)
    counts = role_counts(users)
    classes: list[type[User]] = []
    for role, (cls, _) in MIX.items():
        cls.fixed_count = counts.get(role, 0)
        classes.append(cls)
    results, loads, done = Results(), [os.getloadavg()[0]], threading.Event()
    env = Environment(user_classes=classes, host=base)
    env.events.request.add_listener(results.record)  # type: ignore[no-untyped-call]
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=max(1.0, users / 10))
    # threading is gevent's once locust is imported: these are greenlets
    threading.Thread(target=_sample_load, args=(loads, done), daemon=True).start()
    threading.Timer(seconds, runner.quit).start()
    runner.greenlet.join()
    done.set()
    return results, loads


def _sample_load(loads: list[float], done: threading.Event) -> None:
    while not done.wait(10):
        loads.append(os.getloadavg()[0])


# --- the report -----------------------------------------------------------------------------


def machine() -> str:
    """Cores, CPU and the load averages now."""
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU")
    one, five, fifteen = os.getloadavg()
    return (f"machine: {model}, {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
            f"load average now {one:.1f} / {five:.1f} / {fifteen:.1f}")


def report(results: Results, loads: list[float], seconds: int, threshold: float) -> list[str]:
    """Print the figures; return what failed (empty: the run met its targets)."""
    print(f"\n{'kind':<30}{'count':>8}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'409':>6}")
    slow = []
    for kind in sorted(results.times):
        ordered = sorted(results.times[kind])
        p95 = percentile(ordered, 0.95)
        print(f"{kind:<30}{len(ordered):>8}{percentile(ordered, 0.5):>10.0f}{p95:>10.0f}"
              f"{percentile(ordered, 0.99):>10.0f}{results.conflicts[kind]:>6}")
        if is_read(kind) and p95 > threshold:
            slow.append(f"{kind} p95 {p95:.0f} ms > {threshold:.0f} ms")
    total = sum(len(t) for t in results.times.values())
    print(f"\n{total} requests in {seconds} s ({total / seconds:.1f}/s); 409 (stale version or "
          f"taken, expected, retried): {sum(results.conflicts.values())}")
    _counts("4xx by status", results.client_errors)
    _counts("5xx server errors", results.server_errors)
    print(f"connection errors: {sum(results.connection_errors.values())} "
          f"{dict(results.connection_errors) or ''}")
    for line in results.examples.values():
        print(f"  e.g. {line}")
    print(f"server workers replaced (uvicorn health check): {results.restarts}")
    print(f"load average (1 min) during the run: mean {sum(loads) / len(loads):.1f}, "
          f"max {max(loads):.1f}; {machine()}")
    return _verdict(results, slow)


def _counts(title: str, counts: Counter[tuple[str, int]]) -> None:
    by_status = Counter[int]()
    for (_, status), n in counts.items():
        by_status[status] += n
    print(f"{title}: {sum(counts.values())} {dict(sorted(by_status.items())) or ''}")
    for (kind, status), n in sorted(counts.items()):
        print(f"  {status} {kind}: {n}")


def _verdict(results: Results, slow: list[str]) -> list[str]:
    failed = list(slow)
    if results.server_errors:
        failed.append(f"{sum(results.server_errors.values())} server errors")
    if results.connection_errors:
        failed.append(f"{sum(results.connection_errors.values())} connection errors")
    return failed


def main(argv: Sequence[str] | None = None) -> int:
    """Set up, run the users, report; 1 when a target was missed (unless advisory)."""
    args = _parse(argv)
    print(machine())
    password = secrets.token_urlsafe(18)
    with tempfile.TemporaryDirectory(prefix="epmo-load-") as tmp:
        folder = Path(tmp)
        log = Path(tempfile.gettempdir()) / f"epmo-load-{args.db}-{os.getpid()}.log"
        with database(args, folder) as url:
            plan = prepare(url, folder, args.users, password)
            with server(url, folder, log) as base:
                print(f"{args.users} users for {args.seconds}s against {base} "
                      f"(epmo serve --workers 2, {args.db}); server log: {log}")
                results, loads = swarm(base, plan, password, args.users, args.seconds)
        results.restarts = log.read_text().count("] died")
    failed = report(results, loads, args.seconds, args.read_p95_ms)
    print("verdict: " + ("; ".join(failed) if failed else "targets met"))
    return 1 if failed and not args.advisory else 0


if __name__ == "__main__":
    sys.exit(main())

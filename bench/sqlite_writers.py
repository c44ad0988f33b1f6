"""20 concurrent writers for 60 s against ``epmo serve`` on SQLite (real HTTP on loopback).

Initialises a fresh SQLite file (``epmo init``), creates a token and one project per writer,
starts the real server in a subprocess, then runs the writers, each in its own thread with
its own connection, in a loop: PATCH its project with the version it holds, POST a new
project, POST an intake request (an automatic REQ code). Prints requests, server errors
(5xx and failed connections: the target is 0), conflicts (409: none expected, every writer
edits its own project) and p50/p95 latency per kind and overall.

    python -m bench.sqlite_writers [--writers 20] [--seconds 60]

Compare with the code before the fix by pointing PYTHONPATH at an older checkout.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import Stats, wait_ready

ADMIN = "bench@epmo.local"


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    return parser.parse_args(argv)


def _epmo(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "epmo", *args], env=env, capture_output=True,
                          text=True, check=False, timeout=300)
    if done.returncode:
        raise SystemExit(f"epmo {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(env: dict[str, str], folder: Path) -> Iterator[int]:
    """``epmo serve`` on a free loopback port until the block ends."""
    port = _free_port()
    log = folder / "server.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "epmo", "serve", "--port", str(port)],
                                env=env, stdout=sink, stderr=subprocess.STDOUT)
        try:
            wait_ready(proc, port, log)
            yield port
        finally:
            proc.terminate()
            proc.wait(timeout=30)




@dataclass
class Tally:
    """What the writers saw: latencies per request kind, statuses, errors."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    millis: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def add(self, kind: str, status: int, millis: float, text: str) -> None:
        """Record one response (status 0: the connection failed)."""
        with self.lock:
            self.millis[kind].append(millis)
            self.statuses[status] += 1
            if status == 0 or status >= 500:
                self.failures.append(f"{kind} {status} {text[:200]}")


class Writer:
    """One simulated user with its own HTTP connection and its own project."""

    def __init__(self, port: int, token: str, index: int, tally: Tally) -> None:
        self.port, self.index, self.tally = port, index, tally
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.count = 0

    def call(self, kind: str, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """Send one request, time it, and return its JSON body ({} when there is none)."""
        start = time.perf_counter()
        try:
            self.conn.request(method, path, json.dumps(body), self.headers)
            response = self.conn.getresponse()
            status, text = response.status, response.read().decode()
        except OSError as exc:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            status, text = 0, repr(exc)
        self.tally.add(kind, status, (time.perf_counter() - start) * 1000, text)
        try:
            return json.loads(text) if 200 <= status < 300 else {}  # type: ignore[no-any-return]
        except ValueError:
            return {}

    def run(self, project: dict[str, Any], department: int, until: float) -> None:
        """Loop PATCH / POST project / POST intake request until ``until``."""
        version = project["version"]
        while time.monotonic() < until:
            self.count += 1
            done = self.call("PATCH project", "PATCH", f"/api/v1/projects/{project['id']}",
                             {"version": version, "name": f"Writer {self.index} #{self.count}"})
            version = done.get("version", version)
            self.call("POST project", "POST", "/api/v1/projects", {
                "code": f"B{self.index:02d}-{self.count:05d}", "name": "Bench project",
                "department_id": department})
            self.call("POST intake", "POST", "/api/v1/intake/requests", {
                "title": "Bench request", "problem": "Load", "department_id": department,
                "duration_months": 3})


def _setup(port: int, token: str, writers: int, tally: Tally) -> tuple[int, list[dict[str, Any]]]:
    admin = Writer(port, token, 99, tally)
    department = admin.call("setup", "POST", "/api/v1/departments",
                            {"code": "BENCH", "name": "Bench department"})["id"]
    projects = [admin.call("setup", "POST", "/api/v1/projects", {
        "code": f"W-{i:02d}", "name": f"Writer {i}", "department_id": department})
        for i in range(writers)]
    return int(department), projects


def run(writers: int, seconds: float, port: int, token: str) -> Tally:
    """Start the writers together and wait for them."""
    tally = Tally()
    department, projects = _setup(port, token, writers, tally)
    tally = Tally()
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=Writer(port, token, i, tally).run,
                                args=(projects[i], department, until)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def report(tally: Tally, writers: int, seconds: float) -> None:
    """Print the figures and the machine."""
    total = sum(tally.statuses.values())
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}")
    print(f"{writers} writers for {seconds:.0f} s: {total} requests "
          f"({total / seconds:.1f}/s), errors {len(tally.failures)}, "
          f"409 conflicts {tally.statuses[409]}, statuses {dict(sorted(tally.statuses.items()))}")
    everything: list[float] = []
    for kind, millis in sorted(tally.millis.items()):
        everything += millis
        print(f"  {kind:14s} {Stats.of(millis)}")
    if everything:
        print(f"  {'all':14s} {Stats.of(everything)}")
    for failure in tally.failures[:5]:
        print(f"  error: {failure}")


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark on a fresh SQLite file in a temporary folder."""
    args = _parse(argv)
    with tempfile.TemporaryDirectory(prefix="epmo-writers-") as name:
        folder = Path(name)
        env = {**os.environ, "EPMO_DATABASE_URL": f"sqlite:///{folder / 'epmo.db'}",
               "EPMO_JOBS_URL": f"sqlite:///{folder / 'jobs.db'}", "EPMO_ENV": "development"}
        _epmo(env, "init", "--admin-email", ADMIN, "--admin-password", "bench-password-1")
        token = _epmo(env, "token", "create", "--user", ADMIN).strip().splitlines()[-1]
        with server(env, folder) as port:
            tally = run(args.writers, args.seconds, port, token)
    report(tally, args.writers, args.seconds)


if __name__ == "__main__":
    main()

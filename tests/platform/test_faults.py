"""kill -9 of a real ``epmo serve`` mid-import, mid-burst and mid-webhook: nothing acknowledged
is lost, nothing half-written stays, the audit chain verifies, queued deliveries go out."""

from __future__ import annotations

import http.client
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from epmo.db import make_engine
from epmo.models import Base
from epmo.notifications.models import WebhookDelivery
from epmo.org.models import Department
from epmo.portfolio.models import Project
from tests.conftest import PG_URL, drop_pg_schema

ADMIN, PASSWORD = "admin@faults.example.org", "faults-password-1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def poll(check: Callable[[], Any], seconds: float, what: str) -> Any:
    """Return ``check()``'s first truthy result, polling for at most ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


@dataclass
class Hub:
    """A real ``epmo serve`` process on one database, restartable, killable."""

    folder: Path
    url: str
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    port: int = 0
    token: str = ""

    def epmo(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run an ``epmo`` command on the hub's database."""
        return subprocess.run([sys.executable, "-m", "epmo", *args], env=self.env, text=True,
                              cwd=self.folder, capture_output=True, timeout=120, check=False)

    def start(self) -> None:
        """Start the server and wait until it answers."""
        self.port = _free_port()
        log = (self.folder / "serve.log").open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "epmo", "serve", "--port", str(self.port)], env=self.env,
            cwd=self.folder, stdout=log, stderr=subprocess.STDOUT)
        poll(self._answers, 60, "the server to answer")

    def _answers(self) -> bool:
        assert self.proc is not None and self.proc.poll() is None, "the server exited"
        try:
            return self.request("GET", "/healthz")[0] == 200
        except OSError:
            return False

    def kill(self) -> None:
        """kill -9 the server (uvicorn with one worker serves in this very process)."""
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(timeout=30)

    def request(self, method: str, path: str, body: Any = None,
                headers: dict[str, str] | None = None, timeout: float = 60) -> tuple[int, Any]:
        """One HTTP request with the admin's token; (status, JSON or text)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        sent = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        if body is not None and not isinstance(body, bytes):
            body, sent["Content-Type"] = json.dumps(body), "application/json"
        conn.request(method, path, body, sent)
        response = conn.getresponse()
        data = response.read().decode()
        try:
            return response.status, json.loads(data)
        except ValueError:
            return response.status, data


@pytest.fixture(scope="module")
def hub(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """An initialised database (SQLite file or PostgreSQL schema) and a running server on it;
    each test leaves it restarted after its kill, for the next."""
    tmp_path = tmp_path_factory.mktemp("faults")
    url = f"sqlite:///{tmp_path / 'epmo.db'}"
    schema = f"epmo_faults_{os.getpid()}"
    if backend == "postgresql":
        drop_pg_schema(schema, create=True)
        url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    env = {**os.environ, "EPMO_DATABASE_URL": url, "EPMO_ENV": "test",
           "EPMO_JOBS_URL": f"sqlite:///{tmp_path / 'jobs.db'}",
           "EPMO_WEBHOOK_TIMEOUT_SECONDS": "5", "EPMO_WEBHOOK_RETRY_BASE_SECONDS": "1",
           "EPMO_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1"}  # the receiver is on loopback
    hub = Hub(tmp_path, url, env)
    done = hub.epmo("init", "--admin-email", ADMIN, "--admin-password", PASSWORD)
    assert done.returncode == 0, done.stderr
    with _engine(hub) as engine:
        Base.metadata.create_all(engine)  # tables newer than the last migration, if any
    hub.token = hub.epmo("token", "create", "--user", ADMIN).stdout.strip().splitlines()[-1]
    hub.start()
    try:
        yield hub
    finally:
        if hub.proc is not None and hub.proc.poll() is None:
            hub.kill()
        if backend == "postgresql":
            drop_pg_schema(schema)


@contextmanager
def _engine(hub: Hub) -> Iterator[Engine]:
    engine = make_engine(hub.url)
    try:
        yield engine
    finally:
        engine.dispose()


def _count(hub: Hub, query: Any) -> int:
    with _engine(hub) as engine, engine.connect() as conn:
        return int(conn.execute(query).scalar() or 0)


def _restart_and_verify(hub: Hub) -> None:
    hub.start()
    verdict = hub.epmo("audit", "verify")
    assert verdict.returncode == 0, verdict.stdout + verdict.stderr


def test_kill_during_a_large_import_leaves_all_or_nothing(hub: Hub) -> None:
    rows = 20_000
    csv = "code,name\n" + "".join(f"IMP-{i:05d},Imported {i}\n" for i in range(rows))
    boundary = "epmofaultsboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"big.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n"
            f"--{boundary}--\r\n").encode()
    conn = http.client.HTTPConnection("127.0.0.1", hub.port, timeout=120)
    conn.request("POST", "/api/v1/imports/departments", body, {
        "Authorization": f"Bearer {hub.token}",
        "Content-Type": f"multipart/form-data; boundary={boundary}"})
    time.sleep(0.5)  # the upload is sent; the server is reading and writing it
    hub.kill()
    try:
        acknowledged = conn.getresponse().status == 200  # only if it finished before the kill
    except (OSError, http.client.HTTPException):
        acknowledged = False
    imported = select(func.count()).select_from(Department).where(Department.code.like("IMP-%"))
    expected = (rows,) if acknowledged else (0, rows)
    assert _count(hub, imported) in expected
    _restart_and_verify(hub)
    assert _count(hub, imported) in expected


def test_kill_during_a_burst_of_writes_keeps_every_acknowledged_one(hub: Hub) -> None:
    status, department = hub.request("POST", "/api/v1/departments",
                                     {"code": "BURST", "name": "Burst"})
    assert status == 201, department
    acknowledged: list[str] = []
    refused: list[str] = []
    lock = threading.Lock()

    def writer(index: int) -> None:
        for step in range(10_000):
            code = f"K{index:02d}-{step:05d}"
            try:
                status, _ = hub.request("POST", "/api/v1/projects", {
                    "code": code, "name": "Burst", "department_id": department["id"]})
            except (OSError, http.client.HTTPException):
                return  # the server is gone: this write was not acknowledged
            with lock:
                (acknowledged if status == 201 else refused).append(f"{code} {status}")

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    poll(lambda: len(acknowledged) >= 30, 60, "30 acknowledged writes")
    hub.kill()
    for thread in threads:
        thread.join(timeout=60)
    _restart_and_verify(hub)
    with _engine(hub) as engine, engine.connect() as conn:
        stored = set(conn.execute(select(Project.code).where(Project.code.like("K%"))).scalars())
    assert refused == []
    acknowledged = [entry.split()[0] for entry in acknowledged]
    assert set(acknowledged) <= stored
    assert len(stored) - len(acknowledged) <= 10  # at most one in flight per writer


class StallingReceiver(http.server.ThreadingHTTPServer):
    """Takes webhook posts; the first stalls (never answers) until released, later ones 200."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.received: list[str] = []
        self.first_arrived = threading.Event()
        self.release = threading.Event()

    @property
    def url(self) -> str:
        """Where to post."""
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: StallingReceiver

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append(self.headers["X-Epmo-Delivery"])
        if len(self.server.received) == 1:
            self.server.first_arrived.set()
            self.server.release.wait(300)
            return
        self.send_response(200)
        self.end_headers()

    def log_message(self, *_: Any) -> None:
        return None


@pytest.fixture
def receiver() -> Iterator[StallingReceiver]:
    """A webhook receiver on loopback whose first delivery hangs."""
    server = StallingReceiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def test_a_webhook_delivery_cut_by_a_kill_goes_out_after_restart(
        hub: Hub, receiver: StallingReceiver) -> None:
    status, hook = hub.request("POST", "/api/v1/webhooks", {"name": "faults", "url": receiver.url})
    assert status == 201, hook
    status, delivery = hub.request("POST", f"/api/v1/webhooks/{hook['id']}/test")
    assert status in (200, 201, 202), delivery
    assert receiver.first_arrived.wait(60), "the delivery never started"
    hub.kill()
    query = select(WebhookDelivery.status).where(WebhookDelivery.id == delivery["id"])
    assert _count_text(hub, query) == "pending"  # claimed mid-send: still queued
    _restart_and_verify(hub)
    # The claim leased the row for the send time plus a minute; the sweep retries it then.
    poll(lambda: len(receiver.received) >= 2, 240, "the delivery to be retried")
    poll(lambda: _count_text(hub, query) == "delivered", 30, "the delivery to be recorded")
    assert receiver.received[:2] == [str(delivery["id"])] * 2


def _count_text(hub: Hub, query: Any) -> str:
    with _engine(hub) as engine, engine.connect() as conn:
        return str(conn.execute(query).scalar())

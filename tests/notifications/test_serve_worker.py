"""`epmo serve` runs one job consumer in-process with the SQLite queue, none when told not to."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from epmo.db import make_engine
from epmo.models import Base
from tests.notifications.conftest import free_port


def _serve(tmp_path: Path, **env: str) -> str:
    """Start `epmo serve`, wait until it answers, stop it, return its output."""
    environ = {**os.environ, "EPMO_DATABASE_URL": f"sqlite:///{tmp_path / 'epmo.db'}",
               "EPMO_JOBS_URL": f"sqlite:///{tmp_path / 'jobs.db'}", **env}
    subprocess.run([sys.executable, "-m", "epmo", "init"], env=environ, cwd=tmp_path,
                   check=True, capture_output=True)
    engine = make_engine(environ["EPMO_DATABASE_URL"])
    Base.metadata.create_all(engine)  # tables newer than the last migration, if any
    engine.dispose()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "epmo", "serve", "--port", str(port)],
                            env=environ, cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
    finally:
        proc.send_signal(signal.SIGINT)
        output = proc.communicate(timeout=60)[0]
    return output


@pytest.mark.parametrize(("setting", "expected"), [("true", True), ("false", False)])
def test_serve_runs_the_consumer_in_process(tmp_path: Path, setting: str,
                                            expected: bool) -> None:
    output = _serve(tmp_path, EPMO_INPROCESS_WORKER=setting)
    assert ("background jobs run in-process" in output) is expected, output
    assert "Traceback" not in output and "Application startup complete" in output

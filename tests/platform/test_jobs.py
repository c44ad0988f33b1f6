"""Background jobs: the daily run by CLI, through huey's task, and the worker process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from huey import RedisHuey, SqliteHuey
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from epmo.cli import app as cli_app
from epmo.compliance.models import ComplianceSnapshot
from epmo.config import Settings
from epmo.jobs import daily, huey, make_huey
from tests.conftest import Clients


def _snapshots(db: Session, day: object) -> int:
    query = select(func.count()).select_from(ComplianceSnapshot).where(
        ComplianceSnapshot.taken_on == day)
    return int(db.scalar(query) or 0)


def test_jobs_daily_records_a_snapshot_per_department_and_the_enterprise(
        as_: Clients, db: Session) -> None:
    result = CliRunner().invoke(cli_app, ["jobs", "daily", "--today", "2026-03-02"])
    assert result.exit_code == 0, result.output
    day = datetime(2026, 3, 2).date()
    enterprise = select(ComplianceSnapshot.id).where(ComplianceSnapshot.taken_on == day,
                                                     ComplianceSnapshot.department_id.is_(None))
    assert db.scalar(enterprise) is not None
    assert "daily jobs for 2026-03-02" in result.output


def test_the_periodic_task_runs_the_daily_jobs(as_: Clients, db: Session) -> None:
    today = datetime.now(UTC).date()
    before = _snapshots(db, today)
    huey.immediate = True  # run in this process, synchronously, through huey's task machinery
    try:
        daily()
    finally:
        huey.immediate = False
    assert before == 0 and _snapshots(db, today) > 0
    assert any(task.name == "epmo.daily" for task in huey._registry.periodic_tasks)


def test_queue_storage_follows_the_setting(tmp_path: Path) -> None:
    base = {"secret_key": "x", "env": "test"}
    assert isinstance(make_huey(Settings(jobs_url=f"sqlite:///{tmp_path}/q.db", **base)),
                      SqliteHuey)
    assert isinstance(make_huey(Settings(jobs_url="redis://127.0.0.1:6379/3", **base)),
                      RedisHuey)
    with pytest.raises(ValueError, match="EPMO_JOBS_URL"):
        make_huey(Settings(jobs_url="amqp://nope", **base))


def test_worker_process_starts_and_stops(tmp_path: Path) -> None:
    env = {**os.environ, "EPMO_DATABASE_URL": f"sqlite:///{tmp_path / 'epmo.db'}",
           "EPMO_JOBS_URL": f"sqlite:///{tmp_path / 'jobs.db'}"}
    proc = subprocess.Popen([sys.executable, "-m", "epmo", "worker"], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while not (tmp_path / "jobs.db").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
    finally:
        proc.send_signal(signal.SIGINT)
        output = proc.communicate(timeout=30)[0]
    assert "epmo worker: queue" in output and "jobs.db" in output
    assert "Traceback" not in output


def test_the_daily_run_proposes_value_ledger_entries_once(as_: Clients, db: Session) -> None:
    from epmo.ledger.models import LedgerEntry
    from tests.factories import Maker

    project = Maker(as_, as_.world).project("IT", budget_planned="1000.00",
                                        budget_actual="400.00")
    r = as_("admin").patch(f"/api/v1/projects/{project['id']}",
                           json={"version": project["version"], "stage": "cancelled"})
    assert r.status_code == 200, r.text
    first = CliRunner().invoke(cli_app, ["jobs", "daily", "--today", "2026-03-02"])
    assert first.exit_code == 0, first.output
    assert "1 value ledger entries proposed" in " ".join(first.output.split())
    entry = db.scalars(select(LedgerEntry)).one()
    assert (entry.status, entry.project_id, entry.amount) == ("proposed", project["id"], 600)
    again = CliRunner().invoke(cli_app, ["jobs", "daily", "--today", "2026-03-03"])
    assert "0 value ledger entries proposed" in " ".join(again.output.split())

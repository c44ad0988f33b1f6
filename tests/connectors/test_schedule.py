"""The schedule: due connections by interval, the worker's periodic task, the CLI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session
from typer.testing import CliRunner

from epmo.cli import app as cli_app
from epmo.connectors.models import JiraSyncRun
from epmo.connectors.sync import due_connections, sync_due
from epmo.jobs import huey, sync_jira
from tests.conftest import Clients
from tests.connectors.fake_jira import FakeJira, issue
from tests.connectors.test_sync import API, connect
from tests.world import World


def test_connections_fall_due_by_their_interval(as_: Clients, world: World, jira: FakeJira,
                                                db: Session) -> None:
    jira.issues = [issue("OPS-1", "One", "new", None)]
    hourly = connect(as_, world, jira)
    quick = connect(as_, world, jira, name="Quick", interval_minutes=5)
    off = connect(as_, world, jira, name="Off", active=False)
    now = datetime.now(UTC)
    assert set(due_connections(db, now)) == {hourly["id"], quick["id"]}  # never synced
    runs = sync_due(now, sleep=lambda _s: None)
    assert sorted(run.connection_id for run in runs) == sorted([hourly["id"], quick["id"]])
    assert all(run.trigger == "schedule" and run.outcome == "ok" for run in runs)
    assert due_connections(db, now + timedelta(minutes=4)) == []
    assert due_connections(db, now + timedelta(minutes=6)) == [quick["id"]]
    assert set(due_connections(db, now + timedelta(minutes=61))) == {hourly["id"], quick["id"]}
    assert off["id"] not in due_connections(db, now + timedelta(days=1))


def test_the_periodic_task_syncs_what_is_due(as_: Clients, world: World, jira: FakeJira,
                                             db: Session) -> None:
    jira.issues = [issue("OPS-1", "One", "new", None)]
    connection = connect(as_, world, jira)
    huey.immediate = True  # run in this process through huey's task machinery (and its lock)
    try:
        sync_jira()  # (a periodic task keeps no result)
        sync_jira()  # synced a moment ago: not due, so still one run
    finally:
        huey.immediate = False
    assert any(task.name == "epmo.sync_jira" for task in huey._registry.periodic_tasks)
    runs = as_("admin").get(f"{API}/{connection['id']}/runs").json()
    assert runs["total"] == 1 and runs["items"][0]["created"] == 1


def test_the_cli_syncs_one_connection_and_fails_on_a_failed_sync(
        as_: Clients, world: World, jira: FakeJira, db: Session) -> None:
    jira.issues = [issue("OPS-1", "One", "new", None)]
    connection = connect(as_, world, jira)
    result = CliRunner().invoke(cli_app, ["connectors", "sync", "--connection",
                                          str(connection["id"])])
    assert result.exit_code == 0, result.output
    assert f"connection {connection['id']}: ok, 1 issues: 1 created" in result.output
    run = db.query(JiraSyncRun).one()
    assert (run.trigger, run.created) == ("cli", 1)
    jira.token = "rotated-in-jira-0000"  # the stored token no longer works
    result = CliRunner().invoke(cli_app, ["connectors", "sync", "--all"])
    assert result.exit_code == 1
    assert f"connection {connection['id']}: failed: Jira refused the credentials" in result.output

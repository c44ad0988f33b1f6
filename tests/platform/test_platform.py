"""Health, settings, error shapes and the audit chain."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from epmo.audit.models import AuditEntry
from epmo.cli import app as cli_app
from epmo.config import Settings
from tests.conftest import Clients
from tests.world import World


def test_healthz(as_: Clients) -> None:
    r = as_.anon.get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok"


def test_unknown_api_route_is_problem_json(as_: Clients) -> None:
    r = as_("admin").get("/api/v1/nothing-here")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"


def test_production_requires_secret_key() -> None:
    with pytest.raises(ValueError, match="EPMO_SECRET_KEY"):
        Settings(env="production", secret_key="")
    assert Settings(env="production", secret_key="s" * 32).secret_key == "s" * 32


def test_openapi_is_served(as_: Clients) -> None:
    spec = as_.anon.get("/api/openapi.json").json()
    assert "/api/v1/departments" in spec["paths"]
    assert as_.anon.get("/api/docs").status_code == 200


def _entries(db: Session, entity: str) -> list[AuditEntry]:
    return list(db.scalars(select(AuditEntry).where(AuditEntry.entity == entity)
                           .order_by(AuditEntry.id)))


def test_writes_are_audited_with_before_and_after(as_: Clients, world: World, db: Session) -> None:
    created = as_("admin").post("/api/v1/departments", json={"code": "AUD", "name": "Audit me"}).json()
    as_("admin").patch(f"/api/v1/departments/{created['id']}",
                       json={"version": created["version"], "name": "Audited"})
    rows = [e for e in _entries(db, "department") if e.entity_id == str(created["id"])]
    assert [e.action for e in rows] == ["create", "update"]
    assert rows[0].after is not None and rows[0].after["name"] == "Audit me"
    assert rows[1].before == {"name": "Audit me"} and rows[1].after == {"name": "Audited"}
    assert rows[1].actor == "admin@example.org" and rows[1].actor_id == world.users["admin"]


def test_failed_request_writes_nothing_to_the_log(as_: Clients, db: Session) -> None:
    before = len(_entries(db, "department"))
    as_("admin").post("/api/v1/departments", json={"code": "IT", "name": "duplicate"})
    assert len(_entries(db, "department")) == before


def test_audit_verify_detects_tampering(as_: Clients, db: Session) -> None:
    as_("admin").post("/api/v1/departments", json={"code": "T1", "name": "One"})
    as_("admin").post("/api/v1/departments", json={"code": "T2", "name": "Two"})
    runner = CliRunner()
    ok = runner.invoke(cli_app, ["audit", "verify"])
    assert ok.exit_code == 0 and "intact" in ok.output
    victim = _entries(db, "department")[-2]
    db.execute(update(AuditEntry).where(AuditEntry.id == victim.id)
               .values(after={"code": "T1", "name": "Forged"}))
    db.flush()
    bad = runner.invoke(cli_app, ["audit", "verify"])
    assert bad.exit_code == 1
    assert f"entry {victim.id}" in bad.output
    verdict = as_("admin").get("/api/v1/audit/verify").json()
    assert verdict["intact"] is False and verdict["broken_id"] == victim.id


def test_audit_verify_detects_truncation(as_: Clients, db: Session) -> None:
    as_("admin").post("/api/v1/departments", json={"code": "T3", "name": "Three"})
    last = db.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    assert last is not None
    db.delete(last)
    db.flush()
    verdict = as_("admin").get("/api/v1/audit/verify").json()
    assert verdict["intact"] is False and "ends early" in verdict["reason"]


def test_audit_log_hidden_from_department_staff(as_: Clients) -> None:
    assert as_("it_lead").get("/api/v1/audit").status_code == 404
    assert as_("exec").get("/api/v1/audit").status_code == 200


def test_cli_user_and_token_create(as_: Clients, world: World) -> None:
    runner = CliRunner()
    made = runner.invoke(cli_app, ["user", "create", "--email", "cli@example.org", "--name", "Cli User",
                                   "--role", "project_manager", "--department", "FIN",
                                   "--password", "long-enough-pw"])
    assert made.exit_code == 0, made.output
    token = runner.invoke(cli_app, ["token", "create", "--user", "cli@example.org"])
    assert token.exit_code == 0
    from fastapi.testclient import TestClient

    client = TestClient(as_.app, headers={"Authorization": f"Bearer {token.output.strip()}"})  # type: ignore[arg-type]
    me = client.get("/api/v1/users/me").json()
    assert me["role"] == "project_manager" and me["department_ids"] == [world.departments["FIN"]]


def test_cli_user_create_bad_role_is_one_clear_line(as_: Clients) -> None:
    result = CliRunner().invoke(cli_app, ["user", "create", "--email", "x@example.org", "--name", "X",
                                          "--role", "wizard", "--password", "long-enough-pw"])
    assert result.exit_code != 0
    assert isinstance(result.exception, Exception)


@pytest.mark.parametrize("args, message", [
    (["demo", "--size", "huge"], "Invalid value for '--size'"),
    (["no-such-command"], "No such command 'no-such-command'"),
])
def test_cli_bad_usage_is_a_message_not_a_traceback(args: list[str], message: str,
                                                    tmp_path: Path) -> None:
    env = {**os.environ, "EPMO_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    done = subprocess.run([sys.executable, "-m", "epmo", *args], capture_output=True, text=True,
                          env=env, timeout=60, check=False)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr

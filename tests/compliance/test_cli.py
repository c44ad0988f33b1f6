"""``epmo compliance``: scores per department, findings count, export and snapshot."""

from __future__ import annotations

from pathlib import Path

from python_calamine import CalamineWorkbook
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from epmo.cli import app
from epmo.compliance.models import ComplianceSnapshot
from tests.compliance.conftest import Env, checks

runner = CliRunner()


def test_prints_scores_and_exports(env: Env, tmp_path: Path, db: Session) -> None:
    env.levels("controlling")
    env.compliant(dept="IT-INFRA", sponsor_id=None)
    env.compliant(dept="FIN")
    result = runner.invoke(app, ["compliance"])
    assert result.exit_code == 0, result.output
    assert "1 findings (1 blocking, 0 warnings) in 2 projects" in result.output
    infra = 100 * (checks() - 1) / checks()
    assert "IT-INFRA" in result.output and f"{infra:.1f}" in result.output
    assert "ENTERPRISE" in result.output and f"{(100 + infra) / 2:.1f}" in result.output
    target = tmp_path / "findings.xlsx"
    result = runner.invoke(app, ["compliance", "--department", "FIN", "--export", str(target)])
    assert result.exit_code == 0, result.output
    assert "0 findings" in result.output
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_name("Findings").to_python()
    assert rows[0][0] == "project_code" and len(rows) == 1
    csv = tmp_path / "all.csv"
    assert runner.invoke(app, ["compliance", "--export", str(csv)]).exit_code == 0
    assert csv.read_text().splitlines()[1].split(",")[4:8] == [
        "required_field", "ppm_administration", "controlling", "blocking"]


def test_snapshot_and_bad_options(env: Env, db: Session) -> None:
    env.levels("supportive")
    env.compliant()
    result = runner.invoke(app, ["compliance", "--snapshot", "--today", "2026-01-15"])
    assert result.exit_code == 0, result.output
    assert "snapshot of 2026-01-15 recorded (2 rows)" in result.output
    days = db.scalars(select(ComplianceSnapshot.taken_on)).all()
    assert [d.isoformat() for d in days] == ["2026-01-15", "2026-01-15"]
    bad = runner.invoke(app, ["compliance", "--department", "NOPE"])
    assert bad.exit_code != 0 and "No department NOPE" in str(bad.exception)
    wrong = runner.invoke(app, ["compliance", "--export", "out.pdf"])
    assert wrong.exit_code != 0

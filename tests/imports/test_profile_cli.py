"""``epmo import --profile`` and ``epmo import-profiles`` against the test database."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from epmo.cli import app
from epmo.imports.models import ImportProfile
from epmo.reporting.models import StatusReport
from tests.imports import portfolio
from tests.imports.files import counts
from tests.world import World

runner = CliRunner()


def _reports(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(StatusReport)) or 0


def test_profile_file_then_saved_profile(db: Session, world: World, tmp_path: Path) -> None:
    data = tmp_path / "portfolio.csv"
    data.write_bytes(portfolio.portfolio_csv(date.today()))
    profile = tmp_path / "dashboard.json"
    profile.write_text(json.dumps(portfolio.PROFILE | {"create_departments": True}))
    admin = world.email("admin")
    before = _reports(db)
    result = runner.invoke(app, ["import", "projects", str(data), "--as", admin,
                                 "--profile", str(profile)])
    assert result.exit_code == 0, result.output
    assert f"created {portfolio.PROJECT_COUNT}" in result.output
    assert f"status reports: created {portfolio.ROW_COUNT}" in result.output
    assert _reports(db) - before == portfolio.ROW_COUNT
    result = runner.invoke(app, ["import-profiles", "save", "dashboard", str(profile),
                                 "--as", admin])
    assert result.exit_code == 0, result.output
    assert db.scalar(select(ImportProfile.entity).where(ImportProfile.name == "dashboard")) \
        == "projects"
    result = runner.invoke(app, ["import", "projects", str(data), "--as", admin,
                                 "--profile", "dashboard"])
    assert result.exit_code == 0, result.output
    assert f"unchanged {portfolio.ROW_COUNT}" in result.output  # the same file again


def test_list_show_delete(db: Session, world: World, tmp_path: Path) -> None:
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"dates": "day_first"}))
    admin = world.email("admin")
    assert runner.invoke(app, ["import-profiles", "save", "euro", str(profile), "--entity",
                               "people", "--as", admin]).exit_code == 0
    profile.write_text(json.dumps({"dates": "day_first", "decimal": ","}))
    assert runner.invoke(app, ["import-profiles", "save", "euro", str(profile), "--entity",
                               "people", "--as", admin]).exit_code == 0  # replaces the body
    listed = runner.invoke(app, ["import-profiles", "list", "--as", admin])
    assert listed.output.split() == ["euro", "people", "version", "2"]
    shown = runner.invoke(app, ["import-profiles", "show", "euro", "--as", admin])
    assert '"dates": "day_first"' in shown.output and '"decimal": ","' in shown.output
    assert runner.invoke(app, ["import-profiles", "delete", "euro", "--as", admin]).exit_code == 0
    assert db.scalar(select(ImportProfile).where(ImportProfile.name == "euro")) is None


def test_bad_profile_file_and_rejected_rows(db: Session, world: World, tmp_path: Path) -> None:
    profile = tmp_path / "bad.json"
    profile.write_text(json.dumps({"dates": "american"}))
    data = tmp_path / "portfolio.csv"
    data.write_bytes(portfolio.portfolio_csv(date.today()))
    admin = world.email("admin")
    before = counts(db)
    result = runner.invoke(app, ["import", "projects", str(data), "--as", admin,
                                 "--profile", str(profile)])
    assert result.exit_code == 2 and "body.dates" in result.output
    profile.write_text(json.dumps(portfolio.PROFILE))  # no create_departments
    result = runner.invoke(app, ["import", "projects", str(data), "--as", admin,
                                 "--profile", str(profile)])
    assert result.exit_code == 2
    assert "Agency Code" in result.output and "no department AG-DHS" in result.output
    assert counts(db) == before

"""``epmo schedule import`` and ``export`` against the test database."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from epmo.cli import app
from epmo.portfolio.models import Project
from epmo.schedule.models import Activity, Schedule
from tests.factories import Maker
from tests.schedule.files import FIXTURES
from tests.world import World

runner = CliRunner()


def test_import_prints_the_summary_as_json(make: Maker, world: World, db: Session) -> None:
    make.project("IT", code="CLI-S1")
    result = runner.invoke(app, ["schedule", "import", str(FIXTURES / "plan-v1.xml"),
                                 "--project", "CLI-S1", "--json", "--as", world.email("it_pm")])
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    assert got == {"format": "mspdi", "activities": 5, "milestones": 1, "links": 3,
                   "resources": 0, "assignments": 0, "calendars": 1, "warnings": [],
                   "project": "CLI-S1"}
    assert db.scalar(select(func.count()).select_from(Activity)) == 5


def test_dry_run_and_default_actor(make: Maker, db: Session) -> None:
    make.project("IT", code="CLI-S2")
    result = runner.invoke(app, ["schedule", "import", str(FIXTURES / "plan-v1.xml"),
                                 "--project", "CLI-S2", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would import 5 activities" in result.output
    assert db.scalar(select(func.count()).select_from(Activity)) == 0


def test_errors_exit_2(make: Maker, tmp_path: Path) -> None:
    bad = tmp_path / "plan.xml"
    bad.write_bytes(b"<Project><Tasks>")
    make.project("IT", code="CLI-S3")
    result = runner.invoke(app, ["schedule", "import", str(bad), "--project", "CLI-S3"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["schedule", "import", str(FIXTURES / "plan-v1.xml"),
                                 "--project", "NOPE"])
    assert result.exit_code == 2 and "No project with code NOPE" in result.output
    result = runner.invoke(app, ["schedule", "import", str(FIXTURES / "plan-v1.xml")])
    assert result.exit_code == 2 and "--project" in result.output


def test_export_writes_the_file(make: Maker, tmp_path: Path) -> None:
    make.project("IT", code="CLI-S4")
    runner.invoke(app, ["schedule", "import", str(FIXTURES / "plan-v1.xml"), "--project", "CLI-S4"])
    out = tmp_path / "out.xml"
    result = runner.invoke(app, ["schedule", "export", "--project", "CLI-S4", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert b"<Name>Go-live</Name>" in out.read_bytes()


def test_xer_with_two_projects_for_a_department(db: Session) -> None:
    xer = str(FIXTURES / "two_projects.xer")
    dry = runner.invoke(app, ["schedule", "import", xer, "--department", "IT", "--dry-run",
                              "--json"])
    assert dry.exit_code == 0, dry.output
    assert [p["project"] for p in json.loads(dry.output)] == ["BRIDGE", "TUNNEL"]
    assert db.scalar(select(func.count()).select_from(Project)) == 0
    for _ in range(2):  # the second run finds the projects by code
        result = runner.invoke(app, ["schedule", "import", xer, "--department", "IT"])
        assert result.exit_code == 0, result.output
    codes = set(db.scalars(select(Project.code)))
    assert codes == {"BRIDGE", "TUNNEL"}
    assert db.scalar(select(func.count()).select_from(Schedule)) == 2


def test_xer_project_chosen_by_code(make: Maker) -> None:
    xer = str(FIXTURES / "two_projects.xer")
    make.project("IT", code="TUNNEL")
    result = runner.invoke(app, ["schedule", "import", xer, "--project", "TUNNEL", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["format"] == "xer"
    make.project("IT", code="OTHER")
    result = runner.invoke(app, ["schedule", "import", xer, "--project", "OTHER"])
    assert result.exit_code == 2
    assert "The file holds 2 projects (BRIDGE, TUNNEL) and none has the code OTHER" in result.output

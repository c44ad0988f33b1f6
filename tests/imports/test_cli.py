"""``epmo import`` against the test database (its unit of work joins the test transaction)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from epmo.cli import app
from epmo.org.models import Department
from epmo.portfolio.models import Project
from tests.imports.files import counts, csv_file, xlsx_file
from tests.world import World

runner = CliRunner()


def test_cli_imports_then_updates(db: Session, world: World, tmp_path: Path) -> None:
    path = tmp_path / "projects.xlsx"
    path.write_bytes(xlsx_file([["code", "name", "department_code"], ["CLI-1", "From the CLI", "IT"]]))
    result = runner.invoke(app, ["import", "projects", str(path), "--as", world.email("it_pm")])
    assert result.exit_code == 0, result.output
    assert "created 1" in result.output
    project = db.scalar(select(Project).where(Project.code == "CLI-1"))
    assert project is not None and project.department_id == world.departments["IT"]
    path.write_bytes(xlsx_file([["code", "name", "department_code"], ["CLI-1", "Renamed", "IT"]]))
    result = runner.invoke(app, ["import", "projects", str(path), "--as", world.email("it_pm")])
    assert result.exit_code == 0, result.output
    assert "updated 1" in result.output
    db.refresh(project)
    assert project.name == "Renamed"


def test_cli_rejected_file_prints_table_and_exits_2(db: Session, world: World, tmp_path: Path) -> None:
    path = tmp_path / "depts.csv"
    path.write_bytes(csv_file([["code", "name"], ["OK1", "Fine"], ["bad code", "Bad"]], delimiter=";"))
    before = counts(db)
    result = runner.invoke(app, ["import", "departments", str(path), "--as", world.email("admin")])
    assert result.exit_code == 2
    assert "nothing was imported" in result.output
    assert "│   3 │ code   │ use only letters, digits" in result.output
    assert counts(db) == before


def test_cli_mapping_and_dry_run(db: Session, world: World, tmp_path: Path) -> None:
    path = tmp_path / "depts.csv"
    path.write_bytes(csv_file([["Dept", "Title"], ["CLI-D", "Dry"]]))
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"Dept": "code", "Title": "name"}))
    args = ["import", "departments", str(path), "--as", world.email("admin"), "--mapping",
            str(mapping), "--dry-run"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "would create 1" in result.output
    assert db.scalar(select(Department).where(Department.code == "CLI-D")) is None


def test_cli_writes_templates(tmp_path: Path) -> None:
    target = tmp_path / "people.xlsx"
    result = runner.invoke(app, ["import-template", "people", "--format", "xlsx", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"PK")

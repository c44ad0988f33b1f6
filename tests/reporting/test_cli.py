"""``epmo reports template`` and ``epmo reports upload`` against the test database."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from python_calamine import CalamineWorkbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from epmo.cli import app
from epmo.portfolio.models import Project
from epmo.reporting.models import StatusReport
from epmo.reporting.upload import ENTITY
from tests.factories import Maker
from tests.reporting.conftest import Governance
from tests.reporting.files import counts, good_row, rows_file, xlsx_file
from tests.world import World

runner = CliRunner()


def test_template_in_both_formats(tmp_path: Path) -> None:
    target = tmp_path / "reports.xlsx"
    result = runner.invoke(app, ["reports", "template", "--format", "xlsx", "--out", str(target)])
    assert result.exit_code == 0, result.output
    book = CalamineWorkbook.from_filelike(target.open("rb"))
    assert book.get_sheet_by_name("status_reports").to_python()[0] == list(ENTITY.field_names)
    csv_target = tmp_path / "reports.csv"
    result = runner.invoke(app, ["reports", "template", "--out", str(csv_target)])
    assert result.exit_code == 0
    assert csv_target.read_text("utf-8-sig").startswith("project_code,period_start,period,")
    bad = runner.invoke(app, ["reports", "template", "--format", "pdf", "--out", str(target)])
    assert bad.exit_code != 0


def test_upload_stores_a_good_file(db: Session, world: World, make: Maker, gov: Governance,
                                   tmp_path: Path) -> None:
    gov.contract()
    projects = [make.project("IT") for _ in range(3)]
    path = tmp_path / "reports.xlsx"
    path.write_bytes(xlsx_file([["project_code", "period_start", "overall", "schedule", "cost"],
                                *[good_row(p["code"])[:5] for p in projects]]))
    result = runner.invoke(app, ["reports", "upload", str(path), "--as", world.email("it_pm")])
    assert result.exit_code == 0, result.output
    assert "stored 3 status reports for 3 projects" in result.output
    stored = db.scalar(select(func.count()).select_from(StatusReport).where(
        StatusReport.project_id.in_([p["id"] for p in projects])))
    assert stored == 3


def test_upload_of_a_bad_file_exits_2_with_the_problems(db: Session, world: World,
                                                        make: Maker, gov: Governance,
                                                        tmp_path: Path) -> None:
    gov.contract()
    project = make.project("IT")
    path = tmp_path / "reports.csv"
    path.write_bytes(rows_file([good_row(project["code"]), good_row("GHOST")]))
    before = counts(db)
    result = runner.invoke(app, ["reports", "upload", str(path), "--as", world.email("it_pm")])
    assert result.exit_code == 2
    assert "1 problem in 1 row; nothing was" in result.output
    assert "project GHOST not found" in result.output
    assert counts(db) == before


def test_upload_warnings_are_printed(db: Session, world: World, make: Maker, gov: Governance,
                                     tmp_path: Path) -> None:
    gov.contract()
    gov.authority("supportive", "IT")
    project = make.project("IT")
    path = tmp_path / "reports.csv"
    path.write_bytes(rows_file([good_row(project["code"], cost=None)]))
    result = runner.invoke(app, ["reports", "upload", str(path), "--as", world.email("admin")])
    assert result.exit_code == 0, result.output
    assert "warning: row 2, cost: required by the tier" in result.output


def test_refresh_health_stores_the_rules_colours(db: Session, world: World,
                                                 gov: Governance) -> None:
    gov.contract()  # schedule amber 10 / red 30 days
    baseline = date(2026, 6, 30)
    for slip in (0, 12, 31):
        db.add(Project(code=f"CLI-{slip}", name="Raw", department_id=world.departments["IT"],
                       baseline_finish=baseline, forecast_finish=baseline + timedelta(days=slip)))
    db.flush()
    result = runner.invoke(app, ["reports", "refresh-health"])
    assert result.exit_code == 0, result.output
    assert "recomputed" in result.output
    db.expire_all()
    stored = dict(db.execute(select(Project.code, Project.derived_health)
                             .where(Project.code.like("CLI-%"))).all())
    assert stored == {"CLI-0": "green", "CLI-12": "amber", "CLI-31": "red"}

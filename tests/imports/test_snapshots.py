"""Snapshot mode through the API: a multi-agency monthly export becomes projects and history."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from epmo.org.models import Department
from epmo.portfolio.models import Project
from epmo.reporting.models import StatusReport
from tests.conftest import Clients
from tests.imports import portfolio
from tests.imports.files import counts, errors_of
from tests.reporting.conftest import Governance
from tests.world import World


def _import(client: Any, content: bytes, profile: dict[str, Any] | str,
            dry_run: bool = False) -> Any:
    data = {"profile": profile if isinstance(profile, str) else json.dumps(profile)}
    if dry_run:
        data["dry_run"] = "true"
    return client.post("/api/v1/imports/projects", data=data,
                       files={"file": ("portfolio.csv", content)})


def _reports(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(StatusReport)) or 0


def _profile(**changes: Any) -> dict[str, Any]:
    return portfolio.PROFILE | changes


def test_snapshot_import_creates_projects_history_and_departments(
        as_: Clients, db: Session) -> None:
    content = portfolio.portfolio_csv(date.today())
    reports_before = _reports(db)
    r = _import(as_("admin"), content, _profile(create_departments=True))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["rows"] == portfolio.ROW_COUNT
    assert body["created"] == portfolio.PROJECT_COUNT
    assert body["reports_created"] == portfolio.ROW_COUNT
    assert body["departments_created"] == portfolio.NEW_DEPARTMENTS
    assert _reports(db) - reports_before == portfolio.ROW_COUNT
    project = db.scalar(select(Project).where(Project.code == "021-001"))
    assert project is not None
    department = db.get(Department, project.department_id)
    assert department is not None and department.code == "AG-DOT"
    latest = portfolio.rows(date.today())[1]  # agency 005's first project, latest month first
    assert db.scalar(select(Project.health).where(Project.code == latest[0])) == \
        portfolio.RATINGS[latest[-1]]
    assert db.scalar(select(Project.budget_planned).where(Project.code == latest[0])) == \
        int(latest[7].replace("$", "").replace(",", ""))


def test_second_import_of_the_same_file_changes_nothing(as_: Clients, db: Session) -> None:
    content = portfolio.portfolio_csv(date.today())
    profile = _profile(create_departments=True)
    assert _import(as_("admin"), content, profile).status_code == 200
    before = counts(db) | {"reports": _reports(db)}
    r = _import(as_("admin"), content, profile)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (0, 0, portfolio.PROJECT_COUNT)
    assert (body["reports_created"], body["reports_updated"], body["reports_unchanged"]) == \
        (0, 0, portfolio.ROW_COUNT)
    assert body["departments_created"] == [] and body["changes"] == []
    assert counts(db) | {"reports": _reports(db)} == before  # not even an audit entry


def test_a_changed_rating_updates_that_report_only(as_: Clients, db: Session) -> None:
    table = portfolio.rows(date.today())
    profile = _profile(create_departments=True)
    assert _import(as_("admin"), portfolio.csv_file(table), profile).status_code == 200
    oldest = table[portfolio.MONTHS]  # the first project's oldest month (row 5 of the file)
    oldest[-1] = "High Risk" if oldest[-1] != "High Risk" else "Low Risk"
    r = _import(as_("admin"), portfolio.csv_file(table), profile)
    assert r.status_code == 200, r.text
    assert (r.json()["reports_updated"], r.json()["reports_created"]) == (1, 0)
    assert r.json()["changes"] == [{"row": portfolio.MONTHS + 1, "code": oldest[0],
                                    "action": "update report",
                                    "columns": ["CIO Rating", "Updated Date"]}]


def test_dry_run_previews_by_row_and_writes_nothing(as_: Clients, db: Session) -> None:
    before = counts(db) | {"reports": _reports(db)}
    r = _import(as_("admin"), portfolio.portfolio_csv(date.today()), _profile(create_departments=True),
                dry_run=True)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["dry_run"] and body["reports_created"] == portfolio.ROW_COUNT
    creates = [c for c in body["changes"] if c["action"] == "create"]
    assert len(creates) == portfolio.PROJECT_COUNT
    assert "Agency Code" in creates[0]["columns"] and "Lifecycle Cost" in creates[0]["columns"]
    assert sum(c["action"] == "create report" for c in body["changes"]) == portfolio.ROW_COUNT
    assert counts(db) | {"reports": _reports(db)} == before


def test_rag_less_file_takes_the_derived_colour(as_: Clients, db: Session, world: World) -> None:
    Governance(db, world).contract(cadence="monthly", dimensions=())
    r = _import(as_("admin"), portfolio.portfolio_csv(date.today(), rag=False),
                _profile(create_departments=True))
    assert r.status_code == 200, r.text
    assert r.json()["reports_created"] == portfolio.ROW_COUNT
    stored = db.execute(select(StatusReport.overall, StatusReport.derived_health)
                        .join(Project).where(Project.code.like("0%"))).all()
    assert len(stored) == portfolio.ROW_COUNT
    assert all(overall == derived for overall, derived in stored)
    assert {overall for overall, _ in stored} > {"green"}  # some forecasts slipped


def test_rag_less_file_without_thresholds_is_refused_by_row(as_: Clients, db: Session) -> None:
    before = counts(db)
    r = _import(as_("admin"), portfolio.portfolio_csv(date.today(), rag=False),
                _profile(create_departments=True))
    assert r.status_code == 422
    assert (2, "rag") in errors_of(r)
    assert "no colour can be derived" in r.text
    assert counts(db) == before


def test_unknown_departments_without_the_option_are_refused(as_: Clients, db: Session) -> None:
    before = counts(db)
    r = _import(as_("admin"), portfolio.portfolio_csv(date.today()), portfolio.PROFILE)
    assert r.status_code == 422
    refused = {row for row, column in errors_of(r) if column == "Agency Code"}
    assert len(refused) == len(portfolio.NEW_DEPARTMENTS) * portfolio.PROJECTS_PER_AGENCY
    assert "no department AG-DHS" in r.text
    assert counts(db) == before


def test_only_admins_create_departments(as_: Clients, db: Session) -> None:
    r = _import(as_("it_pm"), portfolio.portfolio_csv(date.today()), _profile(create_departments=True))
    assert r.status_code == 422
    assert "no department AG-DOT" in r.text
    assert db.scalar(select(Department).where(Department.code == "AG-DOT")) is None


def test_dates_repeated_in_a_day_or_a_period_or_in_the_future(as_: Clients, db: Session) -> None:
    today = date.today()
    table = portfolio.rows(today)[:portfolio.MONTHS + 1]  # one project, MONTHS rows
    table[2][9] = table[1][9]  # the same date twice
    newest = portfolio.month_back(0, today)
    table[3][9] = portfolio.us(newest.replace(day=1))  # the same month as row 2 (monthly)
    table[4][9] = portfolio.us(date(today.year + 1, 1, 15))  # not started yet
    before = counts(db)
    r = _import(as_("admin"), portfolio.csv_file(table), portfolio.PROFILE)
    assert r.status_code == 422
    messages = {(e["row"], e["field"]): e["message"] for e in r.json()["errors"]}
    assert "is also on row 2" in messages[3, "Updated Date"]
    assert "one report per period" in messages[4, "Updated Date"]
    assert "not started" in messages[5, "Updated Date"]
    assert counts(db) == before


def test_blocking_authority_refuses_reports_missing_a_dimension(
        as_: Clients, db: Session, world: World) -> None:
    gov = Governance(db, world)
    gov.contract(cadence="monthly", dimensions=("schedule",))
    gov.authority("controlling", "IT", default="none")
    r = _import(as_("admin"), portfolio.portfolio_csv(date.today()), _profile(create_departments=True))
    assert r.status_code == 422
    refused = {row for row, column in errors_of(r) if column == "schedule"}
    it_rows = [n for n, row in enumerate(portfolio.rows(date.today())[1:], start=2) if row[2] == "005"]
    assert refused == set(it_rows)
    assert "controlling authority refuses the report" in r.text
    table = [[*row, "Schedule Status" if n == 0 else "On Track"]
             for n, row in enumerate(portfolio.rows(date.today()))]
    profile = _profile(create_departments=True)
    profile["columns"] = profile["columns"] | {"Schedule Status": "schedule"}
    profile["values"] = profile["values"] | {"schedule": {"On Track": "green"}}
    r = _import(as_("admin"), portfolio.csv_file(table), profile)
    assert r.status_code == 200, r.text
    assert db.scalar(select(func.count()).select_from(StatusReport).where(
        StatusReport.schedule == "green")) == portfolio.ROW_COUNT

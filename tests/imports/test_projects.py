"""Importing projects: create then update, links, lifecycle, dates, access, Excel, all-or-nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.portfolio.models import Project, ProjectDepartment, ProjectGoal, ProjectPortfolio
from tests.conftest import Clients
from tests.imports.files import counts, csv_file, errors_of, upload, xlsx_file
from tests.world import World

HEADER = ["code", "name", "department_code", "manager_code", "stage", "headcount", "health",
          "planned_start", "planned_finish", "budget_planned", "goal_codes", "portfolio_codes",
          "participating_department_codes"]


@pytest.fixture
def links(as_: Clients) -> None:
    """Goals G1, G2 and the enterprise portfolio PF-ENT exist."""
    for code in ("G1", "G2"):
        r = as_("admin").post("/api/v1/goals", json={"code": code, "name": f"Goal {code}"})
        assert r.status_code == 201, r.text
    r = as_("admin").post("/api/v1/portfolios", json={"code": "PF-ENT", "name": "Enterprise"})
    assert r.status_code == 201, r.text


def _project(db: Session, code: str) -> Project:
    found = db.scalar(select(Project).where(Project.code == code))
    assert found is not None, code
    db.refresh(found)
    return found


def _goals(db: Session, project: Project) -> dict[int, Decimal]:
    rows = db.scalars(select(ProjectGoal).where(ProjectGoal.project_id == project.id))
    return {row.goal_id: row.weight for row in rows}


def test_create_then_update_with_links(as_: Clients, db: Session, world: World, links: None) -> None:
    first = csv_file([HEADER,
                      ["PX-1", "Scanners", "IT", "IT_PM", "planning", "2", "amber", "2025-01-06",
                       "2025-06-30", "250000.50", "G1:60;G2:40", "PF-ENT", "FIN;HR"],
                      ["PX-2", "Payroll", "FIN", "", "", "", "", "", "", "", "", "", ""]])
    r = upload(as_("admin"), "projects", first)
    assert r.status_code == 200, r.text
    assert r.json()["created"] == 2
    p1 = _project(db, "PX-1")
    assert (p1.stage, p1.headcount, p1.health) == ("planning", 2, "amber")
    assert p1.planned_start == date(2025, 1, 6) and p1.budget_planned == Decimal("250000.50")
    assert p1.manager_id == world.people["it_pm"]
    assert sorted(_goals(db, p1).values()) == [Decimal(40), Decimal(60)]
    assert len(db.scalars(select(ProjectPortfolio).where(ProjectPortfolio.project_id == p1.id)).all()) == 1
    participants = db.scalars(select(ProjectDepartment.department_id)
                              .where(ProjectDepartment.project_id == p1.id)).all()
    assert sorted(participants) == sorted([world.departments["FIN"], world.departments["HR"]])
    p2 = _project(db, "PX-2")
    assert (p2.stage, p2.headcount, p2.health, p2.budget_planned) == ("proposed", 0, None, None)

    second = csv_file([HEADER,
                       ["PX-1", "Scanners", "IT", "IT_PM", "executing", "2", "amber", "2025-01-06",
                        "2025-06-30", "250000.50", "G1", "", "FIN"],
                       ["PX-2", "Payroll", "FIN", "", "", "", "", "", "", "", "", "", ""]])
    r = upload(as_("admin"), "projects", second)
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["updated"], r.json()["unchanged"]) == (0, 1, 1)
    assert r.json()["updated_codes"] == ["PX-1"]
    p1 = _project(db, "PX-1")
    assert p1.stage == "executing" and p1.version == 2
    assert list(_goals(db, p1).values()) == [Decimal(100)]
    assert db.scalars(select(ProjectPortfolio).where(ProjectPortfolio.project_id == p1.id)).all() == []
    read = as_("admin").get(f"/api/v1/projects/{p1.id}").json()
    assert read["stage"] == "executing"


def test_one_bad_row_rejects_everything(as_: Clients, db: Session, links: None) -> None:
    good = ["PY-1", "Good", "IT", "", "", "", "", "", "", "", "", "", ""]
    bad = ["PY-2", "Bad", "IT", "NOBODY", "flying", "-7", "", "2025-02-30", "", "-5", "G9:50", "", ""]
    before = counts(db)
    total_before = as_("admin").get("/api/v1/projects").json()["total"]
    r = upload(as_("admin"), "projects", csv_file([HEADER, good, bad, ["PY-3", *good[1:]]]))
    assert r.status_code == 422
    assert errors_of(r) == [(3, "budget_planned"), (3, "headcount"), (3, "planned_start"), (3, "stage")]
    # Cell errors stop a row before its references are checked; fix them and those show up.
    fixed = ["PY-2", "Bad", "IT", "NOBODY", "planning", "1", "", "2025-02-28", "2025-01-01", "5",
             "G9:50", "NOPE", "XX"]
    r = upload(as_("admin"), "projects", csv_file([HEADER, good, fixed]))
    assert r.status_code == 422
    assert set(errors_of(r)) == {(3, "manager_code"), (3, "planned_finish"), (3, "goal_codes"),
                                 (3, "portfolio_codes"), (3, "participating_department_codes")}
    assert counts(db) == before
    assert as_("admin").get("/api/v1/projects").json()["total"] == total_before


def test_stage_changes_on_update_follow_the_lifecycle(as_: Clients, db: Session) -> None:
    header = ["code", "name", "department_code", "stage"]
    r = upload(as_("admin"), "projects", csv_file([header, ["PZ-1", "Z", "IT", "closed"],
                                                   ["PZ-2", "Z2", "IT", "approved"]]))
    assert r.status_code == 200, r.text  # any stage on create
    r = upload(as_("admin"), "projects", csv_file([["code", "stage"], ["PZ-1", "executing"],
                                                   ["PZ-2", "executing"]]))
    assert r.status_code == 422
    messages = {e["row"]: e["message"] for e in r.json()["errors"]}
    assert messages[2] == "cannot go from closed to executing; closed is final"
    assert messages[3].startswith("cannot go from approved to executing; allowed: planning")
    r = upload(as_("admin"), "projects", csv_file([["code", "stage"], ["PZ-2", "On hold"]]))
    assert r.status_code == 200, r.text
    assert _project(db, "PZ-2").stage == "on_hold"


def test_update_checks_dates_against_stored_ones(as_: Clients) -> None:
    header = ["code", "name", "department_code", "planned_start", "planned_finish"]
    upload(as_("admin"), "projects", csv_file([header, ["PD-1", "D", "IT", "2025-03-01", "2025-06-01"]]))
    r = upload(as_("admin"), "projects", csv_file([["code", "planned_start"], ["PD-1", "2025-07-01"]]))
    assert r.status_code == 422
    assert r.json()["errors"][0] == {"field": "planned_start", "row": 2,
                                     "message": "must not be after planned finish (2025-06-01)"}


def test_lead_cannot_import_another_departments_projects(as_: Clients, db: Session) -> None:
    header = ["code", "name", "department_code"]
    mine = ["PL-1", "Mine", "IT-INFRA"]  # a sub-department is within the lead's scope
    r = upload(as_("it_lead"), "projects", csv_file([header, mine, ["PL-2", "Theirs", "FIN"]]))
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "department_code", "row": 3,
                                   "message": "not one of your departments"}]
    assert upload(as_("it_lead"), "projects", csv_file([header, mine])).status_code == 200
    # An existing FIN project cannot be updated by the IT lead either, nor moved into IT.
    upload(as_("admin"), "projects", csv_file([header, ["PL-3", "Finance", "FIN"]]))
    r = upload(as_("it_lead"), "projects", csv_file([header, ["PL-3", "Grab", "IT"]]))
    assert errors_of(r) == [(2, "department_code")]
    assert _project(db, "PL-3").name == "Finance"


def test_read_only_roles_may_not_import_projects(as_: Clients) -> None:
    r = upload(as_("it_viewer"), "projects", csv_file([["code", "name", "department_code"],
                                                       ["PV-1", "V", "IT"]]))
    assert r.status_code == 403


def test_excel_file_with_date_and_number_cells(as_: Clients, db: Session) -> None:
    rows: list[list[Any]] = [["code", "name", "department_code", "headcount", "planned_start", "planned_finish",
             "budget_planned", "budget_actual"],
            [1001, "Numeric code", "IT", 1, date(2025, 2, 3), datetime(2025, 9, 30), 1500.5, 0],
            ["PE-2", "ISO text dates", "FIN", "2", "2025-04-01", "2025-05-01", "99.99", ""]]
    r = upload(as_("admin"), "projects", xlsx_file(rows), filename="projects.xlsx")
    assert r.status_code == 200, r.text
    numeric = _project(db, "1001")
    assert numeric.headcount == 1 and numeric.planned_start == date(2025, 2, 3)
    assert numeric.planned_finish == date(2025, 9, 30)
    assert numeric.budget_planned == Decimal("1500.50")
    assert _project(db, "PE-2").planned_finish == date(2025, 5, 1)


def test_excel_row_numbers_and_named_sheet(as_: Clients) -> None:
    rows: list[list[Any]] = [["code", "name", "department_code", "planned_start"],
            ["PS-1", "Fine", "IT", date(2025, 1, 1)],
            ["PS-2", "Timed", "IT", datetime(2025, 1, 1, 9, 30)],
            ["PS-3", "Serial", "IT", 45000]]
    content = xlsx_file([["ignored"]], sheet="cover", extra_sheets={"projects": rows})
    r = upload(as_("admin"), "projects", content, filename="book.xlsx", sheet="projects")
    assert r.status_code == 422
    assert errors_of(r) == [(3, "planned_start"), (4, "planned_start")]
    r = upload(as_("admin"), "projects", content, filename="book.xlsx", sheet="nope")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "sheet"


def test_empty_cells_import_as_unknown_health_and_money(as_: Clients, db: Session) -> None:
    """An empty health cell is unknown (not green), an empty budget cell unknown (not 0)."""
    header = ["code", "name", "department_code", "health", "budget_planned", "budget_actual",
              "budget_forecast"]
    first = csv_file([header, ["UX-1", "Unreported", "IT", "", "", "", ""],
                      ["UX-2", "Known", "IT", "red", "100.50", "0", "120"]])
    r = upload(as_("admin"), "projects", first)
    assert r.status_code == 200, r.text
    blank, known = _project(db, "UX-1"), _project(db, "UX-2")
    assert (blank.health, blank.budget_planned, blank.budget_actual, blank.budget_forecast) == (
        None, None, None, None)
    assert (known.health, known.budget_planned, known.budget_actual) == (
        "red", Decimal("100.50"), Decimal(0))
    totals = as_("admin").get("/api/v1/overview").json()["totals"]
    assert totals["health_counts"]["unknown"] == 1 and totals["health_counts"]["green"] == 0
    assert (totals["missing_planned"], totals["compared"], totals["variance"]) == (1, 1, "19.50")
    # Updating: an empty budget cell says the figure is unknown now; an empty health cell
    # keeps the reported health.
    second = csv_file([header, ["UX-2", "Known", "IT", "", "", "", ""]])
    assert upload(as_("admin"), "projects", second).status_code == 200
    known = _project(db, "UX-2")
    assert (known.health, known.budget_planned, known.budget_forecast) == ("red", None, None)

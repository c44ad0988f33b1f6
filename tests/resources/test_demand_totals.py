"""The kept committed demand equals the lines, summed again here, after every kind of write.

After each write below (demand through the API grid and the import; stage changes, a
department change, a slip that shifts the demand, an intake approval's copy, project and
line deletes, a project deleted under its approved request, a write in a unit of work of
its own) every ``resource_demand_total`` row is compared with the sums of the running
projects' and approved project-less requests' lines, recomputed in Python from the rows; and
a heatmap served from the totals is compared with one spread from the lines.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from epmo.cli import app
from epmo.intake.models import IntakeRequest, RequestDemand
from epmo.portfolio.models import Project, ProjectDemand
from epmo.resources import heatmap, repository_totals
from epmo.resources.repository import NOT_RUNNING, role_key
from epmo.resources.supply import add_demand
from tests.conftest import Clients
from tests.factories import API, Maker
from tests.imports.files import csv_file, upload
from tests.intake.conftest import Requests
from tests.world import World

Totals = dict[tuple[int, str, str], Decimal]


def recomputed(db: Session) -> Totals:
    """The committed demand from the rows, summed in Python (not by the code under test)."""
    found: Totals = defaultdict(Decimal)
    projects = {p.id: p for p in db.scalars(select(Project))}
    for line in db.scalars(select(ProjectDemand)):
        project = projects[line.project_id]
        if project.stage not in NOT_RUNNING:
            found[(project.department_id, role_key(line.role), line.period)] += line.fte_months
    requests = {r.id: r for r in db.scalars(select(IntakeRequest))}
    for row in db.scalars(select(RequestDemand)):
        request = requests[row.request_id]
        if request.stage == "approved" and request.project_id is None:
            found[(request.department_id, role_key(row.role), row.period)] += row.fte_months
    return dict(found)


def check(db: Session) -> Totals:
    """The kept totals equal the recomputation (and are not empty); returns them."""
    db.expire_all()
    kept = repository_totals.kept_totals(db)
    assert kept == recomputed(db)
    assert kept, "nothing is committed: the comparison would prove nothing"
    return kept


def _put(as_: Clients, project: dict[str, Any], lines: list[tuple[str, str, str]],
         user: str = "admin") -> dict[str, Any]:
    version = as_("admin").get(f"{API}/projects/{project['id']}").json()["version"]
    r = as_(user).put(f"{API}/projects/{project['id']}/demand", json={
        "version": version,
        "lines": [{"role": r, "period": p, "fte_months": f} for r, p, f in lines]})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def _patch(as_: Clients, project: dict[str, Any], **fields: Any) -> None:
    version = as_("admin").get(f"{API}/projects/{project['id']}").json()["version"]
    r = as_("admin").patch(f"{API}/projects/{project['id']}", json={"version": version} | fields)
    assert r.status_code == 200, r.text


def _stage(as_: Clients, project: dict[str, Any], stage: str) -> None:
    version = as_("admin").get(f"{API}/projects/{project['id']}").json()["version"]
    r = as_("admin").post(f"{API}/projects/{project['id']}/transition",
                          json={"stage": stage, "version": version})
    assert r.status_code == 200, r.text


def _delete(as_: Clients, project_id: int) -> None:
    version = as_("admin").get(f"{API}/projects/{project_id}").json()["version"]
    r = as_("admin").delete(f"{API}/projects/{project_id}", params={"version": version})
    assert r.status_code == 204, r.text


def test_kept_totals_follow_every_kind_of_write(db: Session, as_: Clients, make: Maker,
                                                world: World) -> None:
    requests = Requests(as_, world)
    dates = {"planned_start": "2027-01-15", "planned_finish": "2027-12-31"}
    it = make.project("IT", code="DT-IT", stage="executing", **dates)
    fin = make.project("FIN", code="DT-FIN", stage="executing", **dates)
    held = make.project("HR", code="DT-HR", stage="on_hold", **dates)
    proposed = make.project("IT", code="DT-NEW", **dates)
    # grid writes in several departments, roles, months and spellings of one role
    _put(as_, it, [("Lead", "2027-01", "3"), ("Project manager", "2027-05", "1.5")])
    _put(as_, fin, [("lead", "2027-01", "2.25"), ("Lead", "2027-08", "1")])
    _put(as_, held, [("Project manager", "2027-01", "4")])
    _put(as_, proposed, [("Lead", "2027-01", "5")])
    kept = check(db)
    departments = make.world.departments
    assert kept[(departments["IT"], "lead", "2027-01")] == Decimal("3")
    assert kept[(departments["FIN"], "lead", "2027-01")] == Decimal("2.25")
    # stages: a proposed project approved starts counting, a held one cancelled stops
    _stage(as_, proposed, "approved")
    assert check(db)[(departments["IT"], "lead", "2027-01")] == Decimal("8")
    _stage(as_, held, "cancelled")
    assert (departments["HR"], "project manager", "2027-01") not in check(db)
    # the grid again: lines changed and dropped
    _put(as_, it, [("Lead", "2027-01", "1"), ("Project manager", "2027-08", "2")])
    check(db)
    # a department change moves the project's demand
    _patch(as_, fin, department_id=departments["HR"])
    assert check(db)[(departments["HR"], "lead", "2027-01")] == Decimal("2.25")
    # a slip moves the demand (the shift before the commit), the totals follow it
    _patch(as_, it, planned_start="2027-04-15", planned_finish="2028-03-31")
    assert (departments["IT"], "project manager", "2027-11") in check(db)
    # the register import of demand
    r = upload(as_("admin"), "project_demand", csv_file([
        ["project_code", "role", "period", "fte_months"],
        ["DT-NEW", "Lead", "2027-05", "7"], ["DT-FIN", "Project manager", "2027-05", "1"]]))
    assert r.status_code == 200, r.text
    assert check(db)[(departments["HR"], "project manager", "2027-05")] == Decimal("1")
    # intake: approval copies the request's demand (a quarter) to its new (approved) project
    # as months, counted once; the project deleted leaves the request approved without a
    # project: it counts, per quarter
    made = requests.submit("admin", "FIN", demand=[
        {"role": "Lead", "period": "2027-Q2", "fte_months": "6"}])
    decided = requests.decide(requests.move(made, "triage"), "approve", "admin", reason="Go")
    assert decided.status_code == 200, decided.text
    kept = check(db)
    assert sum(fte for (d, role, period), fte in kept.items()
               if (d, role) == (departments["FIN"], "lead")) == Decimal("6")
    assert (departments["FIN"], "lead", "2027-Q2") not in kept
    _delete(as_, decided.json()["project_id"])
    assert check(db)[(departments["FIN"], "lead", "2027-Q2")] == Decimal("6")
    # a project deleted with its lines
    _delete(as_, proposed["id"])
    kept = check(db)
    assert (departments["IT"], "lead", "2027-01") not in kept
    assert kept[(departments["IT"], "lead", "2027-04")] == Decimal("1")  # DT-IT's, slipped
    # the ORM in a unit of work of its own: a line changed, one deleted
    line = db.scalars(select(ProjectDemand).where(ProjectDemand.project_id == fin["id"])
                      .order_by(ProjectDemand.period)).first()
    assert line is not None
    line.fte_months = Decimal("9.5")
    db.commit()
    check(db)
    db.delete(line)
    db.commit()
    check(db)


def test_a_write_behind_epmos_back_is_mended_by_the_command(db: Session, as_: Clients,
                                                             make: Maker) -> None:
    project = make.project("IT", code="DT-RAW", stage="executing",
                           planned_start="2027-01-15", planned_finish="2027-12-31")
    _put(as_, project, [("Lead", "2027-01", "3")])
    check(db)
    db.execute(text("UPDATE project_demand SET fte_months = 4 WHERE project_id = :p"),
               {"p": project["id"]})
    assert repository_totals.kept_totals(db) != recomputed(db)
    result = CliRunner().invoke(app, ["resources", "refresh-demand"])
    assert result.exit_code == 0, result.output
    assert "summed again" in result.output
    assert check(db)[(make.world.departments["IT"], "lead", "2027-01")] == Decimal("4")


def test_the_heatmap_from_the_totals_is_the_heatmap_from_the_lines(
        db: Session, as_: Clients, make: Maker, engineers: dict[str, int]) -> None:
    # quarters through the API: spread over their months (FIN's 2 as 0.67, 0.67, 0.66)
    for dept, lines in (("IT", [("Data engineer", "2027-Q1", "6"), ("lead", "2027-Q2", "1")]),
                        ("FIN", [("data engineer", "2027-Q1", "2")])):
        made = make.project(dept, stage="executing", planned_start="2027-01-15",
                            planned_finish="2027-12-31")
        _put(as_, made, lines)
    # another spelling of the role, written past the API's spelling: one total, one row
    db.add(ProjectDemand(project_id=made["id"], role=" data  Engineer", period="2027-01",
                         fte_months=Decimal("0.5")))
    db.commit()
    check(db)
    months = heatmap.horizon("2027-01", 6, date(2026, 12, 1))
    kept = heatmap.build_sheet(db, months)
    lines_sheet = heatmap.supply_sheet(db, months)
    spread: dict[tuple[int, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for (department, role, period), fte in recomputed(db).items():
        spread[(department, role)][period] += float(fte)
    add_demand(lines_sheet, spread, {})
    assert kept.demand == lines_sheet.demand
    assert kept.demand[(make.world.departments["FIN"], "data engineer")][:3] == [1.17, 0.67, 0.66]

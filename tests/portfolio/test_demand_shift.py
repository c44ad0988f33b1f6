"""A slip moves the demand (issue 13): a project's start moving, from any writer, moves its role
demand by as many calendar months, once per unit of work; demand outside the project's dates
is refused in words."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.auth import service as auth_service
from epmo.auth.models import User
from epmo.auth.policy import Actor
from epmo.portfolio import demand, policy, service
from epmo.portfolio.demand_schemas import ProjectDemandLine, ProjectDemandSet
from epmo.portfolio.schemas import ProjectUpdate
from tests.conftest import Clients
from tests.factories import API, Maker
from tests.imports.files import csv_file, errors_of, upload
from tests.web.helpers import Browser, login
from tests.world import World

Lines = list[tuple[str, str, str]]


def _lines(as_: Clients, project_id: int) -> Lines:
    read = as_("admin").get(f"{API}/projects/{project_id}/demand").json()
    return [(ln["role"], ln["period"], ln["fte_months"]) for ln in read["lines"]]


def _put(as_: Clients, project_id: int, version: int, lines: Lines, user: str = "it_pm") -> Any:
    return as_(user).put(f"{API}/projects/{project_id}/demand", json={
        "version": version,
        "lines": [{"role": r, "period": p, "fte_months": f} for r, p, f in lines]})


def _patch(as_: Clients, project_id: int, **fields: Any) -> Any:
    version = as_("admin").get(f"{API}/projects/{project_id}").json()["version"]
    return as_("it_pm").patch(f"{API}/projects/{project_id}", json={"version": version} | fields)


PLANNED = [("Lead", "2027-01", "3"), ("Lead", "2027-03", "1.5"), ("Lead", "2027-05", "1.5"),
           ("Project manager", "2027-11", "1")]
# two months later: each month's FTE-months move two months on, as they are
SLIPPED = [("Lead", "2027-03", "3.00"), ("Lead", "2027-05", "1.50"), ("Lead", "2027-07", "1.50"),
           ("Project manager", "2028-01", "1.00")]


@pytest.fixture
def project(make: Maker, as_: Clients) -> dict[str, Any]:
    """An IT project of 2027 with demand in four months."""
    made = make.project("IT", planned_start="2027-01-15", planned_finish="2027-12-31")
    r = _put(as_, made["id"], made["version"], PLANNED)
    assert r.status_code == 200, r.text
    return r.json()


def test_a_slip_moves_the_demand_and_the_writer_keeps_its_version(
        as_: Clients, project: dict[str, Any]) -> None:
    pid, read_version = project["project_id"], project["version"]
    moved = _patch(as_, pid, planned_start="2027-03-10", planned_finish="2028-02-28")
    assert moved.status_code == 200, moved.text
    assert _lines(as_, pid) == SLIPPED
    # the shift steps no version of its own: the writer goes on with the version it was given
    version = moved.json()["version"]
    assert version == read_version + 1
    assert as_("admin").get(f"{API}/projects/{pid}/demand").json()["version"] == version
    again = as_("it_pm").patch(f"{API}/projects/{pid}", json={"version": version,
                                                               "description": "slipped"})
    assert again.status_code == 200, again.text
    # whoever read the demand before the slip is told it changed
    assert _put(as_, pid, read_version, PLANNED).status_code == 409
    assert _put(as_, pid, again.json()["version"], SLIPPED).status_code == 200


def test_the_shift_is_audited(as_: Clients, project: dict[str, Any]) -> None:
    pid = project["project_id"]
    assert _patch(as_, pid, planned_start="2027-03-10",
                  planned_finish="2028-02-28").status_code == 200
    found = as_("admin").get(f"{API}/audit", params={"entity": "project_demand", "limit": 50})
    assert found.status_code == 200, found.text
    entries = found.json()
    # a line's role, month and project are in its create entry; an update names only the change
    lines = {e["entity_id"]: e["after"] for e in entries if e["action"] == "create"}
    mine = {(lines[e["entity_id"]]["role"], lines[e["entity_id"]]["period"], e["action"])
            for e in entries if lines[e["entity_id"]]["project_id"] == pid}
    # a month the demand leaves goes, one it reaches is created, one that changes is updated
    # (2027-05 gets what 2027-03 had, the same 1.5: no write)
    assert {("Lead", "2027-01", "delete"), ("Lead", "2027-07", "create"),
            ("Lead", "2027-03", "update"), ("Project manager", "2028-01", "create")} <= mine
    assert ("Lead", "2027-05", "update") not in mine
    assert as_("admin").get(f"{API}/audit/verify").json()["intact"] is True


def test_moving_only_the_end_leaves_the_demand(as_: Clients, project: dict[str, Any]) -> None:
    pid = project["project_id"]
    assert _patch(as_, pid, planned_finish="2028-06-30").status_code == 200
    assert _patch(as_, pid, planned_finish="2027-12-01").status_code == 200
    assert _lines(as_, pid) == [(r, p, f"{float(f):.2f}") for r, p, f in PLANNED]


def test_the_start_that_counts_is_the_forecast_else_the_plan(as_: Clients,
                                                            project: dict[str, Any]) -> None:
    pid = project["project_id"]
    # a forecast in the same month as the plan moves nothing; a plan moved under it neither
    assert _patch(as_, pid, forecast_start="2027-01-20").status_code == 200
    assert _patch(as_, pid, planned_start="2027-06-01").status_code == 200
    assert _lines(as_, pid) == [(r, p, f"{float(f):.2f}") for r, p, f in PLANNED]
    assert _patch(as_, pid, forecast_start="2027-03-01",
                  forecast_finish="2028-02-28").status_code == 200
    assert _lines(as_, pid) == SLIPPED


def test_a_slip_on_the_edit_page_moves_the_demand(app: object, world: World, db: Session,
                                                  as_: Clients, project: dict[str, Any]) -> None:
    from tests.portfolio.test_pages import _form

    pid = project["project_id"]
    code = as_("admin").get(f"{API}/projects/{pid}").json()["code"]
    form = _form(world, code=code, version=str(project["version"]), planned_start="2027-03-10",
                 planned_finish="2028-02-28")
    form.pop("stage")
    r = login(app, world, "it_pm").post_form(f"/projects/{pid}/edit", form)
    assert r.status_code == 303, r.text
    assert _lines(as_, pid) == SLIPPED


def test_a_slip_from_the_register_import_moves_the_demand(as_: Clients, world: World,
                                                          make: Maker) -> None:
    made = make.project("IT", code="SLIP-1", planned_start="2027-01-15",
                        planned_finish="2027-12-31")
    assert _put(as_, made["id"], made["version"], PLANNED).status_code == 200
    r = upload(as_("admin"), "projects", csv_file([
        ["code", "planned_start", "planned_finish"], ["SLIP-1", "2027-03-01", "2028-02-29"]]))
    assert r.status_code == 200, r.text
    assert _lines(as_, made["id"]) == SLIPPED


def test_schedule_demand_moves_with_a_later_slip(as_: Clients, make: Maker) -> None:
    from tests.schedule.files import fixture

    made = make.project("IT", code="PAY-9", planned_start="2027-01-04",
                        planned_finish="2027-12-31")
    r = as_("it_pm").post(f"{API}/projects/{made['id']}/schedule",
                          files={"file": ("plan.xml", fixture("plan-resources.xml"),
                                          "application/xml")})
    assert r.status_code == 200, r.text
    assert not any("project's" in w for w in r.json()["warnings"])
    before = _lines(as_, made["id"])
    assert {p[:4] for _, p, _ in before} == {"2027"} and before
    assert _patch(as_, made["id"], planned_start="2027-04-05",
                  planned_finish="2028-03-31").status_code == 200
    assert _lines(as_, made["id"]) == [(r, f"2027-{int(p[5:]) + 3:02d}", f)
                                       for r, p, f in before]


# --- one unit of work ----------------------------------------------------------------


def _actor(db: Session, world: World, user: str = "admin") -> Actor:
    found = db.scalar(select(User).where(User.email == world.email(user)))
    assert found is not None
    return auth_service.actor_for(db, found)


def _move(db: Session, actor: Actor, pid: int, **fields: Any) -> None:
    version = policy.access_project_or_404(db, actor, pid).version
    service.update_project(db, actor, pid, ProjectUpdate(version=version, **fields))
    db.flush()


def _stored(db: Session, pid: int) -> Lines:
    from epmo.portfolio import repository

    rows = repository.demand_lines(db, [pid]).get(pid, [])
    return [(r.role, r.period, f"{r.fte_months:.2f}") for r in rows]


def test_two_moves_in_one_unit_of_work_shift_once_by_the_net_move(
        db: Session, world: World, project: dict[str, Any]) -> None:
    actor, pid = _actor(db, world), project["project_id"]
    _move(db, actor, pid, planned_start="2027-02-10", planned_finish="2028-01-31")
    _move(db, actor, pid, planned_start="2027-03-10", planned_finish="2028-02-28")
    db.commit()  # the settle of this unit of work: one shift of two months
    assert _stored(db, pid) == SLIPPED


def test_demand_written_for_the_new_dates_is_not_moved_again(
        db: Session, world: World, project: dict[str, Any]) -> None:
    actor, pid = _actor(db, world), project["project_id"]
    _move(db, actor, pid, planned_start="2027-04-10", planned_finish="2028-03-31")
    version = policy.access_project_or_404(db, actor, pid).version
    typed = [ProjectDemandLine(role="Lead", period="2027-05", fte_months="4")]
    demand.set_demand(db, actor, pid, ProjectDemandSet(version=version, lines=typed))
    db.commit()
    assert _stored(db, pid) == [("Lead", "2027-05", "4.00")]


def test_a_rolled_back_move_shifts_nothing(db: Session, world: World,
                                           project: dict[str, Any]) -> None:
    actor, pid = _actor(db, world), project["project_id"]
    attempt = db.begin_nested()
    _move(db, actor, pid, planned_start="2027-06-01", planned_finish="2028-05-31")
    attempt.rollback()
    db.commit()
    assert _stored(db, pid) == [(r, p, f"{float(f):.2f}") for r, p, f in PLANNED]
    assert str(policy.access_project_or_404(db, actor, pid).planned_start) == "2027-01-15"


# --- demand outside the project's dates -------------------------------------------------


def test_demand_outside_the_dates_is_refused_in_words(as_: Clients, make: Maker) -> None:
    made = make.project("IT", planned_start="2027-02-01", planned_finish="2028-11-30")
    r = _put(as_, made["id"], made["version"], [
        ("Lead", "2027-02", "1"), ("Lead", "2027-01", "1"), ("Lead", "2028-11", "1"),
        ("Lead", "2028-12", "1"), ("Lead", "2026-Q4", "1"), ("Lead", "2029-Q2", "1")])
    assert r.status_code == 422
    assert [(e["field"], e["message"]) for e in r.json()["errors"]] == [
        ("lines.1.period", "2027-01 is before the project's start (2027-02-01)"),
        ("lines.3.period", "2028-12 is after the project's end (2028-11-30)"),
        ("lines.4.period", "2026-Q4 is before the project's start (2027-02-01)"),
        ("lines.5.period", "2029-Q2 is after the project's end (2028-11-30)")]
    assert _lines(as_, made["id"]) == []
    negative = _put(as_, made["id"], made["version"], [("Lead", "2027-05", "-0.5")])
    assert negative.status_code == 422
    assert [e["field"] for e in negative.json()["errors"]] == ["lines.0.fte_months"]
    # a project without dates takes any month or quarter
    undated = make.project("IT")
    assert _put(as_, undated["id"], undated["version"], [
        ("Lead", "2031-Q1", "1"), ("Lead", "2035-12", "1")]).status_code == 200


def test_the_grid_follows_the_forecast_and_names_the_cell_outside(
        app: object, world: World, db: Session, make: Maker) -> None:
    made = make.project("IT", planned_start="2027-02-01", planned_finish="2027-08-31",
                        forecast_finish="2027-11-15")
    browser: Browser = login(app, world, "it_pm")
    page = browser.client.get(f"/projects/{made['id']}")
    assert page.status_code == 200
    assert 'name="month" value="2027-11"' in page.text  # the forecast end's month
    assert 'name="month" value="2027-12"' not in page.text
    form = {"version": str(made["version"]), "month": ["2027-02", "2027-12"],
            "role": ["Lead"], "person": [""], "fte-0-2027-02": "2", "fte-0-2027-12": "1"}
    bad = browser.post_form(f"/projects/{made['id']}/demand", form)
    assert bad.status_code == 422
    assert "Lead, 2027-12: 2027-12 is after the project&#39;s end (2027-11-15)" in bad.text


def test_the_demand_import_refuses_periods_outside_the_dates(as_: Clients,
                                                            make: Maker) -> None:
    make.project("IT", code="DW-1", planned_start="2027-02-01", planned_finish="2027-06-30")
    r = upload(as_("it_pm"), "project_demand", csv_file([
        ["project_code", "role", "period", "fte_months"], ["DW-1", "Lead", "2027-Q1", "1"],
        ["DW-1", "Lead", "2027-Q3", "1"], ["DW-1", "Lead", "2027-Q2", "-1"],
        ["DW-1", "Lead", "2027-07", "1"]]))
    assert r.status_code == 422
    assert errors_of(r) == [(3, "period"), (4, "fte_months"), (5, "period")]
    assert r.json()["errors"][0]["message"] == ("2027-Q3 is after the project's end "
                                                "(2027-06-30)")
    assert r.json()["errors"][2]["message"] == ("2027-07 is after the project's end "
                                                "(2027-06-30)")

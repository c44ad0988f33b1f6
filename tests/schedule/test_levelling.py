"""Levelling an imported schedule against role capacity, through the API, the page and the CLI."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from epmo.cli import app
from epmo.org.models import Person
from epmo.schedule import levelling, parsed
from tests.conftest import Clients
from tests.factories import Maker, add
from tests.schedule.files import fixture, renamed
from tests.web.helpers import login
from tests.world import World

API = "/api/v1"
TWO_TASKS = "level-two-tasks.xml"
runner = CliRunner()


@pytest.fixture
def developer(db: Session, world: World) -> Person:
    """The one active person holding the role Developer."""
    return add(db, Person(code="DEV-1", name="Dana Dev", email="dana@people.example.org",
                          department_id=world.departments["IT"], role="Developer"))


@pytest.fixture
def project(make: Maker) -> dict[str, Any]:
    """An IT project the IT project manager may change."""
    return make.project("IT", code="LVL-1", name="Levelling")


def _import(as_: Clients, project_id: int, data: bytes, **form: Any) -> None:
    r = as_("it_pm").post(f"{API}/projects/{project_id}/schedule",
                          files={"file": ("plan.xml", data, "application/xml")}, data=form)
    assert r.status_code == 200, r.text


def _level(as_: Clients, project_id: int, user: str = "it_pm", **body: Any) -> Any:
    return as_(user).post(f"{API}/projects/{project_id}/schedule/level", json=body)


def _by_name(got: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["name"]: a for a in got["activities"]}


def test_two_parallel_tasks_on_one_developer_are_serialised(
        as_: Clients, project: dict[str, Any], developer: Person) -> None:
    _import(as_, project["id"], fixture(TWO_TASKS))
    before = as_("it_pm").get(f"{API}/projects/{project['id']}/schedule").json()
    r = _level(as_, project["id"])
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["status"] == "optimal"
    assert (got["cpm_finish"], got["unlevelled_finish"]) == ("2027-01-06", "2027-01-06")
    assert (got["levelled_finish"], got["finish_delay_days"]) == ("2027-01-08", 2)
    assert got["capacity"] == {"Developer": 1}
    assert got["bound_roles"] == [{"role": "Developer", "capacity": 1, "peak": 2, "days_over": 2}]
    rows = _by_name(got)
    assert "Build" not in rows  # the summary is not levelled
    # the API goes first: starting the UI first would start the docs later (FF on the API)
    assert {name: (a["levelled_start"], a["levelled_finish"], a["delay_days"])
            for name, a in rows.items()} == {
        "Build API": ("2027-01-04", "2027-01-06", 0),
        "Build UI": ("2027-01-07", "2027-01-08", 3),
        "Write docs": ("2027-01-06", "2027-01-06", 0),
        "Release": ("2027-01-08", "2027-01-08", 2)}  # waits for the summary: both builds
    assert (rows["Build UI"]["cpm_start"], rows["Build UI"]["demand"]) == (
        "2027-01-04", {"Developer": 1})
    assert got["warnings"] == ["Resource 'Freelancer' is no person and no known role; its "
                               "assignments do not count in the levelling."]
    after = as_("it_pm").get(f"{API}/projects/{project['id']}/schedule").json()
    assert after == before  # a proposal: nothing is written


def test_capacity_given_by_the_caller(as_: Clients, project: dict[str, Any],
                                      developer: Person) -> None:
    _import(as_, project["id"], fixture(TWO_TASKS))
    got = _level(as_, project["id"], capacity={"developer": 2}, time_limit=5).json()
    assert (got["status"], got["finish_delay_days"], got["bound_roles"]) == ("optimal", 0, [])
    assert got["capacity"] == {"Developer": 2}
    assert {a["delay_days"] for a in got["activities"]} == {0}


def test_a_resource_map_decides_the_role(as_: Clients, project: dict[str, Any],
                                         developer: Person) -> None:
    _import(as_, project["id"], fixture(TWO_TASKS))
    got = _level(as_, project["id"], resource_map={"Freelancer": "dana@people.example.org"},
                 capacity={"Developer": 1}).json()
    assert _by_name(got)["Write docs"]["demand"] == {"Developer": 1}
    assert got["warnings"] == []
    assert got["finish_delay_days"] == 3  # six days of work for one developer, three without


def test_an_activity_needing_more_than_the_role_has_is_refused_in_words(
        as_: Clients, project: dict[str, Any], developer: Person) -> None:
    tripled = fixture(TWO_TASKS).replace(b"<TaskUID>2</TaskUID><ResourceUID>1</ResourceUID>"
                                         b"<Work>PT24H0M0S</Work>",
                                         b"<TaskUID>2</TaskUID><ResourceUID>1</ResourceUID>"
                                         b"<Work>PT72H0M0S</Work>")
    _import(as_, project["id"], tripled)
    r = _level(as_, project["id"], capacity={"Developer": 2})
    assert r.status_code == 422, r.text
    assert ("Activity 'Build API' needs 3 Developer but only 2 are given for that role"
            in r.json()["detail"])
    r = _level(as_, project["id"], basis="people")
    assert "needs 3 Developer but only 1 person holds that role" in r.json()["detail"]
    r = _level(as_, project["id"])
    assert "needs 3 Developer but only 1 is left for it in IT from " in r.json()["detail"]


def test_unknown_role_missing_schedule_and_readers_are_refused(
        as_: Clients, make: Maker, project: dict[str, Any], developer: Person) -> None:
    empty = make.project("IT", code="LVL-0")
    r = _level(as_, empty["id"])
    assert r.status_code == 404 and "has no schedule yet" in r.json()["detail"]
    _import(as_, project["id"], fixture(TWO_TASKS))
    r = _level(as_, project["id"], capacity={"Wizard": 1})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["capacity.Wizard"]
    assert _level(as_, project["id"], time_limit=61).status_code == 422
    assert _level(as_, project["id"], user="it_viewer").status_code == 403  # reads, may not level
    assert _level(as_, project["id"], user="hr_viewer").status_code == 404


def test_the_page_levels_and_shows_the_table(app: object, world: World, as_: Clients,
                                             project: dict[str, Any], developer: Person) -> None:
    _import(as_, project["id"], renamed(fixture(TWO_TASKS), "Build UI", "<b>Build UI</b>"))
    browser = login(app, world, "it_pm")
    assert "Level against capacity" in browser.client.get(
        f"/projects/{project['id']}/schedule").text
    r = browser.client.post(f"/projects/{project['id']}/schedule/level",
                            data={"time_limit": "5", "csrf_token": browser.csrf})
    assert r.status_code == 200, r.text
    assert 'id="levelled-table"' in r.text
    assert "&lt;b&gt;Build UI&lt;/b&gt;" in r.text
    assert "2027-01-07" in r.text and "Developer" in r.text
    r = browser.client.post(f"/projects/{project['id']}/schedule/level",
                            data={"time_limit": "5"})
    assert r.status_code in (400, 403)  # no CSRF token: refused


def test_cli_levels_and_prints_json(as_: Clients, project: dict[str, Any], developer: Person,
                                    world: World) -> None:
    _import(as_, project["id"], fixture(TWO_TASKS))
    result = runner.invoke(app, ["schedule", "level", "--project", "LVL-1", "--time-limit", "5",
                                 "--json", "--as", world.email("it_pm")])
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    assert (got["levelled_finish"], got["finish_delay_days"]) == ("2027-01-08", 2)
    result = runner.invoke(app, ["schedule", "level", "--project", "LVL-1"])
    assert result.exit_code == 0, result.output
    assert "finish 2027-01-08" in result.output and "Build UI" in result.output
    result = runner.invoke(app, ["schedule", "level", "--project", "NOPE"])
    assert result.exit_code == 2 and "No project with code NOPE" in result.output


def test_real_mspdi_file_levels_within_capacity(as_: Clients, project: dict[str, Any],
                                                shared_data: Path) -> None:
    path = shared_data / "mspdi" / "mspditimephased.xml"
    if not path.is_file():
        pytest.skip(f"{path.name} not found in the reference data")
    _import(as_, project["id"], path.read_bytes())
    names = {f"Resource {n}": "Lead" for n in range(1, 60)}
    got = _level(as_, project["id"], resource_map=names, capacity={"Lead": 2}).json()
    assert got["status"] in ("optimal", "feasible"), got
    assert got["finish_delay_days"] > 0 and got["bound_roles"][0]["role"] == "Lead"
    load: Counter[date] = Counter()
    for a in got["activities"]:
        first, last = date.fromisoformat(a["levelled_start"]), date.fromisoformat(
            a["levelled_finish"])
        for n in range((last - first).days + 1):
            load[first + timedelta(days=n)] += a["demand"].get("Lead", 0)
    assert max(load.values()) <= 2
    assert all(a["delay_days"] >= 0 for a in got["activities"])



def test_a_bad_resource_map_is_refused_for_levelling(as_: Clients, project: dict[str, Any],
                                                     developer: Person) -> None:
    _import(as_, project["id"], fixture(TWO_TASKS))
    r = _level(as_, project["id"], resource_map={"Dev One": "nobody@example.org"})
    assert r.status_code == 422 and "nothing was levelled" in r.json()["detail"]
    assert [e["field"] for e in r.json()["errors"]] == ["resource_map.Dev One"]


def _task(uid: str, hours: float, start: datetime, parent: str | None = None,
          summary: bool = False) -> parsed.Activity:
    return parsed.Activity(uid, uid, f"Task {uid}", parent_uid=parent, summary=summary,
                           duration_hours=hours, early_start=start, early_finish=start)


def test_links_become_whole_day_gaps_of_their_type() -> None:
    monday = datetime(2027, 1, 4, 8)
    tasks = (_task("S", 0, monday, summary=True), _task("A", 20, monday, parent="S"),
             _task("B", 8, monday, parent="S"), _task("C", 16, monday), _task("D", 8, monday),
             _task("E", 8, monday), _task("F", 8, monday))
    links = (parsed.Link("A", "C", "SS", 12),  # 1.5 days: 2, from a start
             parsed.Link("A", "D", "FF", -12),  # a lead of 1.5 days shortens to 1
             parsed.Link("A", "E", "FS", 36, elapsed=True),  # 1.5 calendar days: 2
             parsed.Link("A", "F", "FS", 0, 50),  # half of A's 2.5 days, rounded up: 2
             parsed.Link("S", "F", "SF", 0))  # from the summary: from each task under it
    file = parsed.ScheduleFile("mspdi", "lags", start=monday, activities=tasks, links=links)
    work = levelling.build(file, {}, {})
    jobs = {a.uid: i for i, a in enumerate(work.activities)}
    assert [job.duration for job in work.problem.jobs] == [3, 1, 2, 1, 1, 1]  # 2.5 days: 3
    gaps = {(work.activities[d.before].uid, work.activities[d.after].uid): d.gap
            for d in work.problem.delays}
    assert gaps == {("A", "C"): 2, ("A", "D"): 3 - 1 - 1, ("A", "E"): 3 + 2,
                    ("A", "F"): 3 + 2, ("B", "F"): 0 - 1}
    assert jobs == {"A": 0, "B": 1, "C": 2, "D": 3, "E": 4, "F": 5}


def test_the_capacity_left_is_what_other_running_work_leaves(
        as_: Clients, make: Maker, project: dict[str, Any], developer: Person) -> None:
    _import(as_, project["id"], fixture(TWO_TASKS))
    got = _level(as_, project["id"]).json()
    assert got["capacity"] == {"Developer": 1}
    assert got["basis"].startswith("left for it in IT from 2027-01 to 2027-01")
    other = make.project("IT", code="LVL-OTHER", stage="executing",
                         planned_start="2027-01-01", planned_finish="2027-03-31")
    r = as_("it_pm").put(f"{API}/projects/{other['id']}/demand", json={
        "version": other["version"],
        "lines": [{"role": "Developer", "period": "2027-Q1", "fte_months": "1.5"}]})
    assert r.status_code == 200, r.text  # half the developer's time all quarter
    r = _level(as_, project["id"])
    assert r.status_code == 422
    assert "needs 1 Developer but only 0 are left for it in IT" in r.json()["detail"]
    assert _level(as_, project["id"], basis="people").json()["capacity"] == {"Developer": 1}

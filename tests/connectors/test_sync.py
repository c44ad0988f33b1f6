"""Jira syncs through the API against a real local Jira: projects and milestones made and
moved through the portfolio services, change events of source jira, idempotent re-syncs,
failures recorded with nothing written."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from epmo.audit.models import AuditEntry
from epmo.connectors.models import JiraConnection
from epmo.network.models import ChangeEvent
from epmo.portfolio.models import Milestone, Project
from tests.conftest import Clients
from tests.connectors.fake_jira import FakeJira, Scripted, issue
from tests.factories import Maker
from tests.world import World

API = "/api/v1/connectors/jira"


def connect(as_: Clients, world: World, jira: FakeJira, user: str = "admin",
            **extra: Any) -> dict[str, Any]:
    """A connection to the fake site made through the API."""
    body = {"name": "Ops Jira", "site_url": jira.url, "email": jira.email,
            "api_token": jira.token, "project_keys": ["OPS"],
            "target_department_id": world.departments["IT"]} | extra
    r = as_(user).post(API, json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def sync(as_: Clients, connection: dict[str, Any], user: str = "admin") -> dict[str, Any]:
    """Sync now through the API; the run."""
    r = as_(user).post(f"{API}/{connection['id']}/sync")
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def counts(run: dict[str, Any]) -> tuple[int, ...]:
    """(issues, created, updated, unchanged, refused) of a run."""
    return tuple(run[k] for k in ("issues", "created", "updated", "unchanged", "refused"))


def epics(*rows: tuple[str, str, str, str | None]) -> list[dict[str, Any]]:
    """Issues from (key, summary, status category, due date) rows."""
    return [issue(*row) for row in rows]


def test_epics_become_projects_and_dates_move_through_the_network(
        as_: Clients, world: World, jira: FakeJira, make: Maker, db: Session) -> None:
    jira.issues = epics(("OPS-1", "Data centre exit", "indeterminate", "2027-03-31"),
                        ("OPS-2", "New VPN", "new", "2027-02-15"),
                        ("OPS-3", "Old backup", "done", None))
    connection = connect(as_, world, jira)
    run = sync(as_, connection)
    assert run["outcome"] == "ok" and counts(run) == (3, 3, 0, 0, 0)
    assert len(jira.requests) == 2  # three issues at two a page
    assert 'issuetype = Epic' in jira.requests[0]["body"]["jql"]
    made = {p.code: p for p in db.scalars(select(Project).where(Project.code.like("OPS-%")))}
    assert (made["OPS-1"].name, made["OPS-1"].stage) == ("Data centre exit", "executing")
    assert str(made["OPS-1"].forecast_finish) == "2027-03-31"
    assert made["OPS-2"].stage == "planning" and made["OPS-3"].stage == "closed"
    assert made["OPS-1"].department_id == world.departments["IT"]
    # OPS-1 precedes another IT project: its slip must reach the network
    other = make.project("IT", code="IT-NEXT", planned_start="2027-04-01",
                         planned_finish="2027-06-30")
    r = as_("admin").post("/api/v1/dependencies", json={
        "predecessor_project_id": made["OPS-1"].id, "successor_project_id": other["id"],
        "type": "FS"})
    assert r.status_code == 201, r.text
    jira.issues[0]["fields"]["duedate"] = "2027-05-31"
    jira.issues[1]["fields"]["summary"] = "New VPN (phase 1)"
    run = sync(as_, connection)
    assert counts(run) == (3, 0, 2, 1, 0)
    event = db.scalars(select(ChangeEvent).where(ChangeEvent.source == "jira")).one()
    assert (event.field, event.delta_days) == ("forecast_finish", 61)
    assert event.actor_label == f"Jira sync ({jira.url.removeprefix('http://')})"
    assert event.reason.startswith("Jira OPS-1")
    assert event.impact["moved"] == 1
    # nothing changed in Jira: nothing changes here, no event
    run = sync(as_, connection)
    assert counts(run) == (3, 0, 0, 3, 0)
    assert db.scalar(select(func.count()).select_from(ChangeEvent)
                     .where(ChangeEvent.source == "jira")) == 1


def test_issues_become_milestones_of_a_project(as_: Clients, world: World, jira: FakeJira,
                                               make: Maker, db: Session) -> None:
    project = make.project("IT", code="IT-WEB", planned_start="2027-01-01",
                           planned_finish="2027-12-31")
    jira.issues = epics(("WEB-7", "Beta", "indeterminate", "2027-04-01"),
                        ("WEB-9", "Launch", "new", "2027-09-01"))
    connection = connect(as_, world, jira, target="milestones", project_keys=[],
                         jql="project = WEB AND labels = milestone",
                         target_department_id=None, target_project_id=project["id"])
    assert connection["status_map"] == {"new": "planned", "indeterminate": "in_progress",
                                        "done": "achieved"}
    assert counts(sync(as_, connection)) == (2, 2, 0, 0, 0)
    assert jira.requests[0]["body"]["jql"] == "project = WEB AND labels = milestone"
    milestones = {m.name: m for m in db.scalars(select(Milestone).where(
        Milestone.project_id == project["id"]))}
    assert milestones["Beta"].status == "in_progress"
    assert str(milestones["Launch"].planned_date) == "2027-09-01"
    jira.issues[0]["fields"]["status"]["statusCategory"]["key"] = "done"
    jira.issues[0]["fields"]["duedate"] = "2027-04-15"
    assert counts(sync(as_, connection)) == (2, 0, 1, 1, 0)
    db.expire_all()
    beta = db.get(Milestone, milestones["Beta"].id)
    assert beta is not None and beta.status == "achieved"
    assert str(beta.forecast_date) == "2027-04-15" and str(beta.planned_date) == "2027-04-01"
    assert counts(sync(as_, connection)) == (2, 0, 0, 2, 0)


def test_a_refused_issue_is_counted_and_the_rest_is_written(
        as_: Clients, world: World, jira: FakeJira, make: Maker, db: Session) -> None:
    make.project("IT", code="OPS-5", stage="closed")
    jira.issues = epics(("OPS-4", "Fine", "new", None), ("OPS-5", "Reopened", "new", None))
    run = sync(as_, connect(as_, world, jira))
    assert counts(run) == (2, 1, 0, 0, 1)
    assert run["details"][0]["issue"] == "OPS-5"
    assert "cannot go from closed to planning" in run["details"][0]["reason"]
    assert db.scalar(select(Project.name).where(Project.code == "OPS-5")) != "Reopened"


@pytest.mark.parametrize("scripted, message", [
    (Scripted(401, {"errorMessages": ["Client must be authenticated"]}),
     "Jira refused the credentials (HTTP 401)"),
    (Scripted(503, {"message": "unavailable"}), "Jira answered HTTP 503"),
])
def test_a_failed_sync_records_the_error_and_writes_nothing(
        as_: Clients, world: World, jira: FakeJira, db: Session, scripted: Scripted,
        message: str) -> None:
    jira.page_size = 1
    jira.issues = epics(("OPS-1", "One", "new", None), ("OPS-2", "Two", "new", None))
    jira.script.extend([Scripted(200, jira.page({})), scripted])  # page 1 fine, page 2 fails
    connection = connect(as_, world, jira)
    run = sync(as_, connection)
    assert run["outcome"] == "failed" and run["error"].startswith(message)
    assert counts(run) == (0, 0, 0, 0, 0)
    assert db.scalar(select(func.count()).select_from(Project)
                     .where(Project.code.like("OPS-%"))) == 0
    runs = as_("admin").get(f"{API}/{connection['id']}/runs").json()
    assert runs["total"] == 1 and runs["items"][0]["outcome"] == "failed"


def test_429_then_success_through_the_api(as_: Clients, world: World, jira: FakeJira) -> None:
    jira.issues = epics(("OPS-1", "One", "new", None))
    jira.script.append(Scripted(429, {}, {"Retry-After": "0"}))
    run = sync(as_, connect(as_, world, jira))
    assert run["outcome"] == "ok" and counts(run) == (1, 1, 0, 0, 0)
    assert len(jira.requests) == 2


def test_the_token_never_shows(as_: Clients, world: World, jira: FakeJira, db: Session,
                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    jira.issues = epics(("OPS-1", "One", "new", None))
    connection = connect(as_, world, jira)
    assert connection["api_token"] == f"set (…{jira.token[-4:]})"
    path = f"{API}/{connection['id']}"
    answers = [as_("admin").get(API).text, as_("admin").get(path).text,
               as_("admin").patch(path, json={"version": connection["version"],
                                              "name": "Renamed"}).text,
               as_("admin").post(f"{path}/sync").text,
               as_("admin").get(f"{path}/runs").text,
               as_("admin").get(f"/connectors/jira/{connection['id']}").text,
               as_("admin").get("/connectors/jira").text,
               as_("admin").get("/openapi.json").text]
    assert all(jira.token not in text for text in answers)
    assert "Renamed" in answers[2] and "set (…" in answers[5]
    assert jira.token not in caplog.text
    stored = db.get(JiraConnection, connection["id"])
    assert stored is not None and jira.token not in stored.secret
    entries = db.scalars(select(AuditEntry).where(AuditEntry.entity == "jira_connection"))
    texts = [f"{e.before} {e.after}" for e in entries]
    assert texts and all(jira.token not in t and stored.secret not in t for t in texts)
    # the stored token still works: the sync authenticated with it
    assert jira.requests[-1]["auth"].startswith("Basic ")


def test_a_new_token_replaces_the_old_and_an_omitted_one_is_kept(
        as_: Clients, world: World, jira: FakeJira) -> None:
    connection = connect(as_, world, jira)
    path = f"{API}/{connection['id']}"
    r = as_("admin").patch(path, json={"version": connection["version"], "interval_minutes": 15})
    assert r.status_code == 200 and sync(as_, connection)["outcome"] == "ok"
    r = as_("admin").patch(path, json={"version": r.json()["version"],
                                       "api_token": "a-wrong-token-9999"})
    assert r.json()["api_token"] == "set (…9999)"
    run = sync(as_, connection)
    assert run["outcome"] == "failed" and "refused the credentials" in run["error"]


def test_the_sync_is_audited_under_its_own_name(as_: Clients, world: World, jira: FakeJira,
                                                db: Session) -> None:
    jira.issues = epics(("OPS-1", "One", "new", "2027-01-31"))
    connection = connect(as_, world, jira)
    assert sync(as_, connection)["created"] == 1
    label = f"Jira sync ({jira.url.removeprefix('http://')})"
    written = {(e.entity, e.action): e for e in db.scalars(
        select(AuditEntry).where(AuditEntry.actor == label))}
    assert {("project", "create"), ("jira_link", "create"),
            ("jira_sync_run", "create")} <= set(written)
    assert written[("project", "create")].actor_id == world.users["admin"]  # who pressed it
    made = db.scalars(select(AuditEntry).where(AuditEntry.entity == "jira_connection")).one()
    assert made.actor == world.email("admin") and made.after is not None
    assert made.after["secret"] == "***"

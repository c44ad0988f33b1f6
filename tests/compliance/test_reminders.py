"""Reminders of due and overdue reports: who gets them, and sending twice sends nothing new."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from epmo.cli import app
from epmo.notifications.models import Notification
from epmo.reporting.models import StatusReport
from tests.compliance.conftest import API, Env
from tests.conftest import Clients
from tests.world import World

runner = CliRunner()


def _sent(db: Session) -> set[tuple[int, str]]:
    return {(n.user_id, n.key) for n in db.scalars(select(Notification))}


def _remind(today: str | None = None) -> str:
    args = ["reminders"] + (["--today", today] if today else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.output


def test_due_and_overdue_reports_notify_manager_and_leads(env: Env, db: Session, world: World,
                                                          as_: Clients) -> None:
    env.levels("supportive", departments={"HR": {"ppm_administration": "none"}})
    since = {"planned_start": "2025-01-01"}
    late = env.compliant(reported=date(2026, 1, 31), **since)  # February overdue, March due
    due = env.compliant(dept="FIN", manager_id=world.people["fin_pm"],  # March ends soon
                        reported=date(2026, 2, 28), **since)
    env.compliant(reported=date(2026, 3, 31), **since)  # March is in: nothing due
    env.project(stage="approved", planned_start="2025-01-01")  # not reporting in approved
    env.compliant(dept="HR", manager_id=world.people["hr_lead"],  # no EPMO authority there
                  reported=date(2025, 12, 31), **since)
    output = _remind("2026-03-29")
    assert "3 reports due or overdue; 6 notifications sent, 0 already sent before" in output
    late_keys = {f"report-overdue:{late['id']}:2026-02-01", f"report-due:{late['id']}:2026-03-01"}
    due_key = f"report-due:{due['id']}:2026-03-01"
    assert _sent(db) == ({(world.users[u], k) for u in ("it_pm", "it_lead") for k in late_keys}
                         | {(world.users["fin_pm"], due_key), (world.users["fin_lead"], due_key)})
    assert "0 notifications sent, 6 already sent before" in _remind("2026-03-29")
    assert len(_sent(db)) == 6
    # April 10: March is overdue too; the late project's reminder names both months
    assert "4 notifications sent, 0 already sent before" in _remind("2026-04-10")
    inbox = as_("fin_pm").get(f"{API}/notifications").json()["items"]
    assert [n["subject"] for n in inbox] == [f"Status report overdue: {due['code']}",
                                             f"Status report due: {due['code']}"]
    assert inbox[0]["body"] == (f"The status report of {due['code']} {due['name']} for "
                                "2026-03-01 to 2026-03-31 was due by 2026-04-07.")
    assert inbox[0]["link"] == f"/projects/{due['id']}/reports"
    it_inbox = as_("it_pm").get(f"{API}/notifications").json()["items"]
    assert it_inbox[0]["subject"] == f"2 status reports overdue: {late['code']}"
    assert it_inbox[0]["body"] == (f"{late['code']} {late['name']}: 2 monthly reports missing, "
                                   "2026-02 .. 2026-03. The latest was due by 2026-04-07.")


def test_a_silent_project_gets_one_reminder_naming_every_missing_month(
        env: Env, db: Session, world: World, as_: Clients) -> None:
    env.levels("controlling")
    silent = env.project(planned_start="2025-11-10")  # never reported
    gappy = env.compliant(planned_start="2025-11-01", reported=date(2026, 11, 30))
    db.query(StatusReport).filter(StatusReport.project_id == gappy["id"],
                                  StatusReport.period_start.in_(
                                      [date(2026, 2, 1), date(2026, 6, 1)])).delete()
    db.flush()
    output = _remind("2026-12-09")  # November's report was due by 2026-12-07
    assert "2 reports due or overdue; 4 notifications sent" in output  # one per project
    keys = {k for _, k in _sent(db)}
    assert f"report-overdue:{silent['id']}:2026-11-01" in keys
    assert f"report-overdue:{gappy['id']}:2026-06-01" in keys
    inbox = as_("it_pm").get(f"{API}/notifications").json()["items"]
    bodies = {n["subject"]: n["body"] for n in inbox}
    assert bodies[f"13 status reports overdue: {silent['code']}"] == (
        f"{silent['code']} {silent['name']}: 13 monthly reports missing, 2025-11 .. 2026-11 "
        "(no status report yet). The latest was due by 2026-12-07.")
    assert bodies[f"2 status reports overdue: {gappy['code']}"] == (
        f"{gappy['code']} {gappy['name']}: 2 monthly reports missing, 2026-02, 2026-06. "
        "The latest was due by 2026-07-07.")
    # filing an old month late does not remind again; the next overdue month does
    env.monthly(silent["id"], date(2025, 11, 1), date(2025, 11, 1))
    assert "0 notifications sent" in _remind("2026-12-09")
    assert "4 notifications sent" in _remind("2027-01-08")  # December is overdue for both


def test_nothing_due_sends_nothing(env: Env, db: Session) -> None:
    env.levels("supportive")
    env.compliant(reported=date(2026, 2, 28), planned_start="2025-01-01")
    assert "0 reports due or overdue; 0 notifications sent" in _remind("2026-03-15")
    assert _sent(db) == set()

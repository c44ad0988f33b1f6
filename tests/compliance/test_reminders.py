"""Reminders of due and overdue reports: who gets them, and sending twice sends nothing new."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from epmo.cli import app
from epmo.notifications.models import Notification
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
    late = env.compliant(reported=date(2026, 1, 31), **since)  # February is overdue
    due = env.compliant(dept="FIN", manager_id=world.people["fin_pm"],  # March ends soon
                        reported=date(2026, 2, 28), **since)
    env.compliant(reported=date(2026, 3, 31), **since)  # March is in: nothing due
    env.project(stage="approved", planned_start="2025-01-01")  # not reporting in approved
    env.compliant(dept="HR", manager_id=world.people["hr_lead"],  # no EPMO authority there
                  reported=date(2025, 12, 31), **since)
    output = _remind("2026-03-29")
    assert "2 reports due or overdue; 4 notifications sent, 0 already sent before" in output
    late_key, due_key = f"report-overdue:{late['id']}:2026-02-01", f"report-due:{due['id']}:2026-03-01"
    assert _sent(db) == {(world.users["it_pm"], late_key), (world.users["it_lead"], late_key),
                         (world.users["fin_pm"], due_key), (world.users["fin_lead"], due_key)}
    assert "0 notifications sent, 4 already sent before" in _remind("2026-03-29")
    assert len(_sent(db)) == 4
    assert "2 notifications sent, 2 already sent before" in _remind("2026-04-10")  # now overdue
    inbox = as_("fin_pm").get(f"{API}/notifications").json()["items"]
    assert [n["subject"] for n in inbox] == [f"Status report overdue: {due['code']}",
                                             f"Status report due: {due['code']}"]
    assert inbox[0]["body"] == (f"The status report of {due['code']} {due['name']} for "
                                "2026-03-01 to 2026-03-31 was due by 2026-04-07.")
    assert inbox[0]["link"] == f"/projects/{due['id']}/reports"


def test_nothing_due_sends_nothing(env: Env, db: Session) -> None:
    env.levels("supportive")
    env.compliant(reported=date(2026, 2, 28), planned_start="2025-01-01")
    assert "0 reports due or overdue; 0 notifications sent" in _remind("2026-03-15")
    assert _sent(db) == set()

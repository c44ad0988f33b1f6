"""Reminders of due and overdue status reports, as in-app notifications.

A report is *due* from ``days_ahead`` days before its period ends until its grace days run
out, then *overdue*. Each period still open gets a due reminder; the overdue ones of a
project, however many since reporting began, get one reminder that names them all ("3
monthly reports missing, 2026-01 .. 2026-03"), keyed by the latest, so a newly overdue period
reminds again and an old one filed late does not. The project's manager (the user accounts of
the person) and the leads of the owning department get one notification per reminder: the
notification's ``key`` (``report-due:{project}:{period start}``,
``report-overdue:{project}:{latest missing period start}``) makes sending idempotent. Only
departments where the EPMO has some authority over PPM Administration are reminded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from epmo.compliance import repository
from epmo.compliance.service import GRACE_DAYS, ProjectLabel, load_facts
from epmo.engines import compliance as engine
from epmo.notifications.models import Notification
from epmo.portfolio.models import Project


@dataclass(frozen=True, slots=True)
class Reminder:
    """A report to remind about: whose project, which period, and whether it is late."""

    project_id: int
    department_id: int
    manager_id: int | None
    period: engine.Period  # the period due, or the latest overdue one
    overdue: bool
    history: engine.History | None = None  # every overdue period (overdue reminders)
    never_reported: bool = False

    @property
    def key(self) -> str:
        """The idempotency key of this reminder."""
        state = "overdue" if self.overdue else "due"
        return f"report-{state}:{self.project_id}:{self.period.start.isoformat()}"


@dataclass(frozen=True, slots=True)
class ReminderResult:
    """What a run found and sent."""

    reports: int  # reports due or overdue
    sent: int  # notifications created
    already: int  # notifications that had been sent before


def due_reports(facts: list[engine.ProjectFacts], managers: dict[int, int | None], today: date,
                days_ahead: int) -> list[Reminder]:
    """One reminder per open period due within ``days_ahead`` days, and one per project for
    all its overdue periods (pure)."""
    evaluator = engine.Evaluator(today, GRACE_DAYS, horizon_days=days_ahead)
    found = []
    for p in facts:
        level = p.authority.get("ppm_administration", "none")
        if p.contract is None or p.stage not in engine.REPORTING_STAGES or level == "none":
            continue
        history = evaluator.history(p, p.contract.cadence)
        if history.missing:
            found.append(Reminder(p.id, p.department_id, managers.get(p.id), history.missing[-1],
                                  True, history, not p.reports))
        found += [Reminder(p.id, p.department_id, managers.get(p.id), period, False)
                  for period in evaluator.pending(p, p.contract.cadence, days_ahead)]
    return found


def _message(reminder: Reminder, label: ProjectLabel) -> tuple[str, str]:
    period = f"{reminder.period.start.isoformat()} to {reminder.period.end.isoformat()}"
    due = reminder.period.due_by.isoformat()
    history = reminder.history
    if history is not None and len(history.missing) > 1:
        missing = engine.missing_message(history, reminder.never_reported)
        return (f"{len(history.missing)} status reports overdue: {label.code}",
                f"{label.code} {label.name}: {missing}. The latest was due by {due}.")
    if reminder.overdue:
        return (f"Status report overdue: {label.code}",
                f"The status report of {label.code} {label.name} for {period} was due by {due}.")
    return (f"Status report due: {label.code}",
            f"The status report of {label.code} {label.name} for {period} is due by {due}.")


def send_reminders(session: Session, today: date, days_ahead: int = 3) -> ReminderResult:
    """Notify managers and department leads of due and overdue reports (idempotent)."""
    where = [Project.stage.in_(sorted(engine.REPORTING_STAGES))]
    facts, labels = load_facts(session, where)
    managers = repository.project_managers(session, where)
    reminders = due_reports(facts, managers, today, days_ahead)
    people = repository.users_of_people(session, {m for m in managers.values() if m})
    leads = repository.department_leads(session, {r.department_id for r in reminders})
    sent_before = repository.existing_keys(session, {r.key for r in reminders})
    sent = already = 0
    for reminder in reminders:
        users = people.get(reminder.manager_id or 0, []) + leads.get(reminder.department_id, [])
        subject, body = _message(reminder, labels[reminder.project_id])
        for user_id in dict.fromkeys(users):
            if (user_id, reminder.key) in sent_before:
                already += 1
                continue
            session.add(Notification(user_id=user_id, kind="report-reminder", key=reminder.key,
                                     subject=subject, body=body,
                                     link=f"/projects/{reminder.project_id}/reports"))
            sent += 1
    session.flush()
    return ReminderResult(len(reminders), sent, already)

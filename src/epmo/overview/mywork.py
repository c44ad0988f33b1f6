"""My work: the home of project managers, department leads and members.

What is theirs to do, read from the domains that own it: the projects they run (a lead: their
departments'), with health and next milestone; the status reports due or overdue (the
contract's deadline, as the reminders count them); the RAID items they own; what waits for
their answer (dependencies proposed to them, lending requests and counter-offers, intake
requests routed to them); and the unread change events that hit their projects.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, is_admin
from epmo.compliance.reminders import due_reports
from epmo.compliance.repository import project_managers
from epmo.compliance.service import load_facts
from epmo.intake import policy as intake_policy
from epmo.network import policy as network_policy
from epmo.network.models import Dependency
from epmo.overview import repository_mywork as reads
from epmo.overview.schemas import (
    MyAction,
    MyChange,
    MyProject,
    MyReport,
    MyWaiting,
    MyWorkRead,
)
from epmo.portfolio.models import CLOSED_STAGES, Project
from epmo.resources import policy as resources_policy

LIMIT = 100  # rows per list; the count says when there are more
DUE_AHEAD_DAYS = 14


def mine(actor: Actor) -> list[ColumnElement[bool]]:
    """WHERE terms of the actor's active projects: a lead's departments', else those they
    manage (an EPMO administrator: those they manage too; the overview is theirs)."""
    active = Project.stage.not_in(CLOSED_STAGES)
    if actor.role == "department_lead" and actor.scope:
        return [active, Project.department_id.in_(sorted(actor.scope))]
    if actor.person_id is None:
        return [active, Project.id.is_(None)]
    return [active, Project.manager_id == actor.person_id]


def my_work(session: Session, actor: Actor, today: date) -> MyWorkRead:
    """Everything waiting for the actor, each list worst or soonest first."""
    where = mine(actor)
    projects, total = _projects(session, where, today)
    return MyWorkRead(
        projects=projects, projects_total=total,
        reports=_reports(session, where, today),
        actions=_actions(session, actor, today),
        waiting=[*_dependencies(session, actor, where), *_lendings(session, actor),
                 *_requests(session, actor)],
        changes=_changes(session, actor))


def _projects(session: Session, where: Sequence[ColumnElement[bool]], today: date
              ) -> tuple[list[MyProject], int]:
    total, rows = reads.projects(session, where, LIMIT)
    upcoming = reads.next_milestones(session, [row[0] for row in rows], today)
    found = []
    for ident, code, name, department, stage, health, derived, finish in rows:
        milestone = upcoming.get(ident)
        found.append(MyProject(
            id=ident, code=code, name=name, department=department, stage=stage, health=health,
            derived_health=derived, forecast_finish=finish,
            next_milestone=milestone[0] if milestone else None,
            next_milestone_date=milestone[1] if milestone else None))
    return found, total


def _reports(session: Session, where: Sequence[ColumnElement[bool]], today: date) -> list[MyReport]:
    facts, labels = load_facts(session, list(where))
    managers = project_managers(session, list(where))
    found = []
    for reminder in due_reports(facts, managers, today, DUE_AHEAD_DAYS):
        label = labels[reminder.project_id]
        missing = len(reminder.history.missing) if reminder.history else 1
        found.append(MyReport(project_id=reminder.project_id, code=label.code, name=label.name,
                              period_start=reminder.period.start,
                              period_end=reminder.period.end,
                              due_by=reminder.period.due_by, overdue=reminder.overdue,
                              missing=missing))
    found.sort(key=lambda r: (not r.overdue, r.due_by, r.code))
    return found[:LIMIT]


def _actions(session: Session, actor: Actor, today: date) -> list[MyAction]:
    if actor.person_id is None:
        return []
    rows = reads.raid_items_of(session, actor.person_id, LIMIT)
    return [MyAction(id=ident, kind=kind, title=title, due_on=due, project_id=project_id,
                     code=code, overdue=due is not None and due < today)
            for ident, kind, title, due, project_id, code in rows]


def _dependencies(session: Session, actor: Actor,
                  where: Sequence[ColumnElement[bool]]) -> list[MyWaiting]:
    """Dependencies proposed to the actor's projects by the other side."""
    rows = reads.proposed_to(session, where, LIMIT)
    codes = reads.project_codes(
        session, {p for d in rows for p in (d.pred_project_id, d.succ_project_id)})
    return [MyWaiting(kind="dependency", id=d.id, link=_answer_link(d),
                      words=(f"{codes.get(d.pred_project_id, '?')} → "
                             f"{codes.get(d.succ_project_id, '?')}: a dependency proposed "
                             "to you, accept or decline"))
            for d in rows if network_policy.owns_side(
                session, actor, d, network_policy.other_side(d.proposed_side))]


def _answer_link(dependency: Dependency) -> str:
    mine_ = (dependency.succ_project_id if dependency.proposed_side == "predecessor"
             else dependency.pred_project_id)
    return f"/dependencies?status=proposed&project_id={mine_}"


def _lendings(session: Session, actor: Actor) -> list[MyWaiting]:
    """Lending requests to answer (the lender's lead) and counter-offers to take or leave."""
    rows = reads.open_lendings(session, resources_policy.lending_scope(actor), LIMIT)
    codes = reads.project_codes(session, {lending.project_id for lending in rows})
    found = []
    for lending in rows:
        answers = [a for a in resources_policy.actions(session, actor, lending) if a != "cancel"]
        if not answers:
            continue
        what = ("asks your department for" if lending.status == "requested"
                else "has a counter-offer for")
        found.append(MyWaiting(
            kind="lending", id=lending.id, link="/resources/lending",
            words=(f"{codes.get(lending.project_id, '?')} {what} {lending.fte} FTE "
                   f"{lending.role}, {lending.starts} to {lending.ends}: "
                   f"{', '.join(a.replace('_', ' ') for a in answers)}")))
    return found


def _requests(session: Session, actor: Actor) -> list[MyWaiting]:
    """Intake requests in the pipeline that the actor decides (routed to them)."""
    if not (is_admin(actor) or actor.role == "department_lead"):
        return []
    rows = reads.pipeline_requests(session, None if is_admin(actor) else sorted(actor.scope),
                                   LIMIT)
    found = intake_policy.routes(session, rows)
    return [MyWaiting(kind="request", id=r.id, link=f"/intake/{r.id}",
                      words=f"{r.code} {r.title}: {r.stage}, decided by you")
            for r in rows if intake_policy.can_decide(session, actor, r, found)]


def _changes(session: Session, actor: Actor) -> list[MyChange]:
    rows = reads.unread_changes(session, actor.id, LIMIT)
    return [MyChange(subject=subject, body=body, link=link, at=at)
            for subject, body, link, at in rows]

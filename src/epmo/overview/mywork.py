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

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, is_admin
from epmo.compliance.reminders import due_reports
from epmo.compliance.repository import project_managers
from epmo.compliance.service import load_facts
from epmo.intake import policy as intake_policy
from epmo.intake.models import PIPELINE, IntakeRequest
from epmo.network import policy as network_policy
from epmo.network.models import Dependency
from epmo.notifications.models import Notification
from epmo.org.models import Department
from epmo.overview.schemas import (
    MyAction,
    MyChange,
    MyProject,
    MyReport,
    MyWaiting,
    MyWorkRead,
)
from epmo.portfolio.models import CLOSED_STAGES, Milestone, Project
from epmo.reporting.models import RaidItem
from epmo.resources import policy as resources_policy
from epmo.resources.models import Lending

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
    rank = case({"red": 0, "amber": 1, "green": 3}, value=Project.health, else_=2)
    total = session.scalar(select(func.count()).select_from(Project).where(*where)) or 0
    rows = session.execute(
        select(Project.id, Project.code, Project.name, Department.code, Project.stage,
               Project.health, Project.derived_health, Project.forecast_finish)
        .join(Department, Department.id == Project.department_id)
        .where(*where).order_by(rank, Project.code).limit(LIMIT)).all()
    upcoming = _next_milestones(session, [row[0] for row in rows], today)
    found = []
    for ident, code, name, department, stage, health, derived, finish in rows:
        milestone = upcoming.get(ident)
        found.append(MyProject(
            id=ident, code=code, name=name, department=department, stage=stage, health=health,
            derived_health=derived, forecast_finish=finish,
            next_milestone=milestone[0] if milestone else None,
            next_milestone_date=milestone[1] if milestone else None))
    return found, total


def _next_milestones(session: Session, ids: list[int], today: date
                     ) -> dict[int, tuple[str, date]]:
    """Each project's next open milestone (by forecast, else planned date)."""
    if not ids:
        return {}
    when = func.coalesce(Milestone.forecast_date, Milestone.planned_date)
    rows = session.execute(
        select(Milestone.project_id, Milestone.name, when)
        .where(Milestone.project_id.in_(ids), Milestone.status.in_(("planned", "in_progress")),
               when >= today)
        .order_by(Milestone.project_id, when, Milestone.id)).all()
    found: dict[int, tuple[str, date]] = {}
    for project_id, name, day in rows:
        found.setdefault(project_id, (name, day))
    return found


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
    rows = session.execute(
        select(RaidItem.id, RaidItem.kind, RaidItem.title, RaidItem.due_on, Project.id,
               Project.code)
        .join(Project, Project.id == RaidItem.project_id)
        .where(RaidItem.owner_id == actor.person_id, RaidItem.status == "open")
        .order_by(RaidItem.due_on.is_(None), RaidItem.due_on, RaidItem.id).limit(LIMIT)).all()
    return [MyAction(id=ident, kind=kind, title=title, due_on=due, project_id=project_id,
                     code=code, overdue=due is not None and due < today)
            for ident, kind, title, due, project_id, code in rows]


def _dependencies(session: Session, actor: Actor,
                  where: Sequence[ColumnElement[bool]]) -> list[MyWaiting]:
    """Dependencies proposed to the actor's projects by the other side."""
    ids = select(Project.id).where(*where)
    rows = session.scalars(
        select(Dependency).where(Dependency.status == "proposed", or_(
            and_(Dependency.proposed_side == "predecessor", Dependency.succ_project_id.in_(ids)),
            and_(Dependency.proposed_side == "successor", Dependency.pred_project_id.in_(ids))))
        .order_by(Dependency.id).limit(LIMIT)).all()
    codes = _codes(session, {p for d in rows for p in (d.pred_project_id, d.succ_project_id)})
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
    rows = session.scalars(
        select(Lending).where(resources_policy.lending_scope(actor),
                              Lending.status.in_(("requested", "countered")))
        .order_by(Lending.id).limit(LIMIT)).all()
    codes = _codes(session, {lending.project_id for lending in rows})
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
    query = select(IntakeRequest).where(IntakeRequest.stage.in_(PIPELINE))
    if not is_admin(actor):
        query = query.where(IntakeRequest.department_id.in_(sorted(actor.scope)))
    rows = list(session.scalars(query.order_by(IntakeRequest.id).limit(LIMIT)))
    found = intake_policy.routes(session, rows)
    return [MyWaiting(kind="request", id=r.id, link=f"/intake/{r.id}",
                      words=f"{r.code} {r.title}: {r.stage}, decided by you")
            for r in rows if intake_policy.can_decide(session, actor, r, found)]


def _changes(session: Session, actor: Actor) -> list[MyChange]:
    rows = session.execute(
        select(Notification.subject, Notification.body, Notification.link,
               Notification.created_at)
        .where(Notification.user_id == actor.id, Notification.read_at.is_(None),
               Notification.kind == "change.created")
        .order_by(Notification.created_at.desc()).limit(LIMIT)).all()
    return [MyChange(subject=subject, body=body, link=link, at=at)
            for subject, body, link, at in rows]


def _codes(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(Project.id, Project.code).where(Project.id.in_(sorted(ids))))
    return {ident: code for ident, code in rows}

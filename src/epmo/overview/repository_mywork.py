"""Reads of My work (``overview.mywork``): one query per list, each bounded by ``limit``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from epmo.intake.models import PIPELINE, IntakeRequest
from epmo.network.models import Dependency
from epmo.notifications.models import Notification
from epmo.org.models import Department
from epmo.portfolio.models import Milestone, Project
from epmo.reporting.models import RaidItem
from epmo.resources.models import Lending

Where = Sequence[ColumnElement[bool]]


def projects(session: Session, where: Where, limit: int) -> tuple[int, Sequence[Any]]:
    """How many projects ``where`` selects, and (id, code, name, department code, stage,
    health, derived health, forecast finish) of the first ``limit``, worst health first."""
    rank = case({"red": 0, "amber": 1, "green": 3}, value=Project.health, else_=2)
    total = session.scalar(select(func.count()).select_from(Project).where(*where)) or 0
    rows = session.execute(
        select(Project.id, Project.code, Project.name, Department.code, Project.stage,
               Project.health, Project.derived_health, Project.forecast_finish)
        .join(Department, Department.id == Project.department_id)
        .where(*where).order_by(rank, Project.code).limit(limit)).all()
    return total, rows


def next_milestones(session: Session, ids: Sequence[int], today: date
                    ) -> dict[int, tuple[str, date]]:
    """Each project's next open milestone from ``today`` (by forecast, else planned date)."""
    if not ids:
        return {}
    when = func.coalesce(Milestone.forecast_date, Milestone.planned_date)
    rows = session.execute(
        select(Milestone.project_id, Milestone.name, when)
        .where(Milestone.project_id.in_(ids), Milestone.status.in_(("planned", "in_progress")),
               when >= today)
        .order_by(Milestone.project_id, when, Milestone.id))
    found: dict[int, tuple[str, date]] = {}
    for project_id, name, day in rows:
        found.setdefault(project_id, (name, day))
    return found


def raid_items_of(session: Session, person_id: int, limit: int) -> Sequence[Any]:
    """(id, kind, title, due, project id, project code) of the open RAID items the person
    owns, soonest due first."""
    return session.execute(
        select(RaidItem.id, RaidItem.kind, RaidItem.title, RaidItem.due_on, Project.id,
               Project.code)
        .join(Project, Project.id == RaidItem.project_id)
        .where(RaidItem.owner_id == person_id, RaidItem.status == "open")
        .order_by(RaidItem.due_on.is_(None), RaidItem.due_on, RaidItem.id).limit(limit)).all()


def proposed_to(session: Session, where: Where, limit: int) -> Sequence[Dependency]:
    """Dependencies the other side proposed to the projects ``where`` selects."""
    ids = select(Project.id).where(*where)
    return session.scalars(
        select(Dependency).where(Dependency.status == "proposed", or_(
            and_(Dependency.proposed_side == "predecessor", Dependency.succ_project_id.in_(ids)),
            and_(Dependency.proposed_side == "successor", Dependency.pred_project_id.in_(ids))))
        .order_by(Dependency.id).limit(limit)).all()


def open_lendings(session: Session, scope: ColumnElement[bool], limit: int
                  ) -> Sequence[Lending]:
    """Requested and counter-offered lendings in ``scope``."""
    return session.scalars(
        select(Lending).where(scope, Lending.status.in_(("requested", "countered")))
        .order_by(Lending.id).limit(limit)).all()


def pipeline_requests(session: Session, departments: Sequence[int] | None, limit: int
                      ) -> list[IntakeRequest]:
    """Intake requests still in the pipeline (of ``departments``; all for None)."""
    query = select(IntakeRequest).where(IntakeRequest.stage.in_(PIPELINE))
    if departments is not None:
        query = query.where(IntakeRequest.department_id.in_(sorted(departments)))
    return list(session.scalars(query.order_by(IntakeRequest.id).limit(limit)))


def unread_changes(session: Session, user_id: int, limit: int) -> Sequence[Any]:
    """(subject, body, link, created) of the user's unread change notifications, newest first."""
    return session.execute(
        select(Notification.subject, Notification.body, Notification.link,
               Notification.created_at)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None),
               Notification.kind == "change.created")
        .order_by(Notification.created_at.desc()).limit(limit)).all()


def project_codes(session: Session, ids: set[int]) -> dict[int, str]:
    """Project code by id."""
    if not ids:
        return {}
    rows = session.execute(select(Project.id, Project.code).where(Project.id.in_(sorted(ids))))
    return {ident: code for ident, code in rows}

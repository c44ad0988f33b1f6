"""Reads of the roadmap: dated active projects, their milestones, the links between them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from epmo.network.models import Dependency
from epmo.portfolio.models import CLOSED_STAGES, Milestone, Project


def dated_projects(session: Session, chosen: Select[Any], limit: int
                   ) -> tuple[int, Sequence[Any]]:
    """How many active projects ``chosen`` (a query of project ids) holds, and (id, code,
    name, department id, health, start, finish) of at most ``limit`` with both dates, by
    department and start."""
    active = chosen.where(Project.stage.not_in(CLOSED_STAGES))
    total = session.scalar(select(func.count()).select_from(active.subquery())) or 0
    start = func.coalesce(Project.actual_start, Project.forecast_start, Project.planned_start)
    finish = func.coalesce(Project.forecast_finish, Project.planned_finish)
    rows = session.execute(
        select(Project.id, Project.code, Project.name, Project.department_id, Project.health,
               start, finish)
        .where(Project.id.in_(active.scalar_subquery()), start.is_not(None),
               finish.is_not(None))
        .order_by(Project.department_id, start, Project.code).limit(limit)).all()
    return total, rows


def dated_milestones(session: Session, project_ids: Sequence[int]
                     ) -> list[tuple[int, int, str, date, date | None, str]]:
    """(id, project id, name, date, baseline, status) of the projects' dated milestones that
    are not cancelled; the date is the forecast, else the plan, the baseline else the plan."""
    when = func.coalesce(Milestone.forecast_date, Milestone.planned_date)
    rows = session.execute(
        select(Milestone.id, Milestone.project_id, Milestone.name, when,
               func.coalesce(Milestone.baseline_date, Milestone.planned_date), Milestone.status)
        .where(Milestone.project_id.in_(sorted(project_ids)), when.is_not(None),
               Milestone.status != "cancelled")
        .order_by(Milestone.project_id, when))
    return [(i, p, name, day, base, status) for i, p, name, day, base, status in rows]


def links_among(session: Session, project_ids: Sequence[int]
                ) -> tuple[Sequence[Dependency], dict[int, int]]:
    """Accepted and proposed dependencies between these projects, and each project's
    department."""
    ids = sorted(project_ids)
    rows = session.scalars(
        select(Dependency).where(Dependency.status.in_(("accepted", "proposed")),
                                 Dependency.pred_project_id.in_(ids),
                                 Dependency.succ_project_id.in_(ids))).all()
    departments = {i: d for i, d in session.execute(
        select(Project.id, Project.department_id).where(Project.id.in_(ids)))}
    return rows, departments

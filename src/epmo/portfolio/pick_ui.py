"""Pickers of projects and milestones: what the reader may read, matching what they typed."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy import func, or_, select

from epmo.portfolio.models import Milestone, Project
from epmo.portfolio.policy import project_scope
from epmo.sql import holds
from epmo.web.deps import DB, CurrentActor
from epmo.web.pages import PICK_LIMIT, pick_label, pick_options, pick_query

router = APIRouter(include_in_schema=False)


@router.get("/pick/projects")
def pick_projects(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Readable projects whose code or name holds what was typed."""
    typed = pick_query(request)
    rows = session.execute(
        select(Project.id, Project.code, Project.name).where(
            project_scope(actor), or_(holds(Project.code, typed), holds(Project.name, typed)))
        .order_by(Project.code).limit(PICK_LIMIT))
    return pick_options(request, [pick_label(code, name, ident=i) for i, code, name in rows])


@router.get("/pick/milestones")
def pick_milestones(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Milestones of readable projects whose name or project code holds what was typed,
    each with its project and date."""
    typed = pick_query(request)
    when = func.coalesce(Milestone.forecast_date, Milestone.planned_date)
    rows = session.execute(
        select(Milestone.id, Project.code, Milestone.name, when)
        .join(Project, Project.id == Milestone.project_id)
        .where(project_scope(actor), or_(holds(Project.code, typed),
                                         holds(Milestone.name, typed)))
        .order_by(Project.code, when, Milestone.id).limit(PICK_LIMIT))
    return pick_options(request, [pick_label(code, name, day or "no date", ident=i)
                                  for i, code, name, day in rows])

"""Pickers of projects, programmes and milestones: what the reader may read, matching what
they typed."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from epmo.portfolio import repository_pick
from epmo.portfolio.policy import programme_scope, project_scope
from epmo.web.deps import DB, CurrentActor
from epmo.web.pages import PICK_LIMIT, pick_label, pick_options, pick_query

router = APIRouter(include_in_schema=False)


@router.get("/pick/projects")
def pick_projects(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Readable projects whose code or name holds what was typed."""
    rows = repository_pick.projects_holding(session, project_scope(actor), pick_query(request),
                                            PICK_LIMIT)
    return pick_options(request, [pick_label(code, name, ident=i) for i, code, name in rows])


@router.get("/pick/programmes")
def pick_programmes(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Readable programmes whose code or name holds what was typed."""
    rows = repository_pick.programmes_holding(session, programme_scope(actor),
                                              pick_query(request), PICK_LIMIT)
    return pick_options(request, [pick_label(code, name, ident=i) for i, code, name in rows])


@router.get("/pick/milestones")
def pick_milestones(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Milestones of readable projects whose name or project code holds what was typed,
    each with its project and date."""
    rows = repository_pick.milestones_holding(session, project_scope(actor),
                                              pick_query(request), PICK_LIMIT)
    return pick_options(request, [pick_label(code, name, day or "no date", ident=i)
                                  for i, code, name, day in rows])

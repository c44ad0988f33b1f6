"""REST endpoints of the strategy domain (/api/v1/goals)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy.orm import Session

from epmo.editing import paginate
from epmo.schema_kit import MAX_ID, PageOf
from epmo.strategy import policy, repository, service
from epmo.strategy.models import Goal
from epmo.strategy.schemas import GoalCreate, GoalRead, GoalUpdate
from epmo.web.deps import DB, CurrentActor, PageParams, PathId

router = APIRouter(tags=["strategy"])


def _read(session: Session, goal: Goal) -> GoalRead:
    return GoalRead.of(goal, repository.weight_totals(session))


@router.get("/goals", response_model=PageOf[GoalRead])
def list_goals(
    session: DB, actor: CurrentActor, page: PageParams,
    q: Annotated[str | None, Query(description="Text in code or name")] = None,
    parent_id: Annotated[int | None, Query(
        ge=1, le=MAX_ID, description="Only sub-goals of this goal")] = None,
) -> object:
    """List goals, filtered by text or parent, each with its sibling group's total weight."""
    found = paginate(session, repository.goal_query(q, parent_id), page.limit, page.offset)
    totals = repository.weight_totals(session)
    items = [GoalRead.of(goal, totals) for goal in found.items]
    return PageOf[GoalRead](items=items, total=found.total, limit=found.limit,
                            offset=found.offset)


@router.post("/goals", response_model=GoalRead, status_code=201)
def create_goal(session: DB, actor: CurrentActor, body: GoalCreate) -> object:
    """Create a goal (EPMO administrators)."""
    return _read(session, service.create_goal(session, actor, body))


@router.get("/goals/{goal_id}", response_model=GoalRead)
def get_goal(session: DB, actor: CurrentActor, goal_id: PathId) -> object:
    """Read one goal."""
    return _read(session, policy.access_goal_or_404(session, actor, goal_id))


@router.patch("/goals/{goal_id}", response_model=GoalRead)
def update_goal(session: DB, actor: CurrentActor, goal_id: PathId, body: GoalUpdate) -> object:
    """Change a goal; send the version you read."""
    return _read(session, service.update_goal(session, actor, goal_id, body))


@router.delete("/goals/{goal_id}", status_code=204)
def delete_goal(
    session: DB, actor: CurrentActor, goal_id: PathId, version: Annotated[int, Query()]
) -> Response:
    """Delete a goal without sub-goals or projects; pass ``?version=`` of what you read."""
    service.delete_goal(session, actor, goal_id, version)
    return Response(status_code=204)

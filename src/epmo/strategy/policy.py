"""Who may see and change strategic goals."""

from __future__ import annotations

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, is_admin
from epmo.errors import Forbidden, NotFound
from epmo.strategy import repository
from epmo.strategy.models import Goal


def access_goal_or_404(session: Session, actor: Actor, goal_id: int) -> Goal:
    """Every signed-in user may read the enterprise's goals."""
    goal = repository.get_goal(session, goal_id)
    if goal is None:
        raise NotFound(f"Goal {goal_id} not found")
    return goal


def can_edit_goals(actor: Actor) -> bool:
    """Only the EPMO maintains the strategic goals."""
    return is_admin(actor)


def require_edit_goals(actor: Actor) -> None:
    """Raise Forbidden unless the actor may change goals."""
    if not can_edit_goals(actor):
        raise Forbidden("Only EPMO administrators change strategic goals")

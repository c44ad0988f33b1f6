"""Named writes of the strategy domain."""

from __future__ import annotations

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.editing import apply, changes_of, check_version, ensure_unique, no_cycle, require
from epmo.errors import Conflict, FieldError
from epmo.org.models import Person
from epmo.strategy import policy, repository
from epmo.strategy.models import Goal
from epmo.strategy.schemas import GoalCreate, GoalUpdate

# Weights that do not sum to 100 among siblings are shown, never refused: goals are
# entered one at a time, so a group is unbalanced until its last goal is in.
NULLABLE = frozenset({"parent_id", "owner_id"})


def create_goal(session: Session, actor: Actor, data: GoalCreate) -> Goal:
    """Add a goal to the hierarchy."""
    policy.require_edit_goals(actor)
    ensure_unique(session, Goal.code, data.code)
    require(session, Goal, data.parent_id, "parent_id")
    require(session, Person, data.owner_id, "owner_id")
    goal = Goal(**data.model_dump())
    session.add(goal)
    session.flush()
    return goal


def update_goal(session: Session, actor: Actor, goal_id: int, data: GoalUpdate) -> Goal:
    """Change a goal; moving it may not make it its own ancestor."""
    goal = policy.access_goal_or_404(session, actor, goal_id)
    policy.require_edit_goals(actor)
    check_version(goal, data.version)
    changes = changes_of(data, NULLABLE)
    if changes.get("code"):
        ensure_unique(session, Goal.code, changes["code"], exclude_id=goal.id)
    if "parent_id" in changes:
        require(session, Goal, changes["parent_id"], "parent_id")
        no_cycle(repository.goal_parents(session), goal.id, changes["parent_id"])
    if "owner_id" in changes:
        require(session, Person, changes["owner_id"], "owner_id")
    apply(goal, changes)
    session.flush()
    return goal


def delete_goal(session: Session, actor: Actor, goal_id: int, version: int) -> None:
    """Remove a goal that has no sub-goals and no projects contributing to it."""
    goal = policy.access_goal_or_404(session, actor, goal_id)
    policy.require_edit_goals(actor)
    check_version(goal, version)
    if repository.has_children(session, goal.id):
        raise Conflict("Goal has sub-goals",
                       [FieldError("id", "move or delete its sub-goals first")])
    links = repository.project_link_count(session, goal.id)
    if links:
        raise Conflict(f"{links} project(s) contribute to this goal",
                       [FieldError("id", "unlink its projects first")])
    session.delete(goal)
    session.flush()

"""Reads of the strategy domain."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from epmo.editing import depth_first
from epmo.org.models import Person
from epmo.portfolio.models import ProjectGoal
from epmo.strategy.models import Goal

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class GoalNode:
    """One row of the goal tree: the goal, how deep it sits, and its owner's name."""

    goal: Goal
    depth: int
    owner: str | None


def get_goal(session: Session, goal_id: int) -> Goal | None:
    """Return a goal by id."""
    return session.get(Goal, goal_id)


def get_goal_by_code(session: Session, code: str) -> Goal | None:
    """Return a goal by its code."""
    return session.scalar(select(Goal).where(Goal.code == code))


def goal_parents(session: Session) -> dict[int, int | None]:
    """Return the whole hierarchy as child id -> parent id."""
    rows = session.execute(select(Goal.id, Goal.parent_id)).all()
    return {row[0]: row[1] for row in rows}


def goal_query(text: str | None = None, parent_id: int | None = None) -> Select[Goal]:
    """Build the filtered, ordered goal list query."""
    query = select(Goal).order_by(Goal.code)
    if text:
        like = f"%{text.lower()}%"
        query = query.where(or_(Goal.code.ilike(like), Goal.name.ilike(like)))
    if parent_id is not None:
        query = query.where(Goal.parent_id == parent_id)
    return query


def weight_totals(session: Session) -> dict[int | None, Decimal]:
    """Return parent id (None for top-level goals) -> summed weight of its children."""
    totals: dict[int | None, Decimal] = {}
    for parent_id, weight in session.execute(select(Goal.parent_id, Goal.weight)):
        totals[parent_id] = totals.get(parent_id, Decimal(0)) + Decimal(weight or 0)
    return {key: value.quantize(CENT) for key, value in totals.items()}


def children(session: Session, goal_id: int) -> Sequence[Goal]:
    """Return the direct sub-goals of a goal, by code."""
    return session.scalars(goal_query(parent_id=goal_id)).all()


def has_children(session: Session, goal_id: int) -> bool:
    """True when some goal sits below this one."""
    query = select(Goal.id).where(Goal.parent_id == goal_id).limit(1)
    return session.scalar(query) is not None


def project_link_count(session: Session, goal_id: int) -> int:
    """Return how many projects contribute to this goal."""
    query = select(func.count()).select_from(ProjectGoal).where(ProjectGoal.goal_id == goal_id)
    return int(session.scalar(query) or 0)


def goal_owner(session: Session, goal: Goal) -> Person | None:
    """Return the person who owns the goal, if any."""
    return session.get(Person, goal.owner_id) if goal.owner_id else None


def goal_tree(session: Session) -> list[GoalNode]:
    """Return every goal in depth-first order (siblings by code) with its depth."""
    rows = session.execute(
        select(Goal, Person.name).outerjoin(Person, Person.id == Goal.owner_id)
        .order_by(Goal.code)
    ).all()
    tree = depth_first(rows, lambda row: row[0].id, lambda row: row[0].parent_id)
    return [GoalNode(row[0], depth, row[1]) for row, depth in tree]

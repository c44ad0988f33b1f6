"""Reads of the pickers: projects, programmes and milestones whose code or name holds what was
typed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from epmo.portfolio.models import Milestone, Programme, Project
from epmo.sql import holds


def projects_holding(session: Session, scope: ColumnElement[bool], typed: str,
                     limit: int) -> Sequence[Any]:
    """(id, code, name) of projects in ``scope`` whose code or name holds ``typed``."""
    return session.execute(
        select(Project.id, Project.code, Project.name)
        .where(scope, or_(holds(Project.code, typed), holds(Project.name, typed)))
        .order_by(Project.code).limit(limit)).all()


def programmes_holding(session: Session, scope: ColumnElement[bool], typed: str,
                       limit: int) -> Sequence[Any]:
    """(id, code, name) of programmes in ``scope`` whose code or name holds ``typed``."""
    return session.execute(
        select(Programme.id, Programme.code, Programme.name)
        .where(scope, or_(holds(Programme.code, typed), holds(Programme.name, typed)))
        .order_by(Programme.code).limit(limit)).all()


def milestones_holding(session: Session, scope: ColumnElement[bool], typed: str,
                       limit: int) -> Sequence[tuple[int, str, str, date | None]]:
    """(id, project code, name, date) of milestones of projects in ``scope`` whose name or
    project code holds ``typed``, by project and date."""
    when = func.coalesce(Milestone.forecast_date, Milestone.planned_date)
    rows = session.execute(
        select(Milestone.id, Project.code, Milestone.name, when)
        .join(Project, Project.id == Milestone.project_id)
        .where(scope, or_(holds(Project.code, typed), holds(Milestone.name, typed)))
        .order_by(Project.code, when, Milestone.id).limit(limit))
    return [(i, code, name, day) for i, code, name, day in rows]

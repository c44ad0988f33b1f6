"""Who sees which roll-up: enterprise roles everything, department staff their own scope.

Department staff see the nodes they may read (their departments and those below, the
programmes and portfolios the portfolio policy lets them read, every goal), and the figures
count only the projects they may read, so no aggregate reveals another department's
projects.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, true
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, in_scope, spans_enterprise
from epmo.errors import NotFound
from epmo.org import repository as org_repository
from epmo.org.models import Department
from epmo.portfolio.models import Portfolio
from epmo.portfolio.policy import (
    access_portfolio_or_404,
    portfolio_scope,
    programme_scope,
    project_scope,
)


def readable_projects(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause on Project: the projects whose status the actor may see."""
    return project_scope(actor)


def node_scope(actor: Actor, level: str) -> ColumnElement[bool]:
    """WHERE clause on the level's table: the nodes the actor may see."""
    if level == "programme":
        return programme_scope(actor)
    if level == "portfolio":
        return portfolio_scope(actor)
    if level == "department" and not spans_enterprise(actor):
        return Department.id.in_(sorted(actor.scope))
    return true()  # every signed-in user reads the goals (and enterprise roles everything)


def access_pack_department_or_404(session: Session, actor: Actor,
                                  department_id: int) -> Department:
    """The department if the actor's scope covers it, else NotFound."""
    department = org_repository.get_department(session, department_id)
    if department is None or not in_scope(actor, department.id):
        raise NotFound(f"Department {department_id} not found")
    return department


def access_pack_portfolio_or_404(session: Session, actor: Actor,
                                 portfolio_id: int) -> Portfolio:
    """The portfolio if the actor may read it, else NotFound."""
    return access_portfolio_or_404(session, actor, portfolio_id)

"""Who may see and change portfolios, programmes, projects and milestones.

Reading: enterprise roles see everything; everybody else sees what their departments' scope
owns or takes part in, plus projects they manage or sponsor. What one may not read answers
404 exactly like something missing; 403 only when one may read but not change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from epmo.auth.policy import (
    Actor,
    can_lead_department,
    can_write_department_data,
    in_scope,
    is_admin,
    spans_enterprise,
)
from epmo.errors import Forbidden, NotFound
from epmo.portfolio import repository
from epmo.portfolio.models import (
    Milestone,
    Portfolio,
    Programme,
    ProgrammeDepartment,
    Project,
    ProjectDepartment,
)

READ_ONLY_ROLES = frozenset({"executive", "viewer"})

# --- projects ---------------------------------------------------------------------------


def project_scope(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause limiting a project query to what ``actor`` may read."""
    if spans_enterprise(actor):
        return true()
    scope = sorted(actor.scope)
    taking_part = select(ProjectDepartment.project_id).where(
        ProjectDepartment.department_id.in_(scope))
    conditions: list[ColumnElement[bool]] = [Project.department_id.in_(scope),
                                             Project.id.in_(taking_part)]
    if actor.person_id is not None:
        conditions += [Project.manager_id == actor.person_id,
                       Project.sponsor_id == actor.person_id]
    return or_(*conditions) if scope or actor.person_id is not None else false()


def may_read_project(actor: Actor, project: Project,
                     taking_part: Callable[[], Iterable[int]]) -> bool:
    """The reading rule; ``taking_part`` gives the participating departments when needed."""
    if in_scope(actor, project.department_id):
        return True
    if actor.person_id is not None and actor.person_id in (project.manager_id,
                                                           project.sponsor_id):
        return True
    return not actor.scope.isdisjoint(taking_part())


def can_read_project(session: Session, actor: Actor, project: Project) -> bool:
    """Owning or participating department in scope, or the actor manages or sponsors it."""
    return may_read_project(
        actor, project, lambda: repository.project_department_ids(session, project.id))


def can_write_project(actor: Actor, project: Project) -> bool:
    """Department writers of the owning department, and the project's own manager."""
    if actor.role in READ_ONLY_ROLES:
        return False
    if can_write_department_data(actor, project.department_id):
        return True
    return actor.person_id is not None and project.manager_id == actor.person_id


def access_project_or_404(session: Session, actor: Actor, project_id: int) -> Project:
    """Return the project if the actor may read it, else NotFound."""
    project = repository.get_project(session, project_id)
    if project is None or not can_read_project(session, actor, project):
        raise NotFound(f"Project {project_id} not found")
    return project


def writable_project_or_404(session: Session, actor: Actor, project_id: int) -> Project:
    """Return the project if the actor may change it; 404 if unreadable, else 403."""
    project = access_project_or_404(session, actor, project_id)
    if not can_write_project(actor, project):
        raise Forbidden("You may read this project but not change it")
    return project


def can_place_project(actor: Actor, department_id: int) -> bool:
    """May the actor create a project in, or move one into or out of, this department."""
    return actor.role not in READ_ONLY_ROLES and can_write_department_data(actor, department_id)


def may_create_projects(actor: Actor) -> bool:
    """Whether the actor may create a project in at least one department."""
    return is_admin(actor) or any(can_place_project(actor, d) for d in actor.scope)


def require_place_project(actor: Actor, department_id: int) -> None:
    """Raise Forbidden unless the actor may own projects in ``department_id``."""
    if not can_place_project(actor, department_id):
        raise Forbidden("You may not place projects in this department")


def access_milestone_or_404(
    session: Session, actor: Actor, project_id: int, milestone_id: int
) -> Milestone:
    """Return a milestone of a project the actor may read, else NotFound."""
    project = access_project_or_404(session, actor, project_id)
    milestone = repository.get_milestone(session, milestone_id)
    if milestone is None or milestone.project_id != project.id:
        raise NotFound(f"Milestone {milestone_id} not found")
    return milestone


def writable_milestone_or_404(
    session: Session, actor: Actor, project_id: int, milestone_id: int
) -> Milestone:
    """Return a milestone if the actor may change its project; 404 if unseen, else 403."""
    milestone = access_milestone_or_404(session, actor, project_id, milestone_id)
    writable_project_or_404(session, actor, project_id)
    return milestone


# --- programmes -------------------------------------------------------------------------


def programme_scope(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause limiting a programme query to what ``actor`` may read."""
    if spans_enterprise(actor):
        return true()
    scope = sorted(actor.scope)
    taking_part = select(ProgrammeDepartment.programme_id).where(
        ProgrammeDepartment.department_id.in_(scope))
    return or_(Programme.department_id.in_(scope), Programme.id.in_(taking_part))


def may_read_programme(actor: Actor, programme: Programme,
                       taking_part: Callable[[], Iterable[int]]) -> bool:
    """The reading rule; ``taking_part`` gives the participating departments when needed."""
    if in_scope(actor, programme.department_id):
        return True
    return not actor.scope.isdisjoint(taking_part())


def can_read_programme(session: Session, actor: Actor, programme: Programme) -> bool:
    """Owned or taken part in by a department in scope, or an enterprise role."""
    return may_read_programme(
        actor, programme, lambda: repository.programme_department_ids(session, programme.id))


def access_programme_or_404(session: Session, actor: Actor, programme_id: int) -> Programme:
    """Return the programme if the actor may read it, else NotFound."""
    programme = repository.get_programme(session, programme_id)
    if programme is None or not can_read_programme(session, actor, programme):
        raise NotFound(f"Programme {programme_id} not found")
    return programme


def require_lead(actor: Actor, department_id: int | None, what: str) -> None:
    """Raise Forbidden unless the actor leads ``department_id`` (or is an admin)."""
    if not can_lead_department(actor, department_id):
        raise Forbidden(f"Only EPMO administrators and the department's lead may change {what}")


def writable_programme_or_404(session: Session, actor: Actor, programme_id: int) -> Programme:
    """Return the programme if the actor may change it; 404 if unreadable, else 403."""
    programme = access_programme_or_404(session, actor, programme_id)
    require_lead(actor, programme.department_id, "this programme")
    return programme


# --- portfolios -------------------------------------------------------------------------


def portfolio_scope(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause: the enterprise portfolio and the actor's departments' portfolios."""
    if spans_enterprise(actor):
        return true()
    return or_(Portfolio.department_id.is_(None),
               Portfolio.department_id.in_(sorted(actor.scope)))


def can_read_portfolio(actor: Actor, portfolio: Portfolio) -> bool:
    """Everyone reads the enterprise portfolio; departments' ones within scope."""
    return portfolio.department_id is None or in_scope(actor, portfolio.department_id)


def access_portfolio_or_404(session: Session, actor: Actor, portfolio_id: int) -> Portfolio:
    """Return the portfolio if the actor may read it, else NotFound."""
    portfolio = repository.get_portfolio(session, portfolio_id)
    if portfolio is None or not can_read_portfolio(actor, portfolio):
        raise NotFound(f"Portfolio {portfolio_id} not found")
    return portfolio


def writable_portfolio_or_404(session: Session, actor: Actor, portfolio_id: int) -> Portfolio:
    """Return the portfolio if the actor may change it; 404 if unreadable, else 403."""
    portfolio = access_portfolio_or_404(session, actor, portfolio_id)
    require_lead(actor, portfolio.department_id, "this portfolio")
    return portfolio


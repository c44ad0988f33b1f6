"""Who may see and change benefits.

A benefit is read by whoever may read its project or programme (executives and EPMO
administrators read everything; a viewer reads within their departments' scope). It is kept
(created, changed, planned, its actuals recorded) by EPMO administrators, the leads of the
department that owns the project or programme, and the project's (or programme's) manager;
viewers and executives never write. A benefit one may not read answers 404 like a missing one;
403 only when one may read it but not change it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, can_lead_department, is_admin, spans_enterprise
from epmo.benefits import repository
from epmo.benefits.models import Benefit
from epmo.errors import Forbidden, NotFound
from epmo.portfolio import policy as portfolio_policy
from epmo.portfolio.models import Programme, Project

READ_ONLY_ROLES = frozenset({"executive", "viewer"})
Subject = Project | Programme


def benefit_scope(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause: the benefits the actor may read."""
    if spans_enterprise(actor):
        return true()
    projects = select(Project.id).where(portfolio_policy.project_scope(actor))
    programmes = select(Programme.id).where(portfolio_policy.programme_scope(actor))
    return or_(Benefit.project_id.in_(projects), Benefit.programme_id.in_(programmes))


def may_keep(actor: Actor, subject: Subject) -> bool:
    """Whether the actor keeps the benefits of this project or programme."""
    if actor.role in READ_ONLY_ROLES:
        return False
    if is_admin(actor) or can_lead_department(actor, subject.department_id):
        return True
    return actor.person_id is not None and subject.manager_id == actor.person_id


def subject_or_404(session: Session, actor: Actor, project_id: int | None,
                   programme_id: int | None) -> Subject:
    """The project or programme named, when the actor may read it, else NotFound."""
    if project_id is not None:
        return portfolio_policy.access_project_or_404(session, actor, project_id)
    return portfolio_policy.access_programme_or_404(session, actor, programme_id or 0)


def subject_to_keep(session: Session, actor: Actor, project_id: int | None,
                    programme_id: int | None) -> Subject:
    """The project or programme, when the actor keeps its benefits; 404 unseen, else 403."""
    subject = subject_or_404(session, actor, project_id, programme_id)
    if not may_keep(actor, subject):
        what = "project" if isinstance(subject, Project) else "programme"
        raise Forbidden(f"You may read this {what}'s benefits but not change them: they are "
                        f"kept by its manager, its department's leads and EPMO administrators")
    return subject


def access_benefit_or_404(session: Session, actor: Actor, benefit_id: int) -> Benefit:
    """The benefit when the actor may read it, else NotFound."""
    benefit = repository.get_benefit(session, benefit_id)
    if benefit is None:
        raise NotFound(f"Benefit {benefit_id} not found")
    try:
        subject_or_404(session, actor, benefit.project_id, benefit.programme_id)
    except NotFound:
        raise NotFound(f"Benefit {benefit_id} not found") from None
    return benefit


def benefit_to_keep(session: Session, actor: Actor, benefit_id: int) -> Benefit:
    """The benefit when the actor may change it; 404 when unseen, else 403."""
    benefit = access_benefit_or_404(session, actor, benefit_id)
    subject_to_keep(session, actor, benefit.project_id, benefit.programme_id)
    return benefit


def can_keep(session: Session, actor: Actor, benefit: Benefit) -> bool:
    """Whether the actor may change the benefit (it is readable)."""
    subject = subject_or_404(session, actor, benefit.project_id, benefit.programme_id)
    return may_keep(actor, subject)

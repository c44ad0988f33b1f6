"""Who may see and change departments and people."""

from __future__ import annotations

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, can_lead_department, is_admin
from epmo.errors import Forbidden, NotFound
from epmo.org import repository
from epmo.org.models import Department, Person


def access_department_or_404(session: Session, actor: Actor, department_id: int) -> Department:
    """Every signed-in user may read the department structure."""
    department = repository.get_department(session, department_id)
    if department is None:
        raise NotFound(f"Department {department_id} not found")
    return department


def can_edit_departments(actor: Actor) -> bool:
    """Only the EPMO administers the department hierarchy."""
    return is_admin(actor)


def require_edit_departments(actor: Actor) -> None:
    """Raise Forbidden unless the actor may change the department hierarchy."""
    if not can_edit_departments(actor):
        raise Forbidden("Only EPMO administrators change departments")


def access_person_or_404(session: Session, actor: Actor, person_id: int) -> Person:
    """The people directory is readable by every signed-in user."""
    person = repository.get_person(session, person_id)
    if person is None:
        raise NotFound(f"Person {person_id} not found")
    return person


def can_edit_person(actor: Actor, department_id: int) -> bool:
    """Admins, and department leads within their departments, maintain people."""
    return can_lead_department(actor, department_id)


def require_edit_person(actor: Actor, department_id: int) -> None:
    """Raise Forbidden unless the actor may maintain people of that department."""
    if not can_edit_person(actor, department_id):
        raise Forbidden("You may only maintain people of your own departments")

"""Named writes of the org domain."""

from __future__ import annotations

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.editing import apply, changes_of, check_version, ensure_unique, no_cycle, require
from epmo.errors import Conflict, FieldError
from epmo.org import policy, repository
from epmo.org.models import Department, Person
from epmo.org.schemas import DepartmentCreate, DepartmentUpdate, PersonCreate, PersonUpdate


def create_department(session: Session, actor: Actor, data: DepartmentCreate) -> Department:
    """Add a department to the hierarchy."""
    policy.require_edit_departments(actor)
    ensure_unique(session, Department.code, data.code)
    require(session, Department, data.parent_id, "parent_id")
    department = Department(**data.model_dump())
    session.add(department)
    session.flush()
    return department


def update_department(
    session: Session, actor: Actor, department_id: int, data: DepartmentUpdate
) -> Department:
    """Change a department; moving it may not create a loop."""
    department = policy.access_department_or_404(session, actor, department_id)
    policy.require_edit_departments(actor)
    check_version(department, data.version)
    changes = changes_of(data, frozenset({"parent_id"}))
    if changes.get("code"):
        ensure_unique(session, Department.code, changes["code"], exclude_id=department.id)
    if "parent_id" in changes:
        require(session, Department, changes["parent_id"], "parent_id")
        no_cycle(repository.department_parents(session), department.id, changes["parent_id"])
    apply(department, changes)
    session.flush()
    return department


def delete_department(session: Session, actor: Actor, department_id: int, version: int) -> None:
    """Remove an empty department (no children, people or projects)."""
    department = policy.access_department_or_404(session, actor, department_id)
    policy.require_edit_departments(actor)
    check_version(department, version)
    if repository.has_sub_departments(session, department.id):
        raise Conflict("Department has sub-departments",
                       [FieldError("id", "move or delete its sub-departments first")])
    if repository.has_people(session, department.id):
        raise Conflict("Department still has people", [FieldError("id", "move its people first")])
    what = repository.owned_kind(session, department.id)
    if what is not None:
        raise Conflict(f"Department still owns {what}",
                       [FieldError("id", f"move or delete its {what} first")])
    session.delete(department)
    session.flush()


def create_person(session: Session, actor: Actor, data: PersonCreate) -> Person:
    """Add a person to a department."""
    require(session, Department, data.department_id, "department_id")
    policy.require_edit_person(actor, data.department_id)
    ensure_unique(session, Person.code, data.code)
    if data.email:
        ensure_unique(session, Person.email, str(data.email).lower(), field="email")
    person = Person(**data.model_dump())
    person.email = person.email.lower() if person.email else None
    session.add(person)
    session.flush()
    return person


def update_person(session: Session, actor: Actor, person_id: int, data: PersonUpdate) -> Person:
    """Change a person; both the old and the new department must be the actor's."""
    person = policy.access_person_or_404(session, actor, person_id)
    policy.require_edit_person(actor, person.department_id)
    check_version(person, data.version)
    changes = changes_of(data, frozenset({"email"}))
    if "department_id" in changes:
        require(session, Department, changes["department_id"], "department_id")
        policy.require_edit_person(actor, changes["department_id"])
    if changes.get("code"):
        ensure_unique(session, Person.code, changes["code"], exclude_id=person.id)
    if changes.get("email"):
        changes["email"] = str(changes["email"]).lower()
        ensure_unique(session, Person.email, changes["email"], exclude_id=person.id, field="email")
    apply(person, changes)
    session.flush()
    return person

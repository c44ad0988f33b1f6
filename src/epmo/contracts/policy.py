"""Who may see and change tier rules, contracts, department methods and artefacts.

Every signed-in user reads the tier rules, the contracts and the department methods: the
minimum standard is public inside the enterprise. The EPMO administrators change rules and
contracts; a department's lead (or an administrator) its method. Artefacts follow their
project: whoever may read the project reads them, whoever may change it changes them.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, can_lead_department, is_admin
from epmo.contracts import repository
from epmo.contracts.models import Artefact
from epmo.errors import Forbidden, NotFound
from epmo.org.models import Department
from epmo.portfolio import policy as portfolio_policy
from epmo.portfolio.models import Project


def can_edit_contracts(actor: Actor) -> bool:
    """Only EPMO administrators change tier rules and reporting contracts."""
    return is_admin(actor)


def require_edit_contracts(actor: Actor) -> None:
    """Raise Forbidden unless the actor may change tier rules and contracts."""
    if not can_edit_contracts(actor):
        raise Forbidden("Only EPMO administrators change tier rules and reporting contracts")


def access_department_or_404(session: Session, actor: Actor, department_id: int) -> Department:
    """Every signed-in user may read a department and its method."""
    department = repository.get_department(session, department_id)
    if department is None:
        raise NotFound(f"Department {department_id} not found")
    return department


def can_edit_method(actor: Actor, department_id: int) -> bool:
    """The department's lead (its own departments and those below) and administrators."""
    return can_lead_department(actor, department_id)


def require_edit_method(actor: Actor, department_id: int) -> None:
    """Raise Forbidden unless the actor may change the department's method."""
    if not can_edit_method(actor, department_id):
        raise Forbidden("Only EPMO administrators and the department's lead change its method")


def access_project_or_404(session: Session, actor: Actor, project_id: int) -> Project:
    """The project if the actor may read it (its artefacts and terms come with it)."""
    return portfolio_policy.access_project_or_404(session, actor, project_id)


def writable_project_or_404(session: Session, actor: Actor, project_id: int) -> Project:
    """The project if the actor may change it (and so add or remove its artefacts)."""
    return portfolio_policy.writable_project_or_404(session, actor, project_id)


def can_write_project(actor: Actor, project: Project) -> bool:
    """Whether the actor may add and remove the project's artefacts."""
    return portfolio_policy.can_write_project(actor, project)


def access_artefact_or_404(session: Session, actor: Actor, artefact_id: int) -> Artefact:
    """An artefact of a project the actor may read, else NotFound."""
    artefact = repository.get_artefact(session, artefact_id)
    if artefact is None:
        raise NotFound(f"Artefact {artefact_id} not found")
    try:
        access_project_or_404(session, actor, artefact.project_id)
    except NotFound:
        raise NotFound(f"Artefact {artefact_id} not found") from None
    return artefact


def writable_artefact_or_404(session: Session, actor: Actor, artefact_id: int) -> Artefact:
    """An artefact the actor may remove; 404 when unseen, 403 when only readable."""
    artefact = access_artefact_or_404(session, actor, artefact_id)
    writable_project_or_404(session, actor, artefact.project_id)
    return artefact

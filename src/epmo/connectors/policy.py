"""Who may manage which Jira connection, and as whom a connection's sync writes.

EPMO administrators manage every connection; a department lead manages the connections owned
by a department of their scope, whose targets (the department new projects go to, the project
milestones go to) lie in that department's scope too. Others see none: a connection they may
not manage answers like a missing one.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true
from sqlalchemy.orm import Session

from epmo.auth.policy import SYSTEM, Actor, can_lead_department, is_admin, scope_below
from epmo.connectors import repository
from epmo.connectors.models import JiraConnection
from epmo.errors import Forbidden, NotFound
from epmo.org import repository as org_repository


def may_manage_connections(actor: Actor) -> bool:
    """Whether the actor may manage at least one connection (admins and department leads)."""
    return is_admin(actor) or actor.role == "department_lead"


def connection_scope(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause: the connections the actor may manage."""
    if is_admin(actor):
        return true()
    if actor.role != "department_lead" or not actor.scope:
        return false()
    return JiraConnection.department_id.in_(sorted(actor.scope))


def can_manage_connection(actor: Actor, department_id: int | None) -> bool:
    """Admins manage every connection; a department lead those of their departments."""
    return can_lead_department(actor, department_id)


def require_manage(actor: Actor, department_id: int | None) -> None:
    """Raise Forbidden unless the actor may own a connection for ``department_id``."""
    if not can_manage_connection(actor, department_id):
        raise Forbidden("Only EPMO administrators, and department leads for their own "
                        "departments, may manage Jira connections")


def access_connection_or_404(session: Session, actor: Actor,
                             connection_id: int) -> JiraConnection:
    """Return the connection if the actor may manage it, else NotFound."""
    connection = repository.get_connection(session, connection_id)
    if connection is None or not can_manage_connection(actor, connection.department_id):
        raise NotFound(f"Jira connection {connection_id} not found")
    return connection


def sync_actor(session: Session, department_id: int | None) -> Actor:
    """Whom the sync of a connection owned by ``department_id`` writes as: that department's
    lead rights (its scope), or the system for an EPMO-level connection."""
    if department_id is None:
        return SYSTEM
    scope = scope_below(org_repository.department_parents(session), {department_id})
    return Actor(id=0, email="jira-sync", name="Jira sync", role="department_lead",
                 department_ids=frozenset({department_id}), scope=scope)

"""Named writes of the connectors domain: create, change and delete Jira connections.

The API token is encrypted before it is stored (``crypto.seal``) and only its last four
characters are kept in clear, for the pages; no read ever returns it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.connectors import crypto, policy
from epmo.connectors.models import JiraConnection
from epmo.connectors.schemas import (
    DEFAULT_MAPS,
    JiraConnectionCreate,
    JiraConnectionUpdate,
    mapping_errors,
)
from epmo.editing import apply, changes_of, check_version, require
from epmo.errors import FieldError, Invalid
from epmo.org.models import Department
from epmo.portfolio import policy as portfolio_policy
from epmo.portfolio.models import Project

NULLABLE = frozenset({"department_id", "target_department_id", "target_project_id"})
MAPPING = ("project_keys", "jql", "target", "target_department_id", "target_project_id",
           "status_map", "department_id")


def _check(session: Session, actor: Actor, values: dict[str, Any]) -> None:
    """The owner the actor may manage, the rules across fields, targets within reach."""
    require(session, Department, values.get("department_id"), "department_id")
    policy.require_manage(actor, values.get("department_id"))
    errors = mapping_errors(values)
    if errors:
        raise Invalid("; ".join(f"{e.field}: {e.message}" for e in errors), errors)
    owner = policy.sync_actor(session, values.get("department_id"))
    if values["target"] == "projects":
        require(session, Department, values["target_department_id"], "target_department_id")
        if not portfolio_policy.can_place_project(owner, values["target_department_id"]):
            raise Invalid("The connection's department may not place projects there",
                          [FieldError("target_department_id", "is outside the connection's "
                                                              "department")])
    else:
        _check_project(session, owner, values["target_project_id"])


def _check_project(session: Session, owner: Actor, project_id: int) -> None:
    require(session, Project, project_id, "target_project_id")
    project = session.get(Project, project_id)
    if project is None or not portfolio_policy.can_write_project(owner, project):
        raise Invalid("The connection's department may not change that project",
                      [FieldError("target_project_id", "is outside the connection's "
                                                       "department")])


def _with_defaults(values: dict[str, Any]) -> dict[str, Any]:
    """Fill the status map from the target's defaults for every category not given."""
    given = values.get("status_map") or {}
    values["status_map"] = DEFAULT_MAPS[values["target"]] | dict(given)
    return values


def create_connection(session: Session, actor: Actor,
                      data: JiraConnectionCreate) -> JiraConnection:
    """Save a connection; the token is stored encrypted."""
    values = _with_defaults(data.model_dump(exclude={"api_token"}))
    _check(session, actor, values)
    token = data.api_token.get_secret_value()
    connection = JiraConnection(**values, secret=crypto.seal(token),
                                token_last4=crypto.last_four(token))
    session.add(connection)
    session.flush()
    return connection


def update_connection(session: Session, actor: Actor, connection_id: int,
                      data: JiraConnectionUpdate) -> JiraConnection:
    """Change a connection; an omitted ``api_token`` keeps the stored one."""
    connection = policy.access_connection_or_404(session, actor, connection_id)
    check_version(connection, data.version)
    changes = changes_of(data, NULLABLE)
    token = changes.pop("api_token", None)
    merged = {key: changes.get(key, getattr(connection, key)) for key in MAPPING}
    if "target" in changes and "status_map" not in changes:
        merged["status_map"] = {}  # a new target: its own default statuses
    changes["status_map"] = _with_defaults(merged)["status_map"]
    _check(session, actor, merged)
    apply(connection, changes)
    if data.api_token is not None and token is not None:
        plain = data.api_token.get_secret_value()
        connection.secret, connection.token_last4 = crypto.seal(plain), crypto.last_four(plain)
    session.flush()
    return connection


def delete_connection(session: Session, actor: Actor, connection_id: int, version: int) -> None:
    """Remove a connection with its links and run history (the projects and milestones stay)."""
    connection = policy.access_connection_or_404(session, actor, connection_id)
    check_version(connection, version)
    session.delete(connection)
    session.flush()

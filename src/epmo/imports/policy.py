"""Who may import which entity; row-level rights come from each domain's own policy."""

from __future__ import annotations

from epmo.auth.policy import WRITE_ROLES, Actor, is_admin
from epmo.errors import Forbidden
from epmo.files.entities import Entity
from epmo.org.policy import can_edit_departments
from epmo.strategy.policy import can_edit_goals

LEAD_ROLES = frozenset({"epmo_admin", "department_lead"})


def can_import(actor: Actor, entity: Entity) -> bool:
    """Admins import everything; leads their people and programmes; writers their projects."""
    if entity.name == "departments":
        return can_edit_departments(actor)
    if entity.name == "goals":
        return can_edit_goals(actor)
    roles = WRITE_ROLES if entity.name in ("projects", "project_demand") else LEAD_ROLES
    return is_admin(actor) or actor.role in roles


def require_import(actor: Actor, entity: Entity) -> None:
    """Raise Forbidden unless the actor may import ``entity`` at all (rows are checked later)."""
    if not can_import(actor, entity):
        raise Forbidden(f"You may not import {entity.name}: {entity.who} may")

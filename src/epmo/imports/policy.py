"""Who may import which entity; row-level rights come from each domain's own policy.

Import profiles follow the entity: whoever may import an entity may read, save, change and
delete its profiles (they are shared recipes, not personal settings); other profiles look
missing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from epmo.auth.policy import WRITE_ROLES, Actor, is_admin
from epmo.errors import Forbidden, NotFound
from epmo.files.entities import Entity
from epmo.imports.entities import ENTITIES
from epmo.imports.models import ImportProfile
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


def importable(actor: Actor) -> list[str]:
    """The entities the actor may import."""
    return [name for name, entity in ENTITIES.items() if can_import(actor, entity)]


def access_profile_or_404(session: Session, actor: Actor, profile_id: int) -> ImportProfile:
    """The profile if the actor may import its entity; otherwise it looks missing."""
    profile = session.get(ImportProfile, profile_id)
    if profile is None or profile.entity not in importable(actor):
        raise NotFound(f"No import profile {profile_id}")
    return profile

"""Who the actor is and what their role allows, shared by every domain's policy."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from epmo.auth.models import ENTERPRISE_ROLES
from epmo.errors import Forbidden

WRITE_ROLES = frozenset({"epmo_admin", "department_lead", "project_manager"})


@dataclass(frozen=True, slots=True)
class Actor:
    """The signed-in user as policies see them; ``scope`` = own departments and descendants."""

    id: int
    email: str
    name: str
    role: str
    person_id: int | None = None
    department_ids: frozenset[int] = field(default_factory=frozenset)
    scope: frozenset[int] = field(default_factory=frozenset)

    @property
    def label(self) -> str:
        """Return the name the audit log shows."""
        return self.email


SYSTEM = Actor(id=0, email="system", name="System", role="epmo_admin")


def scope_below(parents: Mapping[int, int | None], roots: Iterable[int]) -> frozenset[int]:
    """The departments ``roots`` and every department below them (``parents``: child -> parent)."""
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    seen = set(roots)
    stack = list(seen)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return frozenset(seen)


def is_admin(actor: Actor) -> bool:
    """EPMO administrators may change anything in the enterprise."""
    return actor.role == "epmo_admin"


def spans_enterprise(actor: Actor) -> bool:
    """Admins and executives read the whole enterprise in full."""
    return actor.role in ENTERPRISE_ROLES


def in_scope(actor: Actor, department_id: int | None) -> bool:
    """True when the department is one of the actor's (or below one of them)."""
    return spans_enterprise(actor) or (department_id is not None and department_id in actor.scope)


def can_write_department_data(actor: Actor, department_id: int | None) -> bool:
    """Department leads and project managers change their own departments' records."""
    if is_admin(actor):
        return True
    return actor.role in WRITE_ROLES and department_id is not None and (
        department_id in actor.scope
    )


def can_lead_department(actor: Actor, department_id: int | None) -> bool:
    """Department leads manage their departments' people, portfolios and programmes."""
    if is_admin(actor):
        return True
    return actor.role == "department_lead" and department_id in actor.scope


def require_admin(actor: Actor) -> None:
    """Raise Forbidden unless the actor is an EPMO administrator."""
    if not is_admin(actor):
        raise Forbidden("Only EPMO administrators may do this")


# the roles whose home is My work (epmo.overview.mywork); the EPMO, executives and viewers keep
# the enterprise overview
HOME_ROLES = frozenset({"department_lead", "project_manager", "member"})


def landing(role: str, target: str) -> str:
    """Where a sign-in lands: the page asked for, else (the bare home) My work for the roles
    whose home it is."""
    return "/my-work" if target == "/" and role in HOME_ROLES else target

"""Who may see compliance findings, open gate reviews and decide gates.

Findings of a project are visible to whoever may read the project; department and enterprise
scores are aggregates everyone signed in may see. A gate is decided by a holder of one of its
approver roles in the project's department (or an EPMO administrator); where the charter makes
the EPMO directive in portfolio governance, only the EPMO decides.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement

from epmo.auth.policy import Actor, is_admin, require_admin, spans_enterprise
from epmo.errors import Forbidden
from epmo.portfolio import policy as portfolio_policy
from epmo.portfolio.models import Project


def findings_scope(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause on ``project``: the projects whose findings ``actor`` may read."""
    return portfolio_policy.project_scope(actor)


def sees_everything(actor: Actor) -> bool:
    """Enterprise roles see the findings of every project."""
    return spans_enterprise(actor)


def can_open_review(actor: Actor, project: Project) -> bool:
    """Whoever may change the project may ask for a gate review."""
    return portfolio_policy.can_write_project(actor, project)


def require_open_review(actor: Actor, project: Project) -> None:
    """Raise Forbidden unless the actor may open a review of this project."""
    if not can_open_review(actor, project):
        raise Forbidden("You may read this project but not ask for a gate review")


def holds_approver_role(actor: Actor, department_id: int, roles: Sequence[str]) -> bool:
    """The actor has one of ``roles`` where it applies to the department (or is an admin)."""
    if is_admin(actor):
        return True
    if actor.role not in roles:
        return False
    return spans_enterprise(actor) or department_id in actor.scope


def can_decide(actor: Actor, department_id: int, roles: Sequence[str], governance: str) -> bool:
    """May the actor decide a gate with these approver roles under this authority level."""
    if governance == "directive":
        return is_admin(actor)
    return holds_approver_role(actor, department_id, roles)


def require_decide(actor: Actor, department_id: int, roles: Sequence[str], governance: str,
                   where: str) -> None:
    """Raise Forbidden naming who may decide, unless the actor may."""
    if can_decide(actor, department_id, roles, governance):
        return
    if governance == "directive":
        raise Forbidden(f"Only the EPMO decides gates in {where}: its authority over portfolio "
                        "governance there is directive")
    named = [r.replace("_", " ") for r in roles if r != "epmo_admin"]
    if not named:
        raise Forbidden("Only EPMO administrators may decide this gate")
    raise Forbidden(f"Only EPMO administrators and a {' or '.join(named)} of {where} may "
                    "decide this gate")


def require_snapshot(actor: Actor) -> None:
    """Only EPMO administrators record compliance snapshots."""
    require_admin(actor)

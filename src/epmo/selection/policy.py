"""Who may see and change scenarios: the EPMO writes, executives read, others see nothing."""

from __future__ import annotations

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, is_admin, spans_enterprise
from epmo.errors import Forbidden, NotFound
from epmo.selection import repository
from epmo.selection.models import Scenario


def can_read_scenarios(actor: Actor) -> bool:
    """EPMO administrators and executives read every scenario."""
    return spans_enterprise(actor)


def can_edit_scenarios(actor: Actor) -> bool:
    """Only the EPMO builds, solves and commits scenarios."""
    return is_admin(actor)


def require_read_scenarios(actor: Actor) -> None:
    """Raise NotFound for anyone who may not see scenarios (they look absent)."""
    if not can_read_scenarios(actor):
        raise NotFound("Scenarios not found")


def require_edit_scenarios(actor: Actor) -> None:
    """Raise Forbidden for a reader who may not change scenarios (NotFound for others)."""
    require_read_scenarios(actor)
    if not can_edit_scenarios(actor):
        raise Forbidden("Only EPMO administrators change scenarios")


def access_scenario_or_404(session: Session, actor: Actor, scenario_id: int) -> Scenario:
    """The scenario, if the actor may read scenarios and it exists."""
    scenario = repository.get_scenario(session, scenario_id) if can_read_scenarios(
        actor) else None
    if scenario is None:
        raise NotFound(f"Scenario {scenario_id} not found")
    return scenario

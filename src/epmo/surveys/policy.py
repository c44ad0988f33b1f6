"""Who may do what with surveys.

EPMO administrators open and close rounds and read every result; executives read every
result; department leads read the response and results of their own departments (and the
enterprise figures as a benchmark), never a group under five; anyone signed in answers a round
they were invited to, with the link of their invitation. To anyone else a round does not exist.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, is_admin, require_admin, spans_enterprise
from epmo.errors import NotFound
from epmo.surveys import repository
from epmo.surveys.models import SurveyRound


def can_run_rounds(actor: Actor) -> bool:
    """EPMO administrators open, close and define surveys."""
    return is_admin(actor)


def require_run_rounds(actor: Actor) -> None:
    """Raise Forbidden unless the actor runs surveys."""
    require_admin(actor)


def can_read_results(actor: Actor) -> bool:
    """Administrators, executives and department leads read (some) results."""
    return spans_enterprise(actor) or actor.role == "department_lead"


def department_filter(actor: Actor) -> frozenset[int] | None:
    """Which departments' rows the actor sees: all (None) or their own scope."""
    return None if spans_enterprise(actor) else actor.scope


def sees_roles_and_comments(actor: Actor) -> bool:
    """Results by role and the comments are enterprise-wide: administrators and executives."""
    return spans_enterprise(actor)


def access_round_or_404(session: Session, actor: Actor, round_id: int) -> SurveyRound:
    """A round whose results the actor may read; otherwise it answers like a missing one."""
    found = repository.get_round(session, round_id)
    if found is None or not may_see_round(actor, found):
        raise NotFound(f"Survey round {round_id} not found")
    return found


def require_read_results(actor: Actor) -> None:
    """Lists of rounds and trends are for those who read results."""
    if not can_read_results(actor):
        raise NotFound("Not found")


def may_see_round(actor: Actor, found: SurveyRound) -> bool:
    """Whether the round shows in the actor's list (see ``access_round_or_404``)."""
    if not can_read_results(actor):
        return False
    visible = department_filter(actor)
    return visible is None or not found.department_ids or bool(
        set(found.department_ids) & set(visible))

"""Who may see and change what in the diagnostics domain.

A round's results (means, spread, heatmap, evidence) are read by EPMO administrators and
executives everywhere, and by every other signed-in user, viewers included, for enterprise
rounds and for rounds of a department within their scope: maturity is an aggregate like the
compliance league, and a department should see how it was judged. Rounds of other
departments look missing (404).

EPMO administrators open and complete rounds and score any open round. Department leads
score enterprise rounds (speaking for their department) and rounds of departments in their
scope. The assessors' notes, with their names, are read by administrators, executives and
the leads who may score the round; other readers see the figures only.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, true
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, is_admin, spans_enterprise
from epmo.diagnostics import repository
from epmo.diagnostics.models import DiagnosticRound
from epmo.errors import Forbidden, NotFound


def round_scope(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause: the rounds the actor may read."""
    if spans_enterprise(actor):
        return true()
    return or_(DiagnosticRound.department_id.is_(None),
               DiagnosticRound.department_id.in_(sorted(actor.scope)))


def can_read(actor: Actor, found: DiagnosticRound) -> bool:
    """Whether the actor may read the round's results."""
    return (spans_enterprise(actor) or found.department_id is None
            or found.department_id in actor.scope)


def access_round_or_404(session: Session, actor: Actor, round_id: int) -> DiagnosticRound:
    """The round when the actor may read it, else NotFound."""
    found = repository.get_round(session, round_id)
    if found is None or not can_read(actor, found):
        raise NotFound(f"Diagnostic round {round_id} not found")
    return found


def can_open(actor: Actor) -> bool:
    """Open or complete rounds: EPMO administrators."""
    return is_admin(actor)


def require_open(actor: Actor) -> None:
    """Raise Forbidden unless the actor may open and complete rounds."""
    if not can_open(actor):
        raise Forbidden("Only EPMO administrators open and complete diagnostic rounds")


def can_assess(actor: Actor, found: DiagnosticRound) -> bool:
    """Whether the actor is an assessor of the round (whatever its state)."""
    if is_admin(actor):
        return True
    return actor.role == "department_lead" and bool(actor.department_ids) and (
        found.department_id is None or found.department_id in actor.scope)


def require_assess(actor: Actor, found: DiagnosticRound) -> None:
    """Raise Forbidden unless the actor may score the round."""
    if not can_assess(actor, found):
        raise Forbidden("Rounds are scored by EPMO administrators and the leads of the "
                        "department assessed (every department's leads for an enterprise "
                        "round)")


def can_see_notes(actor: Actor, found: DiagnosticRound) -> bool:
    """Whether the actor reads the assessors' notes and names."""
    return spans_enterprise(actor) or can_assess(actor, found)

"""Who may see and change scoring models, and who may score which request.

Models belong to the EPMO: every signed-in user reads them, only EPMO administrators change
them. A request's scores are read by whoever may read the request; EPMO administrators,
executives and department leads who may read it keep their own sheet. Administrators and
executives see every scorer's sheet; others see their own and the combined result.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, is_admin, spans_enterprise
from epmo.errors import Forbidden, NotFound
from epmo.intake import policy as intake_policy
from epmo.intake.models import IntakeRequest
from epmo.scoring import repository
from epmo.scoring.models import RequestScore, ScoringModel

SCORERS = frozenset({"epmo_admin", "executive", "department_lead"})


def access_model_or_404(session: Session, actor: Actor, model_id: int) -> ScoringModel:
    """Every signed-in user may read the scoring models."""
    model = repository.get_model(session, model_id)
    if model is None:
        raise NotFound(f"Scoring model {model_id} not found")
    return model


def can_manage_models(actor: Actor) -> bool:
    """Only the EPMO maintains scoring models."""
    return is_admin(actor)


def require_manage_models(actor: Actor) -> None:
    """Raise Forbidden unless the actor may change scoring models."""
    if not can_manage_models(actor):
        raise Forbidden("Only EPMO administrators change scoring models")


def request_scope(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause on IntakeRequest limiting reads to what ``actor`` may see (intake's rule)."""
    return intake_policy.request_scope(actor)


def can_read_request(actor: Actor, request: IntakeRequest) -> bool:
    """Whoever may read the request in intake may read its scores."""
    return intake_policy.can_read_request(actor, request)


def access_request_or_404(session: Session, actor: Actor, request_id: int) -> IntakeRequest:
    """The intake request if the actor may read it, else NotFound."""
    return intake_policy.access_request_or_404(session, actor, request_id)


def can_score(actor: Actor, request: IntakeRequest) -> bool:
    """EPMO administrators, executives and department leads who may read the request."""
    return actor.role in SCORERS and can_read_request(actor, request)


def require_score(actor: Actor, request: IntakeRequest) -> None:
    """Raise Forbidden unless the actor may keep a sheet for a request they can read."""
    if not can_score(actor, request):
        raise Forbidden("Only EPMO administrators, executives and department leads score "
                        "requests")


def sees_all_sheets(actor: Actor) -> bool:
    """Administrators and executives see every scorer's sheet."""
    return spans_enterprise(actor)


def visible_sheets(actor: Actor, sheets: list[RequestScore]) -> list[RequestScore]:
    """The sheets the actor may see: all of them, or only their own."""
    if sees_all_sheets(actor):
        return sheets
    return [sheet for sheet in sheets if sheet.scorer_id == actor.id]

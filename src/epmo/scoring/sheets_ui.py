"""Pages where requests are scored and ranked: a request's sheet form and the ranking."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.editing import as_int
from epmo.errors import EpmoError, Invalid
from epmo.intake.models import IntakeRequest
from epmo.scoring import forms, policy, repository, service, views
from epmo.scoring.models import ScoringModel
from epmo.scoring.schemas import RankingRead, SheetWrite
from epmo.web.deps import DB, CurrentActor, PathId, QueryId, SubmittedForm, check_csrf_form
from epmo.web.pages import flash_redirect, form_action, parse_form, query_string, render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(check_csrf_form)]
Threshold = Annotated[float | None, Query(ge=0, le=100)]




def _model_or_none(session: Session, actor: Actor, model_id: int | None) -> ScoringModel | None:
    try:
        return service.model_for_scores(session, actor, model_id)
    except Invalid:
        return None  # no default model yet: the page says so


def _show_sheet(request: Request, session: Session, actor: Actor, item: IntakeRequest,
                model: ScoringModel | None, error: EpmoError | None = None,
                posted: dict[str, Any] | None = None) -> Response:
    scores = views.request_scores(session, actor, item, model) if model else None
    mine = next((s for s in scores.sheets if s.scorer_id == actor.id), None) if scores else None
    form = posted or {"scores": mine.scores if mine else {}, "comment": mine.comment if mine
                      else ""}
    return render(
        request, "scoring/sheet.html", actor, status=error.status if error else 200,
        item=item, model=views.model_read(session, model) if model else None, scores=scores,
        mine=mine, form=form, error=error, models=repository.list_models(session, "active"),
    )


@router.get("/intake/{request_id}/scores")
def sheet_page(request: Request, session: DB, actor: CurrentActor, request_id: PathId,
               model_id: QueryId = None) -> Response:
    """Your sheet for a request (rubric shown per criterion), the combined score and spread."""
    item = policy.access_request_or_404(session, actor, request_id)
    return _show_sheet(request, session, actor, item, _model_or_none(session, actor, model_id))


@router.post("/intake/{request_id}/scores", dependencies=CSRF)
def save_sheet_page(request: Request, session: DB, actor: CurrentActor, request_id: PathId,
                    form: SubmittedForm) -> Response:
    """Save your sheet, or show the form again with what is wrong beside each criterion."""
    item = policy.access_request_or_404(session, actor, request_id)
    model = _model_or_none(session, actor, as_int(form.get("model_id")) or None)
    keys = [c.key for c in repository.criteria_of(session, model.id)] if model else []
    values = forms.sheet_input(form, keys)
    return form_action(
        session, lambda: service.save_sheet(session, actor, request_id,
                                            parse_form(SheetWrite, values)),
        lambda exc: _show_sheet(request, session, actor, item, model, exc, values),
        lambda _: flash_redirect(
            request, f"Your scores for {item.code} were saved",
            f"/intake/{request_id}/scores?{query_string(model_id=values['model_id'])}"))


@router.post("/intake/{request_id}/scores/delete", dependencies=CSRF)
def delete_sheet_page(request: Request, session: DB, actor: CurrentActor, request_id: PathId,
                      form: SubmittedForm) -> Response:
    """Delete your own sheet for the request."""
    item = policy.access_request_or_404(session, actor, request_id)
    model_id = as_int(form.get("model_id")) or None
    return form_action(
        session, lambda: service.delete_sheet(session, actor, request_id, model_id),
        lambda exc: _show_sheet(request, session, actor, item,
                                _model_or_none(session, actor, model_id), exc),
        lambda _: flash_redirect(
            request, f"Your scores for {item.code} were deleted",
            f"/intake/{request_id}/scores?{query_string(model_id=model_id)}"))


def _chart(ranking: RankingRead) -> dict[str, Any]:
    """Bubble chart data: x = score, y = risk rating, size = cost, colour = department."""
    departments = sorted({item.department for item in ranking.items})
    points = {d: [[i.score, i.risk_rating, float(i.cost_total), i.code, i.title]
                  for i in ranking.items if i.department == d] for d in departments}
    return {"departments": departments, "points": points, "threshold": ranking.threshold,
            "max_cost": max((float(i.cost_total) for i in ranking.items), default=0.0)}


@router.get("/scoring/ranking")
def ranking_page(request: Request, session: DB, actor: CurrentActor,
                 model_id: QueryId = None, threshold: Threshold = None) -> Response:
    """Requests ranked by combined score with a threshold, and the value/risk bubble chart."""
    model = _model_or_none(session, actor, model_id)
    ranking = views.ranking(session, actor, model, threshold) if model else None
    choices = [m for m in repository.list_models(session) if m.status != "draft"]
    return render(request, "scoring/ranking.html", actor, model=model, ranking=ranking,
                  chart=_chart(ranking) if ranking else None, models=choices,
                  threshold=threshold)

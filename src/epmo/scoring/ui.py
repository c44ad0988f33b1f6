"""Pages of the scoring domain: the model list, the model form, pairwise matrix, lifecycle."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.editing import as_int
from epmo.engines.scoring import CR_LIMIT
from epmo.errors import EpmoError, NotFound
from epmo.scoring import forms, policy, repository, service, sheets_ui, views
from epmo.scoring.models import ScoringModel
from epmo.scoring.schemas import ScoringModelCreate, ScoringModelUpdate
from epmo.web.deps import DB, CurrentActor, PathId, SubmittedForm, check_csrf_form
from epmo.web.pages import flash_redirect, form_action, parse_form, render

router = APIRouter(include_in_schema=False)
router.include_router(sheets_ui.router)
CSRF = [Depends(check_csrf_form)]




@router.get("/scoring-models")
def models_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Every scoring model version with its status, method and consistency."""
    models = [views.model_read(session, m) for m in repository.list_models(session)]
    default = service.default_model(session)
    return render(request, "scoring/models.html", actor, models=models,
                  default_id=default.id if default else None,
                  can_manage=policy.can_manage_models(actor))


def _new_form(request: Request, session: Session, actor: Actor, state: dict[str, Any],
              error: EpmoError | None = None) -> Response:
    return render(request, "scoring/model_form.html", actor,
                  status=error.status if error else 200, form=state, rows=forms.rows_of(state),
                  portfolios=repository.portfolio_choices(session), error=error)


@router.get("/scoring-models/new")
def new_model_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """The form for a new scoring model (version 1, draft)."""
    policy.require_manage_models(actor)
    return _new_form(request, session, actor, forms.model_state(None, []))


@router.post("/scoring-models/new", dependencies=CSRF)
def create_model_page(request: Request, session: DB, actor: CurrentActor,
                      form: SubmittedForm) -> Response:
    """Create the draft, or show the form again with what is wrong."""
    values = forms.model_input(form)
    return form_action(
        session, lambda: service.create_model(session, actor,
                                              parse_form(ScoringModelCreate, values)),
        lambda exc: _new_form(request, session, actor, values, exc),
        lambda model: flash_redirect(
            request, f"Scoring model {model.code} v{model.number} created as a draft",
            f"/scoring-models/{model.id}"))


def _show_model(request: Request, session: Session, actor: Actor, model: ScoringModel,
                error: EpmoError | None = None, state: dict[str, Any] | None = None,
                matrix: list[list[str]] | None = None) -> Response:
    criteria = repository.criteria_of(session, model.id)
    state = state or forms.model_state(model, criteria)
    return render(
        request, "scoring/model.html", actor, status=error.status if error else 200,
        model=views.model_read(session, model), form=state, rows=forms.rows_of(state),
        matrix=matrix or forms.matrix_state(model, len(criteria)), cr_limit=CR_LIMIT,
        portfolios=repository.portfolio_choices(session), error=error,
        can_edit=policy.can_manage_models(actor) and model.status == "draft",
        can_manage=policy.can_manage_models(actor),
    )


@router.get("/scoring-models/{model_id}")
def model_page(request: Request, session: DB, actor: CurrentActor, model_id: PathId) -> Response:
    """A model: criteria with rubric and weight, pairwise matrix and CR, lifecycle actions."""
    return _show_model(request, session, actor,
                       policy.access_model_or_404(session, actor, model_id))


@router.post("/scoring-models/{model_id}", dependencies=CSRF)
def update_model_page(request: Request, session: DB, actor: CurrentActor, model_id: PathId,
                      form: SubmittedForm) -> Response:
    """Save the draft's details and criteria, or show them again with what is wrong."""
    model = policy.access_model_or_404(session, actor, model_id)
    values = forms.model_input(form)
    values.pop("code", None)
    return form_action(
        session, lambda: service.update_model(session, actor, model_id,
                                              parse_form(ScoringModelUpdate, values)),
        lambda exc: _show_model(request, session, actor, model, exc, state=values),
        lambda _: flash_redirect(request, "Scoring model saved", f"/scoring-models/{model_id}"))


@router.post("/scoring-models/{model_id}/pairwise", dependencies=CSRF)
def pairwise_page(request: Request, session: DB, actor: CurrentActor, model_id: PathId,
                  form: SubmittedForm) -> Response:
    """Save the pairwise comparisons; the weights and CR are derived from them."""
    model = policy.access_model_or_404(session, actor, model_id)
    size = len(repository.criteria_of(session, model.id))

    def write() -> float:
        values = {"version": as_int(form.get("version")), "method": "pairwise",
                  "pairwise": forms.matrix_input(form, size)}
        updated = service.update_model(session, actor, model_id,
                                       parse_form(ScoringModelUpdate, values))
        return updated.consistency_ratio or 0.0

    def saved(ratio: float) -> Response:
        warning = " — above 0.1: revisit the judgements" if ratio > CR_LIMIT else ""
        return flash_redirect(
            request, f"Pairwise comparisons saved: consistency ratio {ratio:.3f}{warning}",
            f"/scoring-models/{model_id}")
    return form_action(
        session, write,
        lambda exc: _show_model(request, session, actor, model, exc,
                                matrix=forms.posted_matrix(form, size)), saved)


@router.post("/scoring-models/{model_id}/{action}", dependencies=CSRF)
def lifecycle_page(request: Request, session: DB, actor: CurrentActor, model_id: PathId,
                   action: str, form: SubmittedForm) -> Response:
    """Activate, make a new version of, or retire a model."""
    model = policy.access_model_or_404(session, actor, model_id)
    steps = {"activate": service.activate_model, "new-version": service.new_version,
             "retire": service.retire_model}
    step = steps.get(action)
    if step is None:
        raise NotFound(f"No model action {action!r}")
    return form_action(
        session, lambda: step(session, actor, model_id, as_int(form.get("version"))),
        lambda exc: _show_model(request, session, actor, model, exc),
        lambda changed: flash_redirect(
            request, f"{changed.code} v{changed.number} is now {changed.status}",
            f"/scoring-models/{changed.id}"))

"""REST endpoints of the scoring domain (/api/v1/scoring-models, requests' scores)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from epmo.editing import paginate
from epmo.schema_kit import PageOf
from epmo.scoring import policy, repository, service, views
from epmo.scoring.schemas import (
    RankingRead,
    RequestScores,
    ScoringModelCreate,
    ScoringModelRead,
    ScoringModelUpdate,
    SheetWrite,
    VersionIn,
)
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, QueryId

router = APIRouter(tags=["scoring"])
Status = Annotated[str | None, Query(pattern="^(draft|active|retired)$",
                                     description="Only models in this status")]
Threshold = Annotated[float | None, Query(ge=0, le=100,
                                          description="Minimum score (default: the model's)")]


@router.get("/scoring-models", response_model=PageOf[ScoringModelRead])
def list_models(session: DB, actor: CurrentActor, page: PageParams,
                status: Status = None) -> object:
    """List scoring model versions by code, newest version first."""
    found = paginate(session, repository.model_query(status=status), page.limit, page.offset)
    items = [views.model_read(session, model) for model in found.items]
    return PageOf[ScoringModelRead](items=items, total=found.total, limit=found.limit,
                                    offset=found.offset)


@router.post("/scoring-models", response_model=ScoringModelRead, status_code=201)
def create_model(session: DB, actor: CurrentActor, body: ScoringModelCreate) -> object:
    """Create version 1 of a model as a draft (EPMO administrators)."""
    return views.model_read(session, service.create_model(session, actor, body))


@router.get("/scoring-models/{model_id}", response_model=ScoringModelRead)
def get_model(session: DB, actor: CurrentActor, model_id: PathId) -> object:
    """Read one model version with its criteria, weights and consistency ratio."""
    return views.model_read(session, policy.access_model_or_404(session, actor, model_id))


@router.patch("/scoring-models/{model_id}", response_model=ScoringModelRead)
def update_model(session: DB, actor: CurrentActor, model_id: PathId,
                 body: ScoringModelUpdate) -> object:
    """Change a draft; ``criteria`` replaces the list; a pairwise matrix derives the weights."""
    return views.model_read(session, service.update_model(session, actor, model_id, body))


@router.post("/scoring-models/{model_id}/activate", response_model=ScoringModelRead)
def activate_model(session: DB, actor: CurrentActor, model_id: PathId,
                   body: VersionIn) -> object:
    """Activate a draft (weights must sum to 100 or the matrix be valid); CR > 0.1 warns."""
    model = service.activate_model(session, actor, model_id, body.version)
    return views.model_read(session, model)


@router.post("/scoring-models/{model_id}/new-version", response_model=ScoringModelRead,
             status_code=201)
def new_version(session: DB, actor: CurrentActor, model_id: PathId, body: VersionIn) -> object:
    """Copy the code's latest version into a new draft numbered one higher."""
    return views.model_read(session, service.new_version(session, actor, model_id, body.version))


@router.post("/scoring-models/{model_id}/retire", response_model=ScoringModelRead)
def retire_model(session: DB, actor: CurrentActor, model_id: PathId, body: VersionIn) -> object:
    """Retire a version: its sheets stay, it takes no new scores."""
    return views.model_read(session, service.retire_model(session, actor, model_id,
                                                          body.version))


@router.get("/scoring-models/{model_id}/ranking", response_model=RankingRead)
def ranking(session: DB, actor: CurrentActor, model_id: PathId,
            threshold: Threshold = None) -> object:
    """Requests scored under the model that you may read, best first, with the threshold."""
    model = policy.access_model_or_404(session, actor, model_id)
    return views.ranking(session, actor, model, threshold)


@router.get("/intake/requests/{request_id}/scores", response_model=RequestScores)
def get_scores(session: DB, actor: CurrentActor, request_id: PathId,
               model_id: QueryId = None) -> object:
    """A request's sheets you may see, the combined score and the per-criterion spread."""
    request = policy.access_request_or_404(session, actor, request_id)
    model = service.model_for_scores(session, actor, model_id)
    return views.request_scores(session, actor, request, model)


@router.put("/intake/requests/{request_id}/scores", response_model=RequestScores)
def put_scores(session: DB, actor: CurrentActor, request_id: PathId, body: SheetWrite) -> object:
    """Save your own sheet (levels 1..5; computed criteria are filled in)."""
    sheet = service.save_sheet(session, actor, request_id, body)
    request = policy.access_request_or_404(session, actor, request_id)
    model = policy.access_model_or_404(session, actor, sheet.model_id)
    return views.request_scores(session, actor, request, model)


@router.delete("/intake/requests/{request_id}/scores", status_code=204)
def delete_scores(session: DB, actor: CurrentActor, request_id: PathId,
                  model_id: QueryId = None) -> Response:
    """Delete your own sheet under the model (default: the enterprise default model)."""
    service.delete_sheet(session, actor, request_id, model_id)
    return Response(status_code=204)

"""REST endpoints of the intake domain: /intake/requests, their pipeline and decisions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from epmo.editing import paginate
from epmo.intake import policy, repository, service, views
from epmo.intake.schemas import (
    RequestCreate,
    RequestDecision,
    RequestFilter,
    RequestRead,
    RequestStageChange,
    RequestUpdate,
)
from epmo.schema_kit import PageOf
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, Version

router = APIRouter(tags=["intake"])
Filters = Annotated[RequestFilter, Query()]
BASE = "/intake/requests"


@router.get(BASE, response_model=PageOf[RequestRead])
def list_requests(session: DB, actor: CurrentActor, page: PageParams, filters: Filters) -> object:
    """List the requests you may see, newest first: filter by stage, department, tier, text."""
    query = repository.request_query(session, filters, policy.request_scope(actor), actor.id)
    found = paginate(session, query, page.limit, page.offset)
    return {"items": views.describe_requests(session, found.items), "total": found.total,
            "limit": found.limit, "offset": found.offset}


@router.post(BASE, response_model=RequestRead, status_code=201)
def create_request(session: DB, actor: CurrentActor, body: RequestCreate) -> object:
    """Submit a request for a department of yours; its tier and reviewers are computed."""
    return views.describe_requests(session, [service.create_request(session, actor, body)])[0]


@router.get("/intake/roles", response_model=list[str])
def list_roles(session: DB, actor: CurrentActor) -> object:
    """The roles demand may name: those active people have."""
    return repository.known_roles(session)


@router.get(BASE + "/{request_id}", response_model=RequestRead)
def get_request(session: DB, actor: CurrentActor, request_id: PathId) -> object:
    """Read one request with its costs, demand, goals, dependencies and decision."""
    request = policy.access_request_or_404(session, actor, request_id)
    return views.describe_requests(session, [request])[0]


@router.patch(BASE + "/{request_id}", response_model=RequestRead)
def update_request(session: DB, actor: CurrentActor, request_id: PathId,
                   body: RequestUpdate) -> object:
    """Change a request; send the version you read; lists replace the old ones."""
    request = service.update_request(session, actor, request_id, body)
    return views.describe_requests(session, [request])[0]


@router.delete(BASE + "/{request_id}", status_code=204)
def delete_request(session: DB, actor: CurrentActor, request_id: PathId,
                   version: Version) -> Response:
    """Withdraw a request still submitted; pass ``?version=``."""
    service.delete_request(session, actor, request_id, version)
    return Response(status_code=204)


@router.post(BASE + "/{request_id}/stage", response_model=RequestRead)
def move_request(session: DB, actor: CurrentActor, request_id: PathId,
                 body: RequestStageChange) -> object:
    """Move a request one step forward or back: submitted, triage, scoring, decision."""
    request = service.move_stage(session, actor, request_id, body)
    return views.describe_requests(session, [request])[0]


@router.post(BASE + "/{request_id}/decision", response_model=RequestRead)
def decide_request(session: DB, actor: CurrentActor, request_id: PathId,
                   body: RequestDecision) -> object:
    """Decide: approve (creates the project), not_yet, reject or defer (with a reason)."""
    request = service.decide_request(session, actor, request_id, body)
    return views.describe_requests(session, [request])[0]


@router.post(BASE + "/{request_id}/resubmit", response_model=RequestRead)
def resubmit_request(session: DB, actor: CurrentActor, request_id: PathId,
                     body: RequestUpdate) -> object:
    """Revise and resubmit a rejected or deferred request (revision + 1)."""
    request = service.resubmit_request(session, actor, request_id, body)
    return views.describe_requests(session, [request])[0]

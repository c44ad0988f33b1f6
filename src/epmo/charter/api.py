"""REST endpoints of the charter domain (/api/v1/charter); versions are never changed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from epmo.charter import policy, repository, service
from epmo.charter.schemas import CharterCreate, CharterDiff, CharterRead, CharterSummary
from epmo.editing import paginate
from epmo.schema_kit import MAX_ID, PageOf
from epmo.web.deps import DB, CurrentActor, PageParams

router = APIRouter(tags=["charter"])
Number = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/charter", response_model=CharterRead)
def get_charter(session: DB, actor: CurrentActor) -> object:
    """The current charter with the authority it gives in every department."""
    return service.charter_read(session, policy.access_current_or_404(session, actor))


@router.post("/charter", response_model=CharterRead, status_code=201)
def create_charter(session: DB, actor: CurrentActor, body: CharterCreate) -> object:
    """Publish a new charter version (EPMO administrators); say why in ``reason``."""
    return service.charter_read(session, service.create_charter_version(session, actor, body))


@router.get("/charter/versions", response_model=PageOf[CharterSummary])
def list_versions(session: DB, actor: CurrentActor, page: PageParams) -> object:
    """The charter's history, newest first: who changed it, when and why."""
    return paginate(session, repository.version_query(), page.limit, page.offset)


@router.get("/charter/versions/{number}", response_model=CharterRead)
def get_version(session: DB, actor: CurrentActor, number: Number) -> object:
    """One charter version, resolved against today's departments."""
    return service.charter_read(session, policy.access_version_or_404(session, actor, number))


@router.get("/charter/compare", response_model=CharterDiff)
def compare_versions(
    session: DB, actor: CurrentActor,
    from_number: Annotated[int, Query(alias="from", ge=1, le=MAX_ID)],
    to_number: Annotated[int, Query(alias="to", ge=1, le=MAX_ID)],
) -> object:
    """What changed between two versions: statement, levels per department, services."""
    return service.compare(session, actor, from_number, to_number)

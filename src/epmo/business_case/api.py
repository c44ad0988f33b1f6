"""REST endpoints of the business case domain: cases, options, yearly amounts, comparison."""

from __future__ import annotations

from fastapi import APIRouter, Response

from epmo.business_case import policy, repository, service, views
from epmo.business_case.schemas import (
    CaseCreate,
    CaseRead,
    CaseSummary,
    CaseUpdate,
    ComparisonRead,
    LinesPut,
    OptionCopy,
    OptionCreate,
    OptionRead,
    OptionUpdate,
)
from epmo.editing import paginate
from epmo.schema_kit import PageOf
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, Version

router = APIRouter(tags=["business case"])


@router.get("/business-cases", response_model=PageOf[CaseSummary])
def list_cases(session: DB, actor: CurrentActor, page: PageParams) -> object:
    """The business cases (empty for roles that do not read them)."""
    if not policy.can_read(actor):
        return PageOf[CaseSummary](items=[], total=0, limit=page.limit, offset=page.offset)
    found = paginate(session, repository.case_query(), page.limit, page.offset)
    return PageOf[CaseSummary](items=views.summaries(session, found.items), total=found.total,
                               limit=found.limit, offset=found.offset)


@router.post("/business-cases", response_model=CaseRead, status_code=201)
def create_case(session: DB, actor: CurrentActor, body: CaseCreate) -> object:
    """Start a business case (EPMO administrators)."""
    return views.describe_case(session, service.create_case(session, actor, body))


@router.get("/business-cases/{case_id}", response_model=CaseRead)
def get_case(session: DB, actor: CurrentActor, case_id: PathId) -> object:
    """A case with its options, their yearly amounts and figures."""
    return views.describe_case(session, policy.access_case_or_404(session, actor, case_id))


@router.patch("/business-cases/{case_id}", response_model=CaseRead)
def update_case(session: DB, actor: CurrentActor, case_id: PathId, body: CaseUpdate) -> object:
    """Change a case's terms or status."""
    return views.describe_case(session, service.update_case(session, actor, case_id, body))


@router.delete("/business-cases/{case_id}", status_code=204)
def delete_case(session: DB, actor: CurrentActor, case_id: PathId,
                version: Version) -> Response:
    """Remove a case with its options."""
    service.delete_case(session, actor, case_id, version)
    return Response(status_code=204)


@router.get("/business-cases/{case_id}/comparison", response_model=ComparisonRead)
def get_comparison(session: DB, actor: CurrentActor, case_id: PathId) -> object:
    """The options side by side: totals, NPV, IRR, payback, ROI and sensitivity tables."""
    return views.comparison(session, policy.access_case_or_404(session, actor, case_id))


@router.post("/business-cases/{case_id}/options", response_model=OptionRead, status_code=201)
def create_option(session: DB, actor: CurrentActor, case_id: PathId,
                  body: OptionCreate) -> object:
    """Add an option to a case."""
    option = service.create_option(session, actor, case_id, body)
    return _option_read(session, actor, option.id)


@router.get("/business-case-options/{option_id}", response_model=OptionRead)
def get_option(session: DB, actor: CurrentActor, option_id: PathId) -> object:
    """An option with its amounts and figures."""
    return _option_read(session, actor, option_id)


@router.patch("/business-case-options/{option_id}", response_model=OptionRead)
def update_option(session: DB, actor: CurrentActor, option_id: PathId,
                  body: OptionUpdate) -> object:
    """Change an option's name, description, authority mix or staffing."""
    service.update_option(session, actor, option_id, body)
    return _option_read(session, actor, option_id)


@router.post("/business-case-options/{option_id}/copy", response_model=OptionRead,
             status_code=201)
def copy_option(session: DB, actor: CurrentActor, option_id: PathId, body: OptionCopy) -> object:
    """Copy an option with its authority mix, staffing and amounts (to vary it)."""
    made = service.copy_option(session, actor, option_id, body.name)
    return _option_read(session, actor, made.id)


@router.put("/business-case-options/{option_id}/lines", response_model=OptionRead)
def set_lines(session: DB, actor: CurrentActor, option_id: PathId, body: LinesPut) -> object:
    """Replace an option's yearly amounts (what is not sent is removed)."""
    service.set_lines(session, actor, option_id, body)
    return _option_read(session, actor, option_id)


@router.delete("/business-case-options/{option_id}", status_code=204)
def delete_option(session: DB, actor: CurrentActor, option_id: PathId,
                  version: Version) -> Response:
    """Remove an option with its amounts."""
    service.delete_option(session, actor, option_id, version)
    return Response(status_code=204)


def _option_read(session: DB, actor: CurrentActor, option_id: int) -> OptionRead:
    case, _ = policy.access_option_or_404(session, actor, option_id)
    read = views.describe_case(session, case)
    return next(o for o in read.option_list if o.id == option_id)

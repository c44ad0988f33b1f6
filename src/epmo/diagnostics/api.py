"""REST endpoints of the diagnostics domain: instruments, rounds, scores, results."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from epmo.diagnostics import policy, report, repository, service, views
from epmo.diagnostics.instrument import CURRENT, INSTRUMENTS, get_instrument
from epmo.diagnostics.schemas import (
    DepartmentsRead,
    InstrumentRead,
    ResultsRead,
    RoundComplete,
    RoundCreate,
    RoundRead,
    ScoreRead,
    ScoresSubmit,
)
from epmo.editing import paginate
from epmo.errors import NotFound
from epmo.schema_kit import PageOf
from epmo.web.deps import DB, CurrentActor, PageParams, PathId

router = APIRouter(tags=["diagnostics"])
VersionPath = Annotated[str, Path(max_length=20, description='An instrument version, "2026.1"')]


def today() -> date:
    """Today, for the live evidence and the snapshot."""
    return date.today()


@router.get("/diagnostics/instruments", response_model=list[InstrumentRead])
def list_instruments(actor: CurrentActor) -> object:
    """Every published instrument version with its items and level descriptions."""
    return [views.describe_instrument(i) for i in INSTRUMENTS.values()]


@router.get("/diagnostics/instruments/{version}", response_model=InstrumentRead)
def get_instrument_version(actor: CurrentActor, version: VersionPath) -> object:
    """One published instrument version."""
    found = get_instrument(version)
    if found is None:
        raise NotFound(f"Instrument version {version!r} not found")
    return views.describe_instrument(found)


@router.get("/diagnostics/rounds", response_model=PageOf[RoundRead])
def list_rounds(session: DB, actor: CurrentActor, page: PageParams) -> object:
    """The rounds the caller may read, newest first."""
    found = paginate(session, repository.round_query(policy.round_scope(actor)), page.limit,
                     page.offset)
    return PageOf(items=views.describe_rounds(session, actor, found.items), total=found.total,
                  limit=found.limit, offset=found.offset)


@router.post("/diagnostics/rounds", response_model=RoundRead, status_code=201)
def open_round(session: DB, actor: CurrentActor, body: RoundCreate) -> object:
    """Open a round for the enterprise or a department (EPMO administrators)."""
    return views.describe_rounds(session, actor, [service.open_round(session, actor, body)])[0]


@router.get("/diagnostics/departments", response_model=DepartmentsRead)
def compare_departments(session: DB, actor: CurrentActor,
                        version: Annotated[str, Query(max_length=20)] = CURRENT) -> object:
    """Maturity by capability and department: the latest completed round of each department
    the caller may read, of one instrument version."""
    if get_instrument(version) is None:
        raise NotFound(f"Instrument version {version!r} not found")
    columns, cells = views.compare_departments(session, actor, version)
    return DepartmentsRead(instrument_version=version, departments=columns, cells=cells)


@router.get("/diagnostics/rounds/{round_id}", response_model=RoundRead)
def get_round(session: DB, actor: CurrentActor, round_id: PathId) -> object:
    """One round."""
    found = policy.access_round_or_404(session, actor, round_id)
    return views.describe_rounds(session, actor, [found])[0]


@router.get("/diagnostics/rounds/{round_id}/scores", response_model=list[ScoreRead])
def my_scores(session: DB, actor: CurrentActor, round_id: PathId) -> object:
    """The caller's own scores in the round."""
    found = policy.access_round_or_404(session, actor, round_id)
    return list(repository.scores_by(session, found.id, actor.id).values())


@router.put("/diagnostics/rounds/{round_id}/scores", response_model=list[ScoreRead])
def submit_scores(session: DB, actor: CurrentActor, round_id: PathId,
                  body: ScoresSubmit) -> object:
    """Score items (0 to 5, with a note); each replaces the caller's earlier score."""
    return service.submit_scores(session, actor, round_id, body.scores)


@router.post("/diagnostics/rounds/{round_id}/complete", response_model=RoundRead)
def complete_round(session: DB, actor: CurrentActor, round_id: PathId,
                   body: RoundComplete) -> object:
    """Lock the round and store the hub's evidence as it stands today."""
    done = service.complete_round(session, actor, round_id, body.version, today())
    return views.describe_rounds(session, actor, [done])[0]


@router.get("/diagnostics/rounds/{round_id}/results", response_model=ResultsRead)
def get_results(session: DB, actor: CurrentActor, round_id: PathId) -> object:
    """Maturity by practice, capability, item and department, the evidence, the trend."""
    found = policy.access_round_or_404(session, actor, round_id)
    return views.results(session, actor, found, today())


@router.get("/diagnostics/rounds/{round_id}/report.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
def report_pdf(session: DB, actor: CurrentActor, round_id: PathId) -> Response:
    """The diagnostic report as a PDF."""
    found = policy.access_round_or_404(session, actor, round_id)
    return Response(**report.download(*report.pdf_of(session, actor, found, today())))

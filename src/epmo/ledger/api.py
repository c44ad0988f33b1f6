"""REST endpoints of the value ledger and the value report."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from epmo.editing import paginate
from epmo.ledger import policy, render, report, repository, service, views
from epmo.ledger.schemas import (
    Category,
    EntryCreate,
    EntryDecision,
    EntryRead,
    EntryUpdate,
    ProposalRun,
    Status,
    ValueReport,
)
from epmo.schema_kit import PageOf
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, QueryId

router = APIRouter(tags=["ledger"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
QuarterQuery = Annotated[str | None, Query(max_length=7, description='A quarter: "2026-Q3"')]


def today() -> date:
    """Today, for the default quarter."""
    return date.today()


@router.get("/ledger/entries", response_model=PageOf[EntryRead])
def list_entries(session: DB, actor: CurrentActor, page: PageParams, status: Status | None = None,
                 category: Category | None = None, quarter: QuarterQuery = None,
                 department_id: QueryId = None) -> object:
    """The ledger entries you may read, newest first, filtered."""
    chosen = report.parse_quarter(quarter, today()) if quarter else None
    query = repository.entry_query(policy.entry_scope(session, actor), status=status,
                                   category=category, quarter=chosen,
                                   department_id=department_id)
    found = paginate(session, query, page.limit, page.offset)
    return PageOf(items=views.describe_entries(session, actor, found.items), total=found.total,
                  limit=found.limit, offset=found.offset)


@router.post("/ledger/entries", response_model=EntryRead, status_code=201)
def create_entry(session: DB, actor: CurrentActor, body: EntryCreate) -> object:
    """Write an entry by hand (EPMO administrators); it starts proposed."""
    return views.describe_entries(session, actor, [service.create_entry(session, actor, body)])[0]


@router.get("/ledger/entries/{entry_id}", response_model=EntryRead)
def get_entry(session: DB, actor: CurrentActor, entry_id: PathId) -> object:
    """One entry with its evidence."""
    entry = policy.access_entry_or_404(session, actor, entry_id)
    return views.describe_entries(session, actor, [entry])[0]


@router.patch("/ledger/entries/{entry_id}", response_model=EntryRead)
def update_entry(session: DB, actor: CurrentActor, entry_id: PathId,
                 body: EntryUpdate) -> object:
    """Correct a proposed entry (EPMO administrators)."""
    entry = service.update_entry(session, actor, entry_id, body)
    return views.describe_entries(session, actor, [entry])[0]


@router.post("/ledger/entries/{entry_id}/decision", response_model=EntryRead)
def decide_entry(session: DB, actor: CurrentActor, entry_id: PathId,
                 body: EntryDecision) -> object:
    """Confirm (EPMO administrators), validate a hard saving (finance) or reject (a reason)."""
    entry = service.decide_entry(session, actor, entry_id, body)
    return views.describe_entries(session, actor, [entry])[0]


@router.post("/ledger/propose", response_model=ProposalRun)
def propose(session: DB, actor: CurrentActor) -> object:
    """Propose entries from the hub's events not proposed yet (idempotent)."""
    return service.propose(session, actor)


@router.get("/value-report", response_model=ValueReport, responses={
    200: {"content": {"application/json": {}, "application/pdf": {}, XLSX: {}},
          "description": "The value report"}})
def get_value_report(session: DB, actor: CurrentActor, quarter: QuarterQuery = None,
                     department_id: QueryId = None,
                     format: Literal["json", "pdf", "xlsx"] = "json") -> object:
    """Dollars and days saved in the quarter (today's when none) and the three before it, by
    department, with each counted entry's evidence: JSON, PDF or Excel."""
    found = report.value_report(session, actor, quarter, department_id, today())
    if format == "json":
        return found
    if format == "xlsx":
        body, media = render.to_xlsx(found, today()), XLSX
    else:
        body, media = render.to_pdf(found, today()), "application/pdf"
    return Response(body, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{render.file_name(found, format)}"'})

"""REST endpoints of the portfolio domain: /portfolios, /programs, /projects, milestones."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse

from epmo import events
from epmo.db import take_warnings, work_of
from epmo.editing import Page, paginate
from epmo.errors import FieldError
from epmo.portfolio import demand, export, policy, portfolios, repository, service, views
from epmo.portfolio.demand_schemas import ProjectDemandRead, ProjectDemandSet
from epmo.portfolio.models import Project
from epmo.portfolio.schemas import (
    GovernanceWarning,
    MilestoneCreate,
    MilestoneRead,
    PortfolioCreate,
    PortfolioRead,
    PortfolioUpdate,
    ProgrammeCreate,
    ProgrammeRead,
    ProgrammeUpdate,
    ProjectCreate,
    ProjectFilter,
    ProjectRead,
    ProjectSaved,
    ProjectUpdate,
    StageChange,
)
from epmo.schema_kit import PageOf
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, QueryId, Version

router = APIRouter(tags=["portfolio"])
Text = Annotated[str | None, Query(max_length=200, description="Text in code or name")]
Filters = Annotated[ProjectFilter, Query()]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(page: Page[Any], items: list[Any]) -> dict[str, Any]:
    return {"items": items, "total": page.total, "limit": page.limit, "offset": page.offset}


# --- portfolios -------------------------------------------------------------------------


@router.get("/portfolios", response_model=PageOf[PortfolioRead])
def list_portfolios(session: DB, actor: CurrentActor, page: PageParams, q: Text = None,
                    department_id: QueryId = None) -> object:
    """List the portfolios you may see (the enterprise one first)."""
    query = repository.portfolio_query(policy.portfolio_scope(actor), q, department_id)
    found = paginate(session, query, page.limit, page.offset)
    return _page(found, views.describe_portfolios(session, found.items))


@router.post("/portfolios", response_model=PortfolioRead, status_code=201)
def create_portfolio(session: DB, actor: CurrentActor, body: PortfolioCreate) -> object:
    """Create a portfolio (administrators; department leads for their departments)."""
    portfolio = portfolios.create_portfolio(session, actor, body)
    return views.describe_portfolios(session, [portfolio])[0]


@router.get("/portfolios/{portfolio_id}", response_model=PortfolioRead)
def get_portfolio(session: DB, actor: CurrentActor, portfolio_id: PathId) -> object:
    """Read one portfolio."""
    portfolio = policy.access_portfolio_or_404(session, actor, portfolio_id)
    return views.describe_portfolios(session, [portfolio])[0]


@router.patch("/portfolios/{portfolio_id}", response_model=PortfolioRead)
def update_portfolio(session: DB, actor: CurrentActor, portfolio_id: PathId,
                     body: PortfolioUpdate) -> object:
    """Change a portfolio; send the version you read."""
    portfolio = portfolios.update_portfolio(session, actor, portfolio_id, body)
    return views.describe_portfolios(session, [portfolio])[0]


@router.delete("/portfolios/{portfolio_id}", status_code=204)
def delete_portfolio(session: DB, actor: CurrentActor, portfolio_id: PathId,
                     version: Version) -> Response:
    """Delete a portfolio that holds no projects; pass ``?version=``."""
    portfolios.delete_portfolio(session, actor, portfolio_id, version)
    return Response(status_code=204)


# --- programmes -------------------------------------------------------------------------


@router.get("/programs", response_model=PageOf[ProgrammeRead])
def list_programmes(session: DB, actor: CurrentActor, page: PageParams, q: Text = None,
                    department_id: QueryId = None) -> object:
    """List the programmes you may see."""
    query = repository.programme_query(policy.programme_scope(actor), q, department_id)
    found = paginate(session, query, page.limit, page.offset)
    return _page(found, views.describe_programmes(session, found.items))


@router.post("/programs", response_model=ProgrammeRead, status_code=201)
def create_programme(session: DB, actor: CurrentActor, body: ProgrammeCreate) -> object:
    """Create a programme in a department you lead."""
    programme = service.create_programme(session, actor, body)
    return views.describe_programmes(session, [programme])[0]


@router.get("/programs/{programme_id}", response_model=ProgrammeRead)
def get_programme(session: DB, actor: CurrentActor, programme_id: PathId) -> object:
    """Read one programme."""
    programme = policy.access_programme_or_404(session, actor, programme_id)
    return views.describe_programmes(session, [programme])[0]


@router.patch("/programs/{programme_id}", response_model=ProgrammeRead)
def update_programme(session: DB, actor: CurrentActor, programme_id: PathId,
                     body: ProgrammeUpdate) -> object:
    """Change a programme; send the version you read."""
    programme = service.update_programme(session, actor, programme_id, body)
    return views.describe_programmes(session, [programme])[0]


@router.delete("/programs/{programme_id}", status_code=204)
def delete_programme(session: DB, actor: CurrentActor, programme_id: PathId,
                     version: Version) -> Response:
    """Delete a programme no project belongs to; pass ``?version=``."""
    service.delete_programme(session, actor, programme_id, version)
    return Response(status_code=204)


# --- projects ---------------------------------------------------------------------------


@router.get("/projects", response_model=PageOf[ProjectRead])
def list_projects(session: DB, actor: CurrentActor, page: PageParams, filters: Filters) -> object:
    """Search the projects you may see: filter, sort and page."""
    query = repository.project_query(session, filters, policy.project_scope(actor))
    found = paginate(session, query, page.limit, page.offset)
    return _page(found, views.describe_projects(session, found.items))


@router.get("/projects/export", response_class=Response, responses={
    200: {"content": {"text/csv": {}, XLSX: {}}, "description": "The filtered project list"}})
def export_projects(session: DB, actor: CurrentActor, filters: Filters,
                    format: Literal["csv", "xlsx"] = "csv") -> Response:
    """Download every project the filters match (that you may see) as CSV or Excel."""
    query = repository.project_query(session, filters, policy.project_scope(actor))
    rows = export.rows_of(session, query)
    return export_response(format, export.COLUMNS, rows)


def export_response(format: str, columns: tuple[str, ...], rows: list[Any]) -> Response:
    """Wrap export rows as a CSV stream or an .xlsx download."""
    name = f"projects-{date.today():%Y%m%d}.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if format == "xlsx":
        return Response(export.xlsx_bytes(columns, rows), media_type=XLSX, headers=headers)
    return StreamingResponse(export.csv_chunks(columns, rows), media_type="text/csv",
                             headers=headers)


def _saved(session: DB, project: Project,
           warnings: list[FieldError] | None = None) -> ProjectSaved:
    """The project as written, with the warnings the charter let it through with."""
    read = views.describe_projects(session, [project])[0]
    found = take_warnings(session) if warnings is None else warnings
    return ProjectSaved(**read.model_dump(), warnings=[
        GovernanceWarning(field=w.field, message=w.message) for w in found],
        change_events=events.changes_caused(session))


@router.post("/projects", response_model=ProjectSaved, status_code=201)
def create_project(session: DB, actor: CurrentActor, body: ProjectCreate) -> object:
    """Register a project in a department you may write to; the charter decides whether its
    tier contract's required fields and gates block it (422) or come back as ``warnings``."""
    project = service.create_project(session, actor, body)
    return _saved(session, project)


@router.get("/projects/{project_id}", response_model=ProjectRead)
def get_project(session: DB, actor: CurrentActor, project_id: PathId) -> object:
    """Read one project with its links."""
    project = policy.access_project_or_404(session, actor, project_id)
    return views.describe_projects(session, [project])[0]


@router.patch("/projects/{project_id}", response_model=ProjectSaved)
def update_project(session: DB, actor: CurrentActor, project_id: PathId,
                   body: ProjectUpdate) -> object:
    """Change a project; send the version you read; lists replace the old ones."""
    project = service.update_project(session, actor, project_id, body)
    warnings = take_warnings(session)
    work_of(session).mark_source("api", body.change_reason or "")
    return _saved(session, project, warnings)


@router.post("/projects/{project_id}/transition", response_model=ProjectSaved)
def transition_project(session: DB, actor: CurrentActor, project_id: PathId,
                       body: StageChange) -> object:
    """Move a project to another lifecycle stage (valid transitions the charter allows)."""
    project = service.change_stage(session, actor, project_id, body)
    return _saved(session, project)


@router.delete("/projects/{project_id}", status_code=204)
def delete_project(session: DB, actor: CurrentActor, project_id: PathId,
                   version: Version) -> Response:
    """Delete a project with its milestones; pass ``?version=``."""
    service.delete_project(session, actor, project_id, version)
    return Response(status_code=204)


# --- milestones -------------------------------------------------------------------------


@router.get("/projects/{project_id}/milestones", response_model=PageOf[MilestoneRead])
def list_milestones(session: DB, actor: CurrentActor, project_id: PathId,
                    page: PageParams) -> object:
    """List a project's milestones in date order."""
    project = policy.access_project_or_404(session, actor, project_id)
    return paginate(session, repository.milestone_query(project.id), page.limit, page.offset)


@router.post("/projects/{project_id}/milestones", response_model=MilestoneRead,
             status_code=201)
def create_milestone(session: DB, actor: CurrentActor, project_id: PathId,
                     body: MilestoneCreate) -> object:
    """Add a milestone to a project you may change."""
    return service.create_milestone(session, actor, project_id, body)


@router.get("/projects/{project_id}/milestones/{milestone_id}", response_model=MilestoneRead)
def get_milestone(session: DB, actor: CurrentActor, project_id: PathId,
                  milestone_id: PathId) -> object:
    """Read one milestone."""
    return policy.access_milestone_or_404(session, actor, project_id, milestone_id)


@router.delete("/projects/{project_id}/milestones/{milestone_id}", status_code=204)
def delete_milestone(session: DB, actor: CurrentActor, project_id: PathId, milestone_id: PathId,
                     version: Version) -> Response:
    """Delete a milestone; pass ``?version=``."""
    service.delete_milestone(session, actor, project_id, milestone_id, version)
    return Response(status_code=204)


# --- role demand (issue 10, item 11) ----------------------------------------------------


@router.get("/projects/{project_id}/demand", response_model=ProjectDemandRead)
def get_project_demand(session: DB, actor: CurrentActor, project_id: PathId) -> object:
    """The project's role demand: FTE-months per role or named person per month (the heatmap
    and selection count it)."""
    project = policy.access_project_or_404(session, actor, project_id)
    return demand.read_demand(session, project)


@router.put("/projects/{project_id}/demand", response_model=ProjectDemandRead)
def set_project_demand(session: DB, actor: CurrentActor, project_id: PathId,
                       body: ProjectDemandSet) -> object:
    """Replace the project's role demand with these lines; send the project version you read."""
    project = demand.set_demand(session, actor, project_id, body)
    return demand.read_demand(session, project)

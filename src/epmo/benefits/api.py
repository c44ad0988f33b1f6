"""REST endpoints of the benefits register: benefits, their plan and actuals, the roll-ups."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response

from epmo.benefits import policy, repository, rollup, schedule, service, views
from epmo.benefits.repository import BenefitFilter
from epmo.benefits.schemas import (
    MONTH,
    ActualRead,
    ActualRecord,
    BenefitCreate,
    BenefitDetail,
    BenefitRead,
    BenefitUpdate,
    PlanReplace,
    RollupRead,
    SeriesRead,
)
from epmo.editing import paginate
from epmo.portfolio import policy as portfolio_policy
from epmo.schema_kit import PageOf
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, QueryId, Version

router = APIRouter(tags=["benefits"])
Text = Annotated[str | None, Query(max_length=200)]
KindQuery = Annotated[Literal["cash_releasing", "non_cash", "societal"] | None, Query()]
StatusQuery = Annotated[Literal["identified", "planned", "realising", "realised",
                                "cancelled"] | None, Query()]
UnitQuery = Annotated[str | None, Query(max_length=30)]
By = Annotated[Literal["department", "goal", "programme", "portfolio"], Query()]
MonthPath = Annotated[str, Path(pattern=MONTH, description="A month, e.g. 2027-03")]


def _filter(project_id: int | None = None, programme_id: int | None = None,
            department_id: int | None = None, kind: str | None = None,
            status: str | None = None, unit: str | None = None, at_risk: bool | None = None,
            q: str | None = None) -> BenefitFilter:
    return BenefitFilter(project_id, programme_id, department_id, kind, status, unit, at_risk,
                         q or None)


@router.get("/benefits", response_model=PageOf[BenefitRead])
def list_benefits(session: DB, actor: CurrentActor, page: PageParams,
                  project_id: QueryId = None, programme_id: QueryId = None,
                  department_id: QueryId = None, kind: KindQuery = None,
                  status: StatusQuery = None, unit: UnitQuery = None,
                  at_risk: bool | None = None, q: Text = None) -> object:
    """The benefits you may read, filtered, by name."""
    query = repository.benefit_query(policy.benefit_scope(actor), _filter(
        project_id, programme_id, department_id, kind, status, unit, at_risk, q))
    found = paginate(session, query, page.limit, page.offset)
    return {"items": views.describe_benefits(session, found.items, schedule.today()),
            "total": found.total, "limit": found.limit, "offset": found.offset}


@router.post("/benefits", response_model=BenefitDetail, status_code=201)
def create_benefit(session: DB, actor: CurrentActor, body: BenefitCreate) -> object:
    """Register a benefit (or dis-benefit) of a project or programme, with its plan."""
    made = service.create_benefit(session, actor, body)
    return views.describe_benefit(session, made, schedule.today())


@router.get("/benefits/rollup", response_model=RollupRead)
def get_rollup(session: DB, actor: CurrentActor, by: By = "department", unit: UnitQuery = None,
               project_id: QueryId = None, programme_id: QueryId = None,
               department_id: QueryId = None, kind: KindQuery = None,
               at_risk: bool | None = None, tree: bool = False) -> object:
    """Planned against realised by department, goal, programme or portfolio (units kept apart;
    the headline unit's sums and how many benefits are left out of them; ``tree``: each
    department with those below it)."""
    found = _filter(project_id, programme_id, department_id, kind, None, None, at_risk)
    return rollup.rollup(session, actor, by, found, unit, schedule.today(), tree)


@router.get("/benefits/series", response_model=SeriesRead)
def get_series(session: DB, actor: CurrentActor, unit: UnitQuery = None,
               project_id: QueryId = None, programme_id: QueryId = None,
               department_id: QueryId = None, kind: KindQuery = None) -> object:
    """Planned and realised per month in one unit, with running sums."""
    return rollup.series(session, actor, _filter(project_id, programme_id, department_id, kind),
                         unit, schedule.today())


@router.get("/benefits/{benefit_id}", response_model=BenefitDetail)
def get_benefit(session: DB, actor: CurrentActor, benefit_id: PathId) -> object:
    """One benefit with its months (planned, realised, running sums) and actuals."""
    benefit = policy.access_benefit_or_404(session, actor, benefit_id)
    return views.describe_benefit(session, benefit, schedule.today())


@router.patch("/benefits/{benefit_id}", response_model=BenefitDetail)
def update_benefit(session: DB, actor: CurrentActor, benefit_id: PathId,
                   body: BenefitUpdate) -> object:
    """Change a benefit (send the version read); a new anchor or offset moves its plan."""
    changed = service.update_benefit(session, actor, benefit_id, body)
    return views.describe_benefit(session, changed, schedule.today())


@router.delete("/benefits/{benefit_id}", status_code=204)
def delete_benefit(session: DB, actor: CurrentActor, benefit_id: PathId,
                   version: Version) -> Response:
    """Remove a benefit with its plan and actuals."""
    service.delete_benefit(session, actor, benefit_id, version)
    return Response(status_code=204)


@router.put("/benefits/{benefit_id}/plan", response_model=BenefitDetail)
def replace_plan(session: DB, actor: CurrentActor, benefit_id: PathId,
                 body: PlanReplace) -> object:
    """Replace the planned schedule (months not named are planned at nothing)."""
    changed = service.replace_plan(session, actor, benefit_id, body)
    return views.describe_benefit(session, changed, schedule.today())


@router.put("/benefits/{benefit_id}/actuals", response_model=ActualRead)
def record_actual(session: DB, actor: CurrentActor, benefit_id: PathId, body: ActualRecord,
                  version: Annotated[int | None, Query(
                      description="The version of the figure you replace")] = None) -> object:
    """Record what the benefit realised in a month (replaces that month's figure)."""
    return service.record_actual(session, actor, benefit_id, body, version)


@router.delete("/benefits/{benefit_id}/actuals/{period}", status_code=204)
def delete_actual(session: DB, actor: CurrentActor, benefit_id: PathId, period: MonthPath,
                  version: Version) -> Response:
    """Remove a month's recorded actual."""
    service.delete_actual(session, actor, benefit_id, period, version)
    return Response(status_code=204)


@router.get("/projects/{project_id}/benefits", response_model=list[BenefitRead])
def project_benefits(session: DB, actor: CurrentActor, project_id: PathId) -> object:
    """A project's benefits."""
    portfolio_policy.access_project_or_404(session, actor, project_id)
    query = repository.benefit_query(policy.benefit_scope(actor), _filter(project_id))
    rows = repository.list_benefits(session, query)
    return views.describe_benefits(session, rows, schedule.today())


@router.get("/programmes/{programme_id}/benefits", response_model=list[BenefitRead])
def programme_benefits(session: DB, actor: CurrentActor, programme_id: PathId) -> object:
    """A programme's own benefits (its projects' are under each project)."""
    portfolio_policy.access_programme_or_404(session, actor, programme_id)
    query = repository.benefit_query(policy.benefit_scope(actor),
                                     _filter(programme_id=programme_id))
    rows = repository.list_benefits(session, query)
    return views.describe_benefits(session, rows, schedule.today())

"""REST endpoint of the overview (/api/v1/overview)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from epmo.overview import mywork, service
from epmo.overview.schemas import MyWorkRead, OverviewRead, StatusFilter
from epmo.schema_kit import MAX_ID
from epmo.web.deps import DB, CurrentActor

router = APIRouter(tags=["overview"])

DepartmentFilter = Annotated[int | None, Query(
    ge=1, le=MAX_ID, description="Only this department's subtree")]
GoalFilter = Annotated[int | None, Query(
    ge=1, le=MAX_ID, description="Only projects serving this goal's subtree")]
ProgrammeFilter = Annotated[int | None, Query(
    ge=1, le=MAX_ID, description="Only this programme's projects")]
ProgrammeRows = Annotated[int, Query(
    ge=0, le=100_000, description="How many programmes to list, largest planned budget first")]
Status = Annotated[StatusFilter, Query(
    description="active: not closed or cancelled (the default); closed: closed or cancelled; "
                "all")]


@router.get("/overview", response_model=OverviewRead)
def get_overview(
    session: DB, actor: CurrentActor, department_id: DepartmentFilter = None,
    goal_id: GoalFilter = None, programme_id: ProgrammeFilter = None,
    programmes: ProgrammeRows = service.TOP_PROGRAMMES, status: Status = "active",
) -> object:
    """Project counts, budgets and health of the enterprise, by department, goal, stage, health.

    Every signed-in user may read it. Administrators and executives see every project; others
    see the projects and programmes they may open (``restricted``) and the rest at most as one
    anonymous total (``others``, enterprise view only, at least ``min_group`` projects).
    Money is a decimal string with two places.
    ``by_programme`` lists the ``programmes`` largest programmes (``programme_count`` says how
    many have projects in scope), then the projects in no programme.
    ``status`` picks active work (default), closed and cancelled work, or all; the active
    view totals the closed work apart (``closed``). Health is the one the charter's
    ``health_basis`` says counts; ``disagreements`` counts where reported and derived differ.
    """
    return service.get_overview(session, actor, department_id, goal_id, programme_id,
                                programmes, status)


@router.get("/my-work", response_model=MyWorkRead)
def get_my_work(session: DB, actor: CurrentActor) -> object:
    """My work: my projects with health and next milestone, status reports due (with the
    contract's deadline), the RAID items I own, what waits for my answer and the unread
    change events that hit my projects."""
    return mywork.my_work(session, actor, date.today())

"""REST endpoints of the resources domain: calendars, holidays, the heatmap, lending, queue,
what-if scenarios."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from epmo.editing import paginate
from epmo.org import policy as org_policy
from epmo.resources import (
    compare,
    heatmap,
    lending,
    people,
    policy,
    queue,
    repository,
    service,
    views,
    whatif,
)
from epmo.resources.schemas import (
    CalendarRead,
    CapacityChangeCreate,
    CapacityChangeRead,
    CapacityPeriodCreate,
    CapacityPeriodRead,
    CellDetail,
    HeatmapRead,
    HolidayCreate,
    HolidayRead,
    LendingAnswer,
    LendingCreate,
    LendingRead,
    PeopleWeeksRead,
    QueueRead,
    ScenarioComparison,
    ScenarioCreate,
    ScenarioRead,
    ScenarioUpdate,
    TimeOffCreate,
    TimeOffRead,
)
from epmo.schema_kit import MAX_ID, PageOf
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, QueryId, Version

router = APIRouter(tags=["resources"])
MonthQuery = Annotated[str | None, Query(max_length=7, description='First month, "2027-03"')]
MonthsQuery = Annotated[int, Query(description="How many months (1 to 36)")]
RoleQuery = Annotated[str | None, Query(max_length=100)]
DepartmentQuery = Annotated[int, Query(ge=1, le=MAX_ID, description="A department's id")]


def today() -> date:
    """Today, for the horizon's first month."""
    return date.today()


@router.get("/resources/heatmap", response_model=HeatmapRead)
def get_heatmap(session: DB, actor: CurrentActor, start: MonthQuery = None,
                months: MonthsQuery = heatmap.DEFAULT_MONTHS, department_id: QueryId = None,
                role: RoleQuery = None, scenario_id: QueryId = None) -> object:
    """Capacity and demand (FTE) per department, role and month, and the overloads (as a
    what-if scenario would have them, when one is named)."""
    return heatmap.heatmap(session, heatmap.horizon(start, months, today()), department_id, role,
                           scenario_id)


@router.get("/resources/heatmap/cell", response_model=CellDetail)
def get_cell(session: DB, actor: CurrentActor, department_id: DepartmentQuery,
             role: Annotated[str, Query(min_length=1, max_length=100)],
             month: Annotated[str, Query(max_length=7)]) -> object:
    """One cell drilled down: the projects asking and the lendings moving capacity."""
    return heatmap.cell(session, actor, department_id, role, month)


@router.get("/resources/people", response_model=PeopleWeeksRead)
def get_people(session: DB, actor: CurrentActor, department_id: DepartmentQuery,
               start: Annotated[date | None, Query(description="A day of the first week")] = None,
               weeks: Annotated[int, Query()] = people.DEFAULT_WEEKS) -> object:
    """Person x week for a department and those below it: hours, hours booked, role load."""
    return people.person_weeks(session, department_id, start, weeks, today())


@router.get("/resources/queue", response_model=QueueRead)
def get_queue(session: DB, actor: CurrentActor, scenario_id: QueryId = None) -> object:
    """The queued requests and proposed projects placed on the capacity left, in rank order
    (on a what-if scenario's capacity, when one is named)."""
    return queue.plan_queue(session, today(), scenario_id=scenario_id)


@router.get("/people/{person_id}/calendar", response_model=CalendarRead)
def get_calendar(session: DB, actor: CurrentActor, person_id: PathId) -> object:
    """A person's capacity periods, time off and FTE over the next twelve months (why someone
    is away only for those who keep their calendar)."""
    person = org_policy.access_person_or_404(session, actor, person_id)
    return views.calendar(session, person, today(),
                          org_policy.can_edit_person(actor, person.department_id))


@router.post("/people/{person_id}/capacity-periods", response_model=CapacityPeriodRead,
             status_code=201)
def create_period(session: DB, actor: CurrentActor, person_id: PathId,
                  body: CapacityPeriodCreate) -> object:
    """Other weekly hours for a stretch of time (part time, a secondment)."""
    return service.create_period(session, actor, person_id, body)


@router.delete("/capacity-periods/{period_id}", status_code=204)
def delete_period(session: DB, actor: CurrentActor, period_id: PathId,
                  version: Version) -> Response:
    """Remove a capacity period."""
    service.delete_period(session, actor, period_id, version)
    return Response(status_code=204)


@router.post("/people/{person_id}/time-off", response_model=TimeOffRead, status_code=201)
def create_time_off(session: DB, actor: CurrentActor, person_id: PathId,
                    body: TimeOffCreate) -> object:
    """Whole days a person is away."""
    return service.create_time_off(session, actor, person_id, body)


@router.delete("/time-off/{time_off_id}", status_code=204)
def delete_time_off(session: DB, actor: CurrentActor, time_off_id: PathId,
                    version: Version) -> Response:
    """Remove time off."""
    service.delete_time_off(session, actor, time_off_id, version)
    return Response(status_code=204)


@router.get("/holidays", response_model=list[HolidayRead])
def list_holidays(session: DB, actor: CurrentActor) -> object:
    """Every public holiday."""
    return repository.list_holidays(session)


@router.post("/holidays", response_model=HolidayRead, status_code=201)
def create_holiday(session: DB, actor: CurrentActor, body: HolidayCreate) -> object:
    """A holiday for everyone (administrators) or a department (its leads)."""
    return service.create_holiday(session, actor, body)


@router.delete("/holidays/{holiday_id}", status_code=204)
def delete_holiday(session: DB, actor: CurrentActor, holiday_id: PathId,
                   version: Version) -> Response:
    """Remove a holiday."""
    service.delete_holiday(session, actor, holiday_id, version)
    return Response(status_code=204)


@router.get("/lending", response_model=PageOf[LendingRead])
def list_lendings(session: DB, actor: CurrentActor, page: PageParams) -> object:
    """The lendings you may see: open ones first, then newest first."""
    found = paginate(session, repository.lending_query(policy.lending_scope(actor)),
                     page.limit, page.offset)
    return PageOf(items=views.describe_lendings(session, actor, found.items), total=found.total,
                  limit=found.limit, offset=found.offset)


@router.post("/lending", response_model=LendingRead, status_code=201)
def create_lending(session: DB, actor: CurrentActor, body: LendingCreate) -> object:
    """A project asks another department for a role; that department's leads are told."""
    return views.describe_lendings(session, actor,
                                   [lending.create_lending(session, actor, body)])[0]


@router.get("/lending/{lending_id}", response_model=LendingRead)
def get_lending(session: DB, actor: CurrentActor, lending_id: PathId) -> object:
    """One lending with the answers you may give it."""
    row = policy.access_lending_or_404(session, actor, lending_id)
    return views.describe_lendings(session, actor, [row])[0]


@router.post("/lending/{lending_id}/answer", response_model=LendingRead)
def answer_lending(session: DB, actor: CurrentActor, lending_id: PathId,
                   body: LendingAnswer) -> object:
    """Accept, confirm, counter, decline (the lender) or take the offer, cancel (the borrower)."""
    row = lending.answer_lending(session, actor, lending_id, body)
    return views.describe_lendings(session, actor, [row])[0]


@router.get("/resources/scenarios", response_model=list[ScenarioRead])
def list_scenarios(session: DB, actor: CurrentActor) -> object:
    """Every what-if scenario with its changes, by name."""
    return [whatif.describe(session, actor, s) for s in repository.list_scenarios(session)]


@router.post("/resources/scenarios", response_model=ScenarioRead, status_code=201)
def create_scenario(session: DB, actor: CurrentActor, body: ScenarioCreate) -> object:
    """Start a what-if scenario (administrators and department leads)."""
    return whatif.describe(session, actor, whatif.create_scenario(session, actor, body))


@router.get("/resources/scenarios/compare", response_model=list[ScenarioComparison])
def compare_scenarios(session: DB, actor: CurrentActor,
                      ids: Annotated[str, Query(max_length=100, description="e.g. 1,2")],
                      start: MonthQuery = None,
                      months: MonthsQuery = heatmap.DEFAULT_MONTHS) -> object:
    """Several scenarios side by side, each against the baseline."""
    return compare.compare_many(session, compare.parse_ids(ids),
                                heatmap.horizon(start, months, today()), today())


@router.get("/resources/scenarios/{scenario_id}", response_model=ScenarioRead)
def get_scenario(session: DB, actor: CurrentActor, scenario_id: PathId) -> object:
    """One scenario with its changes."""
    return whatif.describe(session, actor, policy.access_scenario_or_404(session, scenario_id))


@router.patch("/resources/scenarios/{scenario_id}", response_model=ScenarioRead)
def update_scenario(session: DB, actor: CurrentActor, scenario_id: PathId,
                    body: ScenarioUpdate) -> object:
    """Rename or describe a scenario again (send the version read)."""
    return whatif.describe(session, actor,
                           whatif.update_scenario(session, actor, scenario_id, body))


@router.delete("/resources/scenarios/{scenario_id}", status_code=204)
def delete_scenario(session: DB, actor: CurrentActor, scenario_id: PathId,
                    version: Version) -> Response:
    """Remove a scenario and its changes."""
    whatif.delete_scenario(session, actor, scenario_id, version)
    return Response(status_code=204)


@router.post("/resources/scenarios/{scenario_id}/changes", response_model=CapacityChangeRead,
             status_code=201)
def add_change(session: DB, actor: CurrentActor, scenario_id: PathId,
               body: CapacityChangeCreate) -> object:
    """Add a hire, a leave or a move (the leads of the department it takes from or adds to)."""
    return whatif.describe_change(session, actor,
                                  whatif.add_change(session, actor, scenario_id, body))


@router.delete("/resources/capacity-changes/{change_id}", status_code=204)
def delete_change(session: DB, actor: CurrentActor, change_id: PathId,
                  version: Version) -> Response:
    """Remove a change from its scenario."""
    whatif.delete_change(session, actor, change_id, version)
    return Response(status_code=204)


@router.get("/resources/scenarios/{scenario_id}/compare", response_model=ScenarioComparison)
def compare_scenario(session: DB, actor: CurrentActor, scenario_id: PathId,
                     start: MonthQuery = None,
                     months: MonthsQuery = heatmap.DEFAULT_MONTHS) -> object:
    """The baseline against the scenario: shortage and overloaded months per department and
    role, the totals, and the queue's earliest starts that move."""
    return compare.compare(session, scenario_id, heatmap.horizon(start, months, today()),
                           today())

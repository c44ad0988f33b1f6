"""REST endpoints of the network domain: dependencies, change events, impact, network views."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from epmo.editing import paginate
from epmo.errors import FieldError, Invalid, NotFound
from epmo.network import events, measures, policy, repository, roadmap, service, views
from epmo.network.repository import DependencyFilter
from epmo.network.schemas import (
    Acknowledge,
    ChainRead,
    ChangeEventRead,
    DependencyAnswer,
    DependencyCreate,
    DependencyRead,
    GraphRead,
    HealthRead,
    ImpactRequest,
    ImpactResult,
    MatrixCell,
    MilestoneChanged,
    Respond,
    RoadmapRead,
)
from epmo.portfolio import policy as portfolio_policy
from epmo.portfolio import service as portfolio_service
from epmo.portfolio.schemas import MilestoneUpdate
from epmo.schema_kit import PageOf
from epmo.strategy import repository as strategy_repository
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, QueryId, Version

router = APIRouter(tags=["network"])
Status = Annotated[Literal["proposed", "accepted", "declined"] | None, Query()]
EventStatus = Annotated[Literal["open", "closed"] | None, Query()]


def _page(found: Any, items: list[Any]) -> dict[str, Any]:
    return {"items": items, "total": found.total, "limit": found.limit, "offset": found.offset}


# --- writes that move dates -------------------------------------------------------------


@router.patch("/projects/{project_id}/milestones/{milestone_id}", tags=["portfolio"],
              response_model=MilestoneChanged)
def update_milestone(session: DB, actor: CurrentActor, project_id: PathId, milestone_id: PathId,
                     body: MilestoneUpdate) -> object:
    """Change a milestone; send the version you read. A forecast move returns the change
    event it recorded, with the impact downstream you may see (``change_reason`` says why)."""
    milestone = portfolio_service.update_milestone(session, actor, project_id, milestone_id,
                                                   body)
    found = events.settle_changes(session, "api", body.change_reason or "")
    event = views.describe_event(session, actor, found[0]) if found else None
    return MilestoneChanged.model_validate(milestone).model_copy(update={"change_event": event})


# --- dependencies -----------------------------------------------------------------------


@router.get("/dependencies", response_model=PageOf[DependencyRead])
def list_dependencies(session: DB, actor: CurrentActor, page: PageParams,
                      department_id: QueryId = None, project_id: QueryId = None,
                      status: Status = None, cross_department: bool | None = None) -> object:
    """Dependencies with an end in a project you may read."""
    filters = DependencyFilter(department_id, project_id, status, cross_department)
    query = repository.dependency_query(policy.readable_projects(actor), filters)
    found = paginate(session, query, page.limit, page.offset)
    return _page(found, views.describe_dependencies(session, found.items))


@router.post("/dependencies", response_model=DependencyRead, status_code=201)
def create_dependency(session: DB, actor: CurrentActor, body: DependencyCreate) -> object:
    """Propose a dependency from a predecessor end to a successor end."""
    dependency = service.create_dependency(session, actor, body)
    return views.describe_dependencies(session, [dependency])[0]


@router.get("/dependencies/{dependency_id}", response_model=DependencyRead)
def get_dependency(session: DB, actor: CurrentActor, dependency_id: PathId) -> object:
    """Read one dependency."""
    dependency = policy.access_dependency_or_404(session, actor, dependency_id)
    return views.describe_dependencies(session, [dependency])[0]


@router.delete("/dependencies/{dependency_id}", status_code=204)
def delete_dependency(session: DB, actor: CurrentActor, dependency_id: PathId,
                      version: Version) -> Response:
    """Remove a dependency; pass ``?version=``."""
    service.delete_dependency(session, actor, dependency_id, version)
    return Response(status_code=204)


@router.post("/dependencies/{dependency_id}/accept", response_model=DependencyRead)
def accept_dependency(session: DB, actor: CurrentActor, dependency_id: PathId,
                      body: DependencyAnswer) -> object:
    """Accept a dependency the other side proposed."""
    dependency = service.accept_dependency(session, actor, dependency_id, body)
    return views.describe_dependencies(session, [dependency])[0]


@router.post("/dependencies/{dependency_id}/decline", response_model=DependencyRead)
def decline_dependency(session: DB, actor: CurrentActor, dependency_id: PathId,
                       body: DependencyAnswer) -> object:
    """Decline a dependency the other side proposed (a comment is required)."""
    dependency = service.decline_dependency(session, actor, dependency_id, body)
    return views.describe_dependencies(session, [dependency])[0]


# --- change events ----------------------------------------------------------------------


@router.get("/change-events", response_model=PageOf[ChangeEventRead])
def list_change_events(session: DB, actor: CurrentActor, page: PageParams,
                       department_id: QueryId = None, status: EventStatus = None,
                       since: datetime | None = None) -> object:
    """Change events about, or hitting, projects you may read (without their impacts)."""
    query = repository.event_query(policy.readable_projects(actor), department_id, status, since)
    found = paginate(session, query, page.limit, page.offset)
    return _page(found, [views.describe_event(session, actor, e, detail=False)
                         for e in found.items])


@router.get("/change-events/{event_id}", response_model=ChangeEventRead)
def get_change_event(session: DB, actor: CurrentActor, event_id: PathId) -> object:
    """A change event with the impacts you may see and the departments' responses."""
    event = policy.access_event_or_404(session, actor, event_id)
    return views.describe_event(session, actor, event)


@router.post("/change-events/{event_id}/acknowledge", response_model=ChangeEventRead)
def acknowledge_change_event(session: DB, actor: CurrentActor, event_id: PathId,
                             body: Acknowledge) -> object:
    """Acknowledge a change for your department."""
    event = service.acknowledge_event(session, actor, event_id, body)
    return views.describe_event(session, actor, event)


@router.post("/change-events/{event_id}/respond", response_model=ChangeEventRead)
def respond_to_change_event(session: DB, actor: CurrentActor, event_id: PathId,
                            body: Respond) -> object:
    """Answer a change: absorb, replan or escalate, with a comment."""
    event = service.respond_to_event(session, actor, event_id, body)
    return views.describe_event(session, actor, event)


# --- impact and views -------------------------------------------------------------------


@router.post("/impact", response_model=ImpactResult)
def impact(session: DB, actor: CurrentActor, body: ImpactRequest) -> object:
    """What-if: the impact of moving milestones; nothing is saved."""
    return views.simulate(session, actor, body.changes)


@router.get("/roadmap", response_model=RoadmapRead)
def get_roadmap(session: DB, actor: CurrentActor, department_id: QueryId = None,
                programme_id: QueryId = None, goal_id: QueryId = None) -> object:
    """Active projects (at most 150) and their milestones on one timeline, the dependencies
    between them, slipped milestones marked with the days and the cause."""
    return roadmap.roadmap(session, actor, department_id, programme_id, goal_id)


@router.get("/network", response_model=GraphRead)
def network(session: DB, actor: CurrentActor, department_id: QueryId = None,
            programme_id: QueryId = None, goal_id: QueryId = None) -> object:
    """Nodes and edges of the network for cytoscape (other departments' private nodes show
    only as their department)."""
    return measures.graph(session, actor, department_id, programme_id, goal_id)


@router.get("/network/matrix", response_model=list[MatrixCell])
def network_matrix(session: DB, actor: CurrentActor) -> object:
    """Department x department: dependencies, proposed vs accepted, slip, acknowledgement."""
    return measures.matrix(session)


@router.get("/network/health", response_model=HealthRead)
def network_health(session: DB, actor: CurrentActor) -> object:
    """Network health measures for the EPMO dashboard."""
    return measures.health(session)


@router.get("/network/critical-chain", response_model=ChainRead)
def network_critical_chain(session: DB, actor: CurrentActor, programme_id: QueryId = None,
                           goal_id: QueryId = None) -> object:
    """The longest path through a programme's or a goal's part of the network, with floats."""
    return measures.chain(session, actor, chain_projects(session, actor, programme_id, goal_id))


def chain_projects(session: DB, actor: CurrentActor, programme_id: int | None,
                   goal_id: int | None) -> list[int]:
    """Projects of the programme or goal named (exactly one)."""
    if (programme_id is None) == (goal_id is None):
        raise Invalid("Give exactly one of programme_id and goal_id",
                      [FieldError("programme_id", "give exactly one of programme_id, goal_id")])
    if programme_id is not None:
        programme = portfolio_policy.access_programme_or_404(session, actor, programme_id)
        return repository.projects_of_programme(session, programme.id)
    assert goal_id is not None
    if strategy_repository.get_goal(session, goal_id) is None:
        raise NotFound(f"Goal {goal_id} not found")
    return repository.projects_of_goal(session, goal_id)

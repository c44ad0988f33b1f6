"""REST endpoints of the selection domain (/api/v1/scenarios)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from epmo.editing import paginate
from epmo.schema_kit import MAX_ID, PageOf
from epmo.selection import capacity, outcomes, policy, repository, service
from epmo.selection.schemas import (
    CandidateFlags,
    CandidatesAdd,
    CandidatesRemove,
    CommitOutcome,
    Comparison,
    FrontierPointRead,
    ScenarioCapacity,
    ScenarioCommit,
    ScenarioCreate,
    ScenarioRead,
    ScenarioSummary,
    ScenarioUpdate,
)
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, Version

router = APIRouter(tags=["selection"])
_read = outcomes.scenario_read
TimeLimit = Annotated[float | None, Query(ge=0.01, le=3600,
                                          description="Seconds (default: the scenario's)")]


@router.get("/scenarios", response_model=PageOf[ScenarioSummary])
def list_scenarios(session: DB, actor: CurrentActor, page: PageParams) -> object:
    """List scenarios, newest first (EPMO administrators and executives)."""
    policy.require_read_scenarios(actor)
    found = paginate(session, repository.scenario_query(), page.limit, page.offset)
    items = [ScenarioSummary.model_validate(s) for s in found.items]
    return PageOf[ScenarioSummary](items=items, total=found.total, limit=found.limit,
                                   offset=found.offset)


@router.post("/scenarios", response_model=ScenarioRead, status_code=201)
def create_scenario(session: DB, actor: CurrentActor, body: ScenarioCreate) -> object:
    """Create a scenario: budgets per fiscal year, capacity overrides, rules, objective."""
    return _read(session, service.create_scenario(session, actor, body))


@router.get("/scenarios/compare", response_model=Comparison)
def compare_scenarios(
    session: DB, actor: CurrentActor,
    ids: Annotated[list[Annotated[int, Query(ge=1, le=MAX_ID)]], Query(
        description="Two to six scenario ids: ?ids=1&ids=2")],
) -> object:
    """Scenarios side by side: value, cost per year, capacity use, the items that differ."""
    return outcomes.compare(session, actor, ids)


@router.get("/scenarios/{scenario_id}", response_model=ScenarioRead)
def get_scenario(session: DB, actor: CurrentActor, scenario_id: PathId) -> object:
    """One scenario with its candidates, last result and frontier."""
    return _read(session, policy.access_scenario_or_404(session, actor, scenario_id))


@router.get("/scenarios/{scenario_id}/capacity", response_model=ScenarioCapacity)
def get_capacity(session: DB, actor: CurrentActor, scenario_id: PathId) -> object:
    """Per role and quarter of the scenario's years: supply from people's hours, demand of
    running projects and approved requests (committed), override and free capacity; and the
    running projects that carry no role demand."""
    scenario = policy.access_scenario_or_404(session, actor, scenario_id)
    return capacity.scenario_capacity(session, scenario)


@router.patch("/scenarios/{scenario_id}", response_model=ScenarioRead)
def update_scenario(session: DB, actor: CurrentActor, scenario_id: PathId,
                    body: ScenarioUpdate) -> object:
    """Change limits or rules; send the version you read. The result is cleared."""
    return _read(session, service.update_scenario(session, actor, scenario_id, body))


@router.delete("/scenarios/{scenario_id}", status_code=204)
def delete_scenario(session: DB, actor: CurrentActor, scenario_id: PathId,
                    version: Version) -> Response:
    """Delete a scenario that is not committed; pass ``?version=``."""
    service.delete_scenario(session, actor, scenario_id, version)
    return Response(status_code=204)


@router.post("/scenarios/{scenario_id}/candidates", response_model=ScenarioRead)
def add_candidates(session: DB, actor: CurrentActor, scenario_id: PathId,
                   body: CandidatesAdd) -> object:
    """Add requests (not approved or rejected) and open projects as candidates."""
    return _read(session, service.add_candidates(session, actor, scenario_id, body))


@router.delete("/scenarios/{scenario_id}/candidates", response_model=ScenarioRead)
def remove_candidates(session: DB, actor: CurrentActor, scenario_id: PathId,
                      body: CandidatesRemove) -> object:
    """Take candidates out of the scenario."""
    return _read(session, service.remove_candidates(session, actor, scenario_id, body))


@router.patch("/scenarios/{scenario_id}/candidates", response_model=ScenarioRead)
def flag_candidate(session: DB, actor: CurrentActor, scenario_id: PathId,
                   body: CandidateFlags) -> object:
    """Set a candidate's mandatory or excluded flag or its value override."""
    return _read(session, service.flag_candidate(session, actor, scenario_id, body))


@router.post("/scenarios/{scenario_id}/solve", response_model=ScenarioRead)
def solve_scenario(session: DB, actor: CurrentActor, scenario_id: PathId,
                   time_limit: TimeLimit = None) -> object:
    """Solve: selected set, value, use of each line, binding lines, a reason per left-out item.

    An infeasible scenario answers 422 with ``conflicts``: which constraints conflict.
    """
    return _read(session, service.solve_scenario(session, actor, scenario_id,
                                                         time_limit))


@router.get("/scenarios/{scenario_id}/frontier", response_model=list[FrontierPointRead])
def get_frontier(session: DB, actor: CurrentActor, scenario_id: PathId) -> object:
    """The stored efficient frontier (empty until computed)."""
    return policy.access_scenario_or_404(session, actor, scenario_id).frontier or []


@router.post("/scenarios/{scenario_id}/frontier", response_model=list[FrontierPointRead])
def compute_frontier(session: DB, actor: CurrentActor, scenario_id: PathId) -> object:
    """Compute and store the frontier: best value at 20 budget levels, each with its items."""
    return service.compute_frontier(session, actor, scenario_id).frontier


@router.post("/scenarios/{scenario_id}/commit", response_model=CommitOutcome)
def commit_scenario(session: DB, actor: CurrentActor, scenario_id: PathId,
                    body: ScenarioCommit) -> object:
    """Approve the selected requests (creating projects); the others become not_yet."""
    return outcomes.commit_scenario(session, actor, scenario_id, body)

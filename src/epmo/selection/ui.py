"""Pages of the selection domain: scenario list, new, detail (solve, frontier, commit), compare."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from epmo.auth.policy import Actor
from epmo.errors import EpmoError, FieldError, Invalid
from epmo.schema_kit import MAX_ID
from epmo.selection import capacity, forms, outcomes, policy, repository, service
from epmo.selection.models import Scenario
from epmo.selection.schemas import (
    CandidateFlags,
    CandidatesAdd,
    CandidatesRemove,
    ScenarioCommit,
    ScenarioCreate,
    ScenarioUpdate,
)
from epmo.web.deps import DB, CurrentActor, PathId, SubmittedForm, check_csrf_form
from epmo.web.pages import (
    flash_redirect,
    form_action,
    form_values,
    parse_form,
    render,
    with_ints,
)

router = APIRouter(include_in_schema=False)
CSRF = Depends(check_csrf_form)
OBJECTIVES = [("score", "combined score"), ("score_x_benefit", "score x benefit value / 100"),
              ("benefit", "benefit value")]
Ids = Annotated[list[Annotated[int, Query(ge=1, le=MAX_ID)]], Query()]


def _version(values: dict[str, Any]) -> int:
    version = with_ints(values, "version").get("version")
    if not isinstance(version, int):
        raise Invalid("The form lost its version; reload it", [FieldError("version", "required")])
    return version


def _codes(session: Session, scenario: Scenario) -> dict[int, str]:
    named = outcomes.labels(session, repository.candidates(session, scenario.id))
    return {cid: code for cid, (_, code, _) in named.items()}


def _show(request: Request, session: Session, actor: Actor, scenario: Scenario,
          error: EpmoError | None = None, form: dict[str, Any] | None = None,
          typed: dict[str, Any] | None = None) -> Response:
    read = outcomes.scenario_read(session, scenario)
    codes = {c.id: c.code for c in read.candidates}
    return render(
        request, "selection/scenario.html", actor, status=error.status if error else 200,
        scenario=read, form=form or forms.as_text(scenario, codes), error=error,
        can_edit=policy.can_edit_scenarios(actor) and scenario.status != "committed",
        objectives=OBJECTIVES, codes=codes, frontier_points=scenario.frontier or [],
        frontier_current=_on_frontier(scenario),
        open_requests=repository.open_requests(session),
        conflicts=(error.extra.get("conflicts", []) if error else []),
        capacity=capacity.scenario_capacity(session, scenario), typed=typed or {},
    )


def _on_frontier(scenario: Scenario) -> dict[str, Any] | None:
    """The scenario's own solve as a point on its frontier: its full budget and its value."""
    if not outcomes.is_solved(scenario):
        return None
    return {"name": scenario.name, "value": float(scenario.result.get("value") or 0),
            "total_budget": float(sum(float(v) for v in scenario.budgets.values()))}


def _act(request: Request, submitted: FormData, session: Session, actor: Actor, scenario_id: int,
               write: Callable[[dict[str, Any]], str]) -> Response:
    """Run one write from a form; re-show the scenario with what is wrong on failure."""
    scenario = policy.access_scenario_or_404(session, actor, scenario_id)
    policy.require_edit_scenarios(actor)
    values = form_values(submitted)
    return form_action(
        session, lambda: write(values),
        lambda exc: _show(request, session, actor, scenario, exc, typed=values),
        lambda message: flash_redirect(request, message, f"/scenarios/{scenario_id}"))


@router.get("/scenarios")
def scenarios_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Every scenario, with boxes to pick some for comparison."""
    policy.require_read_scenarios(actor)
    found = repository.list_scenarios(session)
    return render(request, "selection/scenarios.html", actor, scenarios=found,
                  can_edit=policy.can_edit_scenarios(actor))


@router.get("/scenarios/new")
def new_scenario_page(request: Request, actor: CurrentActor) -> Response:
    """The form for a new scenario."""
    policy.require_edit_scenarios(actor)
    return render(request, "selection/scenario_new.html", actor, form={"objective": "score",
                  "time_limit": "10"}, objectives=OBJECTIVES, error=None)


@router.post("/scenarios/new", dependencies=[CSRF])
def create_scenario(request: Request, submitted: SubmittedForm,
                    session: DB, actor: CurrentActor) -> Response:
    """Create the scenario, or show the form again with what is wrong."""
    policy.require_edit_scenarios(actor)
    values = form_values(submitted)
    return form_action(
        session, lambda: service.create_scenario(session, actor, parse_form(
            ScenarioCreate, forms.settings(values, lambda code: None))),
        lambda exc: render(request, "selection/scenario_new.html", actor, status=exc.status,
                           form=values, objectives=OBJECTIVES, error=exc),
        lambda made: flash_redirect(request, f"Scenario {made.name} created; add its candidates",
                                    f"/scenarios/{made.id}"))


@router.get("/scenarios/compare")
def compare_page(request: Request, session: DB, actor: CurrentActor, ids: Ids) -> Response:
    """Scenarios side by side."""
    comparison = outcomes.compare(session, actor, ids)
    return render(request, "selection/compare.html", actor, comparison=comparison)


@router.get("/scenarios/{scenario_id}")
def scenario_page(request: Request, session: DB, actor: CurrentActor,
                  scenario_id: PathId) -> Response:
    """A scenario: candidates and flags, settings, result with reasons, frontier, commit."""
    return _show(request, session, actor,
                 policy.access_scenario_or_404(session, actor, scenario_id))


@router.post("/scenarios/{scenario_id}/settings", dependencies=[CSRF])
def save_settings(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                        scenario_id: PathId) -> Response:
    """Save budgets, capacity overrides and rules."""
    scenario = policy.access_scenario_or_404(session, actor, scenario_id)
    values = form_values(submitted)

    def write() -> None:
        codes = {code: cid for cid, code in _codes(session, scenario).items()}
        fields = forms.settings(values, codes.get) | {"version": _version(values)}
        service.update_scenario(session, actor, scenario_id, parse_form(ScenarioUpdate, fields))
    return form_action(
        session, write, lambda exc: _show(request, session, actor, scenario, exc, values),
        lambda _: flash_redirect(request, "Settings saved; solve again",
                                 f"/scenarios/{scenario_id}"))


@router.post("/scenarios/{scenario_id}/candidates", dependencies=[CSRF])
def add_candidates(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                         scenario_id: PathId) -> Response:
    """Add requests or projects by code (comma or space separated)."""
    def write(values: dict[str, Any]) -> str:
        codes = (values.get("codes") or "").replace(",", " ").split()
        codes += [str(c) for c in values.get("request_ids") or []]
        data = _by_code(session, codes) | {"version": _version(values)}
        service.add_candidates(session, actor, scenario_id, parse_form(CandidatesAdd, data))
        return f"{len(codes)} candidate(s) added"
    return _act(request, submitted, session, actor, scenario_id, write)


def _by_code(session: Session, codes: list[str]) -> dict[str, Any]:
    requests, projects, errors = [], [], []
    for code in dict.fromkeys(codes):
        request_id = repository.request_id_by_code(session, code)
        project_id = None if request_id else repository.project_id_by_code(session, code)
        if request_id:
            requests.append(request_id)
        elif project_id:
            projects.append(project_id)
        else:
            errors.append(FieldError("codes", f"no request or project {code}"))
    if errors or not codes:
        raise Invalid("Unknown codes", errors or [FieldError("codes", "give at least one code")])
    return {"request_ids": requests, "project_ids": projects}


@router.post("/scenarios/{scenario_id}/candidates/{candidate_id}", dependencies=[CSRF])
def flag_candidate(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                         scenario_id: PathId, candidate_id: PathId) -> Response:
    """Save a candidate's flags, or remove it (button ``remove``)."""
    def write(values: dict[str, Any]) -> str:
        if values.get("remove"):
            data = {"version": _version(values), "candidate_ids": [candidate_id]}
            service.remove_candidates(session, actor, scenario_id,
                                      parse_form(CandidatesRemove, data))
            return "Candidate removed"
        override = values.get("value_override")
        flags = {"version": _version(values), "candidate_id": candidate_id,
                 "mandatory": bool(values.get("mandatory")),
                 "excluded": bool(values.get("excluded"))}
        flags |= {"value_override": override} if override else {"clear_value_override": True}
        service.flag_candidate(session, actor, scenario_id, parse_form(CandidateFlags, flags))
        return "Candidate saved"
    return _act(request, submitted, session, actor, scenario_id, write)


@router.post("/scenarios/{scenario_id}/solve", dependencies=[CSRF])
def solve(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                scenario_id: PathId) -> Response:
    """Solve the scenario; an infeasible one is shown with its conflicts."""
    def write(values: dict[str, Any]) -> str:
        found = service.solve_scenario(session, actor, scenario_id)
        return f"Solved: {found.result['status']}, value {found.result['value']:,.2f}"
    return _act(request, submitted, session, actor, scenario_id, write)


@router.post("/scenarios/{scenario_id}/frontier", dependencies=[CSRF])
def frontier(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                   scenario_id: PathId) -> Response:
    """Compute the efficient frontier."""
    def write(values: dict[str, Any]) -> str:
        service.compute_frontier(session, actor, scenario_id)
        return "Frontier computed"
    return _act(request, submitted, session, actor, scenario_id, write)


@router.post("/scenarios/{scenario_id}/commit", dependencies=[CSRF])
def commit(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                 scenario_id: PathId) -> Response:
    """Commit: approve the selected requests, not_yet the others."""
    def write(values: dict[str, Any]) -> str:
        data = parse_form(ScenarioCommit, {"version": _version(values)})
        done = outcomes.commit_scenario(session, actor, scenario_id, data)
        return (f"Committed: {len(done.approved)} request(s) approved, "
                f"{len(done.not_yet)} not yet")
    return _act(request, submitted, session, actor, scenario_id, write)


@router.post("/scenarios/{scenario_id}/delete", dependencies=[CSRF])
def delete(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                 scenario_id: PathId) -> Response:
    """Delete the scenario."""
    scenario = policy.access_scenario_or_404(session, actor, scenario_id)
    values = form_values(submitted)
    return form_action(
        session, lambda: service.delete_scenario(session, actor, scenario_id, _version(values)),
        lambda exc: _show(request, session, actor, scenario, exc),
        lambda _: flash_redirect(request, "Scenario deleted", "/scenarios"))

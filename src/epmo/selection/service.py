"""Named writes of the selection domain: scenarios, candidates, solve and frontier."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.db import utcnow
from epmo.editing import apply, changes_of, check_version, ensure_unique, require
from epmo.engines.optimizer import Problem, ProblemError, Solution, frontier, solve
from epmo.engines.optimizer.explain import conflicts
from epmo.errors import Conflict, FieldError, Invalid
from epmo.intake.models import PIPELINE
from epmo.scoring.models import ScoringModel
from epmo.selection import capacity, mapping, policy, repository
from epmo.selection.models import Scenario, ScenarioCandidate
from epmo.selection.schemas import (
    NULLABLE,
    CandidateFlags,
    CandidatesAdd,
    CandidatesRemove,
    ScenarioCreate,
    ScenarioUpdate,
)

FRONTIER_POINTS = 20
OPEN_STAGES = (*PIPELINE, "not_yet", "deferred")  # requests a commit can still decide
CLOSED = repository.CLOSED_STAGES
ITEM = re.compile(r"\bitems? (\d+)\b")
ITEM_LIST = re.compile(r"\[(\d+(?:, \d+)*)\]")


# --- scenarios ------------------------------------------------------------------------------


def create_scenario(session: Session, actor: Actor, data: ScenarioCreate) -> Scenario:
    """Create a scenario with its limits and rules (rules may only name its candidates)."""
    policy.require_edit_scenarios(actor)
    ensure_unique(session, Scenario.name, data.name, field="name")
    require(session, ScoringModel, data.scoring_model_id, "scoring_model_id")
    values = data.model_dump()
    _check_rules(session, values, set())
    scenario = Scenario(**values, created_by_id=actor.id or None)
    session.add(scenario)
    session.flush()
    return scenario


def update_scenario(session: Session, actor: Actor, scenario_id: int,
                    data: ScenarioUpdate) -> Scenario:
    """Change a scenario's limits or rules; its result is cleared (solve again)."""
    scenario = _editable(session, actor, scenario_id, data.version)
    changes = changes_of(data, NULLABLE)
    if "name" in changes:
        ensure_unique(session, Scenario.name, changes["name"], exclude_id=scenario.id,
                      field="name")
    require(session, ScoringModel, changes.get("scoring_model_id"), "scoring_model_id")
    if "balance" in changes:
        changes["balance"] = [dict(rule) for rule in changes["balance"]]
    merged = _rules_of(scenario) | changes
    _check_rules(session, merged, {c.id for c in repository.candidates(session, scenario.id)})
    apply(scenario, changes)
    _reset(session, scenario)
    return scenario


def delete_scenario(session: Session, actor: Actor, scenario_id: int, version: int) -> None:
    """Delete a scenario and its candidates (a committed one stays as the record)."""
    scenario = _editable(session, actor, scenario_id, version)
    session.delete(scenario)
    session.flush()


def _editable(session: Session, actor: Actor, scenario_id: int, version: int) -> Scenario:
    scenario = policy.access_scenario_or_404(session, actor, scenario_id)
    policy.require_edit_scenarios(actor)
    check_version(scenario, version)
    if scenario.status == "committed":
        raise Conflict("The scenario is committed and cannot change; copy it into a new one",
                       [FieldError("status", "committed")])
    return scenario


def _rules_of(scenario: Scenario) -> dict[str, Any]:
    return {"budgets": scenario.budgets, "capacity_overrides": scenario.capacity_overrides,
            "exclusive": scenario.exclusive, "requires": scenario.requires}


def _check_rules(session: Session, values: Mapping[str, Any], ids: set[int]) -> None:
    """Groups and pairs must name candidates of this scenario; overrides known roles."""
    errors = [FieldError(f"exclusive.{k}", f"candidate {i} is not in this scenario")
              for k, group in enumerate(values["exclusive"]) for i in group if i not in ids]
    errors += [FieldError(f"requires.{k}", f"candidate {i} is not in this scenario")
               for k, pair in enumerate(values["requires"]) for i in pair if i not in ids]
    errors += [FieldError(f"requires.{k}", "a candidate cannot require itself")
               for k, pair in enumerate(values["requires"]) if pair[0] == pair[1]]
    if errors:
        raise Invalid("Rules may only name candidates of this scenario", errors)
    capacity.check_overrides(session, values["capacity_overrides"], set(values["budgets"]))


def _reset(session: Session, scenario: Scenario) -> None:
    """Any change makes the last result stale: back to draft, outcomes cleared."""
    scenario.status, scenario.result, scenario.frontier, scenario.solved_at = (
        "draft", None, None, None)
    scenario.updated_at = utcnow()  # always a new version: the candidates changed
    for candidate in repository.candidates(session, scenario.id):
        candidate.selected, candidate.reason = None, ""
    session.flush()


# --- candidates -----------------------------------------------------------------------------


def add_candidates(session: Session, actor: Actor, scenario_id: int,
                   data: CandidatesAdd) -> Scenario:
    """Add requests not yet approved and open projects (a request's mandatory flag carries)."""
    scenario = _editable(session, actor, scenario_id, data.version)
    present = repository.candidates(session, scenario.id)
    errors = _request_errors(session, data.request_ids, {c.request_id for c in present})
    errors += _project_errors(session, data.project_ids, {c.project_id for c in present})
    if errors:
        raise Invalid("Some candidates cannot be added", errors)
    found = repository.requests(session, data.request_ids)
    for request_id in dict.fromkeys(data.request_ids):
        session.add(ScenarioCandidate(scenario_id=scenario.id, request_id=request_id,
                                      mandatory=found[request_id].mandatory))
    for project_id in dict.fromkeys(data.project_ids):
        session.add(ScenarioCandidate(scenario_id=scenario.id, project_id=project_id))
    _reset(session, scenario)
    return scenario


def _request_errors(session: Session, ids: Iterable[int], present: set[int | None]) -> list[
        FieldError]:
    wanted = list(ids)
    found = repository.requests(session, wanted)
    errors = []
    for k, request_id in enumerate(wanted):
        request, where = found.get(request_id), f"request_ids.{k}"
        if request is None:
            errors.append(FieldError(where, f"no request {request_id}"))
        elif request.stage not in OPEN_STAGES:
            errors.append(FieldError(where, f"{request.code} is {request.stage}; only requests "
                                            "not yet approved or rejected can be candidates"))
        elif request_id in present:
            errors.append(FieldError(where, f"{request.code} is already a candidate"))
    return errors


def _project_errors(session: Session, ids: Iterable[int], present: set[int | None]) -> list[
        FieldError]:
    wanted = list(ids)
    found = repository.projects(session, wanted)
    errors = []
    for k, project_id in enumerate(wanted):
        project, where = found.get(project_id), f"project_ids.{k}"
        if project is None:
            errors.append(FieldError(where, f"no project {project_id}"))
        elif project.stage in CLOSED:
            errors.append(FieldError(where, f"{project.code} is {project.stage}"))
        elif project_id in present:
            errors.append(FieldError(where, f"{project.code} is already a candidate"))
    return errors


def remove_candidates(session: Session, actor: Actor, scenario_id: int,
                      data: CandidatesRemove) -> Scenario:
    """Take candidates out; a candidate a rule still names must leave the rule first."""
    scenario = _editable(session, actor, scenario_id, data.version)
    present = {c.id: c for c in repository.candidates(session, scenario.id)}
    errors = [FieldError(f"candidate_ids.{k}", f"candidate {i} is not in this scenario")
              for k, i in enumerate(data.candidate_ids) if i not in present]
    used = {i for group in scenario.exclusive for i in group}
    used |= {i for pair in scenario.requires for i in pair}
    errors += [FieldError(f"candidate_ids.{k}", f"candidate {i} is named in the scenario's "
                          "exclusive groups or requires pairs; change them first")
               for k, i in enumerate(data.candidate_ids) if i in used]
    if errors:
        raise Invalid("Some candidates cannot be removed", errors)
    for candidate_id in set(data.candidate_ids):
        session.delete(present[candidate_id])
    session.flush()
    _reset(session, scenario)
    return scenario


def flag_candidate(session: Session, actor: Actor, scenario_id: int,
                   data: CandidateFlags) -> Scenario:
    """Set a candidate's mandatory / excluded flags or its value override."""
    scenario = _editable(session, actor, scenario_id, data.version)
    candidate = next((c for c in repository.candidates(session, scenario.id)
                      if c.id == data.candidate_id), None)
    if candidate is None:
        raise Invalid("No such candidate", [FieldError("candidate_id", "not in this scenario")])
    changes = data.model_dump(exclude_unset=True,
                              exclude={"version", "candidate_id", "clear_value_override"})
    if data.clear_value_override:
        changes["value_override"] = None
    apply(candidate, {k: v for k, v in changes.items() if v is not None or k == "value_override"})
    _reset(session, scenario)
    return scenario


# --- solve and frontier ---------------------------------------------------------------------


def prepare(session: Session, actor: Actor, scenario_id: int) -> tuple[Scenario,
                                                                       mapping.Mapped]:
    """The scenario (for a writer) mapped to the optimiser's problem, or why it cannot be."""
    scenario = policy.access_scenario_or_404(session, actor, scenario_id)
    policy.require_edit_scenarios(actor)
    found = repository.candidates(session, scenario.id)
    errors = [] if found else [FieldError("candidates", "add at least one candidate")]
    if not scenario.budgets:
        errors.append(FieldError("budgets", "give the budget of at least one fiscal year"))
    if errors:
        raise Invalid("The scenario is not ready to solve", errors)
    return scenario, mapping.build(session, scenario, found)


def solve_scenario(session: Session, actor: Actor, scenario_id: int,
                   time_limit: float | None = None) -> Scenario:
    """Solve the scenario and store the result; an infeasible one says what conflicts."""
    scenario, mapped = prepare(session, actor, scenario_id)
    if scenario.status == "committed":
        raise Conflict("The scenario is committed", [FieldError("status", "committed")])
    problem = mapped.problem
    if time_limit is not None:
        problem = replace(problem, time_limit=time_limit)
    solution = _solve(mapped, problem)
    _store(session, scenario, mapped, solution)
    return scenario


def _solve(mapped: mapping.Mapped, problem: Problem) -> Solution:
    try:
        solution = solve(problem)
    except ProblemError as exc:
        raise Invalid("The scenario's figures cannot be solved as they are", [
            FieldError(mapping.engine_path(p.path, mapped), p.message)
            for p in exc.problems]) from None
    if solution.status in ("infeasible", "unknown"):
        _infeasible(mapped, solution.status, solution.conflicts)
    return solution


def _infeasible(mapped: mapping.Mapped, status: str, found: Iterable[str]) -> None:
    said = [in_words(text, mapped.codes) for text in found]
    verb = "is infeasible" if status == "infeasible" else "found no portfolio in time"
    raise Invalid(f"The scenario {verb}: " + "; ".join(said),
                  [FieldError("conflicts", text) for text in said],
                  {"result_status": status, "conflicts": said})


def in_words(text: str, codes: Mapping[int, str]) -> str:
    """Engine text with candidate ids replaced by their codes."""
    def one(match: re.Match[str]) -> str:
        word = match.group(0).split()[0]
        return f"{word} {codes.get(int(match.group(1)), match.group(1))}"

    def many(match: re.Match[str]) -> str:
        ids = [int(i) for i in match.group(1).split(", ")]
        return "[" + ", ".join(codes.get(i, str(i)) for i in ids) + "]"

    return ITEM_LIST.sub(many, ITEM.sub(one, text))


def _store(session: Session, scenario: Scenario, mapped: mapping.Mapped,
           solution: Solution) -> None:
    scenario.result = {
        "status": solution.status, "value": solution.value, "bound": _finite(solution.bound),
        "gap": _finite(solution.gap), "seconds": round(solution.seconds, 3),
        "selected": list(solution.selected),
        "usage": [{"kind": u.kind, "name": u.name, "used": u.used, "limit": u.limit}
                  for u in solution.usage],
        "binding": list(solution.binding), "conflicts": [], "notes": mapped.notes,
        "fingerprint": mapping.fingerprint(mapped.problem),
    }
    scenario.status, scenario.solved_at, scenario.frontier = "solved", utcnow(), None
    chosen = set(solution.selected)
    for candidate in repository.candidates(session, scenario.id):
        candidate.selected = candidate.id in chosen
        reason = solution.reasons.get(candidate.id, "")
        candidate.reason = in_words(reason, mapped.codes) if reason else ""
    session.flush()


def compute_frontier(session: Session, actor: Actor, scenario_id: int,
                     points: int = FRONTIER_POINTS) -> Scenario:
    """Best value at ``points`` budget levels (all budget lines scaled alike), stored."""
    scenario, mapped = prepare(session, actor, scenario_id)
    try:
        found = frontier(mapped.problem, points)
    except ProblemError as exc:
        raise Invalid("The scenario's figures cannot be solved as they are", [
            FieldError(mapping.engine_path(p.path, mapped), p.message)
            for p in exc.problems]) from None
    if found and found[-1].status in ("infeasible", "unknown"):
        _infeasible(mapped, found[-1].status, conflicts(mapped.problem))
    scenario.frontier = [{"scale": p.scale, "total_budget": p.total_budget, "value": p.value,
                          "status": p.status, "selected": list(p.selected)} for p in found]
    session.flush()
    return scenario


def _finite(x: float) -> float | None:
    """JSON (and PostgreSQL's jsonb) has no infinity: an unproven bound is stored as null."""
    return x if math.isfinite(x) else None

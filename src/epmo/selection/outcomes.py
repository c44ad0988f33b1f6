"""Scenarios side by side, and committing one: approve the selected requests, not_yet the rest.

Every left-out request's earliest feasible start is the resources queue's
(``intake.service.earliest_starts``): asked once, after the selected requests are approved
and the unit of work settled (their projects' demand is committed demand by then), so each
waits behind the portfolio just chosen and behind the queued work ranked before it. The
queue weighs capacity only: the scenario's budgets are its own assumption for those years,
not a ledger the queue could place a request against, so a request left out for money keeps
the budget line in its reason and gets the start its department's capacity allows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.orm import Session

from epmo import events
from epmo.auth.policy import Actor
from epmo.db import utcnow
from epmo.editing import check_version
from epmo.errors import Conflict, FieldError, Invalid
from epmo.intake import service as intake
from epmo.intake.schemas import RequestDecision
from epmo.selection import mapping, policy, repository, service
from epmo.selection.models import Scenario, ScenarioCandidate
from epmo.selection.schemas import (
    CandidateRead,
    CommitOutcome,
    ComparedScenario,
    Comparison,
    Difference,
    ScenarioCommit,
    ScenarioRead,
)

Label = tuple[str, str, str]  # kind, code, title


def labels(session: Session, found: Sequence[ScenarioCandidate]) -> dict[int, Label]:
    """Kind, code and title of each candidate, by candidate id."""
    requests = repository.requests(session, [c.request_id for c in found if c.request_id])
    projects = repository.projects(session, [c.project_id for c in found if c.project_id])
    result: dict[int, Label] = {}
    for c in found:
        if c.request_id is not None and c.request_id in requests:
            r = requests[c.request_id]
            result[c.id] = ("request", r.code, r.title)
        elif c.project_id is not None and c.project_id in projects:
            p = projects[c.project_id]
            result[c.id] = ("project", p.code, p.name)
    return result


def scenario_read(session: Session, scenario: Scenario) -> ScenarioRead:
    """The scenario with its candidates labelled by code and title."""
    found = repository.candidates(session, scenario.id)
    named = labels(session, found)
    cands = [CandidateRead.model_validate(c).model_copy(update=dict(zip(
        ("kind", "code", "title"), named.get(c.id, ("request", "", "")), strict=True)))
        for c in found]
    return ScenarioRead.model_validate(scenario).model_copy(update={"candidates": cands})


# --- compare --------------------------------------------------------------------------------


def compare(session: Session, actor: Actor, ids: Sequence[int]) -> Comparison:
    """Value, cost per year, capacity use and the items that differ between scenarios."""
    policy.require_read_scenarios(actor)
    if not 2 <= len(set(ids)) <= 6:
        raise Invalid("Compare two to six scenarios", [FieldError("ids", "give 2 to 6 ids")])
    found = repository.scenarios_by_ids(session, list(dict.fromkeys(ids)))
    missing = sorted(set(ids) - {s.id for s in found})
    if missing:
        raise Invalid("Unknown scenarios", [FieldError("ids", f"no scenario {i}")
                                            for i in missing])
    solved = [s for s in found if is_solved(s)]
    picked: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for scenario in solved:  # an unsolved scenario's flags are no selection: leave it out
        cands = repository.candidates(session, scenario.id)
        named = labels(session, cands)
        for c in cands:
            if c.selected and c.id in named:
                picked[named[c.id]].append(scenario.id)
    differences = [Difference(code=code, title=title, selected_in=where)
                   for (_, code, title), where in sorted(picked.items())
                   if len(where) < len(solved)]
    unsolved = [s for s in found if s not in solved]
    return Comparison(scenarios=[_figures(session, s) for s in found], differences=differences,
                      unsolved=[s.id for s in unsolved],
                      note=compare_note(unsolved, len(solved), bool(differences)))


def is_solved(scenario: Scenario) -> bool:
    """Solved (or committed) with a stored portfolio; a draft, failed or infeasible one is not."""
    result = scenario.result or {}
    return (scenario.status in ("solved", "committed")
            and result.get("status") in ("optimal", "feasible"))


def compare_note(unsolved: Sequence[Scenario], solved: int, differ: bool) -> str:
    """What the item comparison can say, in words: never "the same items" for an unsolved one."""
    said = ""
    if unsolved:
        names = ", ".join(f"{s.name} ({s.status})" for s in unsolved)
        verb = "is" if len(unsolved) == 1 else "are"
        said = f"{names} {verb} not solved: no items to compare. "
    if solved < 2:
        return said + "Solve at least two of these scenarios to compare their items."
    if differ:
        return said + "Items selected in some of the solved scenarios but not all:"
    return said + "The solved scenarios select the same items."


def _figures(session: Session, scenario: Scenario) -> ComparedScenario:
    result = scenario.result or {}
    usage = result.get("usage", [])
    capacity = [u for u in usage if u["kind"] == "capacity"]
    return ComparedScenario(
        id=scenario.id, name=scenario.name, status=scenario.status,
        value=result.get("value"), selected=len(result.get("selected", [])),
        cost={u["name"]: u["used"] for u in usage if u["kind"] == "budget"},
        budgets={str(k): float(v) for k, v in scenario.budgets.items()},
        capacity_used=sum(u["used"] for u in capacity),
        capacity_limit=sum(u["limit"] for u in capacity),
    )


# --- commit ---------------------------------------------------------------------------------


def commit_scenario(session: Session, actor: Actor, scenario_id: int,
                    data: ScenarioCommit) -> CommitOutcome:
    """Approve the selected requests and mark the others not_yet with reason and start."""
    scenario, mapped = service.prepare(session, actor, scenario_id)
    check_version(scenario, data.version)
    if scenario.status != "solved" or not scenario.result:
        raise Conflict("Solve the scenario before committing it",
                       [FieldError("status", f"is {scenario.status}, must be solved")])
    if mapping.fingerprint(mapped.problem) != scenario.result.get("fingerprint"):
        raise Conflict("Requests, scores or capacity changed since the solve; solve again",
                       [FieldError("result", "stale: the inputs changed since the solve")])
    outcome = _decide_all(session, actor, scenario, mapped)
    scenario.status, scenario.committed_at = "committed", utcnow()
    session.flush()
    return outcome


def _decide_all(session: Session, actor: Actor, scenario: Scenario,
                mapped: mapping.Mapped) -> CommitOutcome:
    found = [c for c in repository.candidates(session, scenario.id) if c.request_id is not None]
    requests = repository.requests(session, list(mapped.request_of.values()))
    outcome = CommitOutcome(scenario_id=scenario.id, approved=[], not_yet=[])
    for c in (c for c in found if c.selected):  # existing projects go on as they are
        request = requests[c.request_id or 0]
        intake.decide_request(session, actor, request.id, RequestDecision(
            decision="approve", version=request.version,
            reason=f"Selected in scenario {scenario.name}"))
        outcome.approved.append(request.code)
    events.settle(session)  # the approved projects' demand is committed before the queue asks
    waiting = [c for c in found if not c.selected]
    starts = intake.earliest_starts(session, [c.request_id or 0 for c in waiting])
    for c in waiting:
        request = requests[c.request_id or 0]
        reason = f"Not selected in scenario {scenario.name}: {c.reason or 'left out'}"
        intake.decide_request(session, actor, request.id, RequestDecision(
            decision="not_yet", reason=reason[:20_000], version=request.version), starts)
        outcome.not_yet.append({"code": request.code, "reason": request.decision_reason,
                                "earliest_start": request.earliest_start})
    return outcome

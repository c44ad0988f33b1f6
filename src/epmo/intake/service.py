"""Named writes of the intake domain: submit, change, move, decide, resubmit, delete requests.

Approving a request creates its project through the portfolio service; reviewers hear of a
submitted request and the requester of the decision through in-app notifications, made
idempotent by a per-user ``key``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from epmo import events
from epmo.auth.policy import Actor
from epmo.db import utcnow
from epmo.editing import apply, changes_of, check_version, ensure_unique
from epmo.errors import Conflict, FieldError, Invalid
from epmo.intake import checks, policy, repository
from epmo.intake.events import RequestApproved, StartsWanted
from epmo.intake.models import (
    PIPELINE,
    IntakeRequest,
    RequestCost,
    RequestDemand,
    RequestDependency,
    RequestGoal,
)
from epmo.intake.schemas import (
    RequestCreate,
    RequestDecision,
    RequestStageChange,
    RequestUpdate,
)
from epmo.notifications.publishing import publish
from epmo.org.repository import department_parents
from epmo.portfolio import demand as project_demand
from epmo.portfolio import service as portfolio_service
from epmo.portfolio.demand_window import spread_lines
from epmo.portfolio.models import Project
from epmo.portfolio.schemas import GoalLink, ProjectCreate

LINE_MODELS: dict[str, Any] = {"costs": RequestCost, "demand": RequestDemand,
                               "goals": RequestGoal, "dependencies": RequestDependency}
CODE_ATTEMPTS = 50  # concurrent submits a new request may lose to before giving up
NULLABLE = frozenset({"sponsor_id", "desired_start", "benefit_value"})
FACT_FIELDS = ("desired_start", "duration_months", "headcount", "risk_rating", "mandatory",
               "mandatory_reason")
EDITABLE = ("submitted", "triage", "rejected", "deferred")
RESUBMITTABLE = ("rejected", "deferred")
DECIDABLE = (*PIPELINE, "not_yet", "deferred")  # a wait or a deferral may be decided again
OUTCOME = {"approve": "approved", "not_yet": "not_yet", "reject": "rejected",
           "defer": "deferred"}
NEEDS_REASON = frozenset({"not_yet", "reject", "defer"})
# Forward one step, or back one step.
MOVES: dict[str, tuple[str, ...]] = {
    "submitted": ("triage",), "triage": ("scoring", "submitted"),
    "scoring": ("decision", "triage"), "decision": ("scoring",),
}


def _today() -> date:
    return utcnow().date()


def _require_stage(request: IntakeRequest, stages: Iterable[str], doing: str) -> None:
    allowed = tuple(stages)
    if request.stage not in allowed:
        raise Invalid(f"A request in stage {request.stage} cannot be {doing}",
                      [FieldError("stage", f"is {request.stage}; only "
                                           f"{', '.join(allowed)} requests can be {doing}")])


# --- lines ------------------------------------------------------------------------------


def _replace_lines(session: Session, request_id: int, lines: Mapping[str, Any]) -> bool:
    """Replace the sent lists' rows; True when any list was sent."""
    changed = False
    for field, model in LINE_MODELS.items():
        rows = lines.get(field)
        if rows is None:
            continue
        for old in repository.lines_of(session, model, request_id):
            session.delete(old)
        session.flush()  # the old rows go before new ones may reuse their keys
        session.add_all(model(request_id=request_id, **row.model_dump()) for row in rows)
        changed = True
    return changed


# --- submit and change ------------------------------------------------------------------


def create_request(session: Session, actor: Actor, data: RequestCreate) -> IntakeRequest:
    """Submit a request for a department the actor may submit for; notify who decides."""
    values = data.model_dump(exclude={*LINE_MODELS, "code"})
    checks.fail(checks.reference_errors(session, {"department_id": data.department_id}))
    policy.require_submit(actor, data.department_id)
    if data.code:
        ensure_unique(session, IntakeRequest.code, data.code)
    lines = {field: getattr(data, field) for field in LINE_MODELS}
    others = {k: v for k, v in values.items() if k != "department_id"}
    checks.fail(checks.reference_errors(session, others) +
                checks.line_errors(session, actor, lines))
    values |= {"requester_id": actor.id or None, "stage": "submitted", "revision": 1}
    values["tier"] = checks.tier_of(session, values, checks.total_of(data.costs), _today())
    request = (_insert(session, IntakeRequest(code=data.code, **values)) if data.code
               else _insert_with_next_code(session, values))
    _replace_lines(session, request.id, lines)
    session.flush()
    notify_reviewers(session, request)
    return request


def _insert(session: Session, request: IntakeRequest) -> IntakeRequest:
    session.add(request)
    session.flush()
    return request


def _insert_with_next_code(session: Session, values: dict[str, Any]) -> IntakeRequest:
    """Insert with the next free REQ-nnnn; a code taken meanwhile by a concurrent submit
    (the unique index says so) is retried with the next one, in a savepoint."""
    for _ in range(CODE_ATTEMPTS):
        request = IntakeRequest(code=repository.next_code(session), **values)
        try:
            with session.begin_nested():
                return _insert(session, request)
        except IntegrityError as exc:
            if "code" not in str(exc.orig):
                raise
    raise Conflict("Too many requests are being submitted at once; submit again",
                   [FieldError("code", "no free code found")])


def _revise(session: Session, actor: Actor, request: IntakeRequest, data: RequestUpdate) -> None:
    """Check and stage the changes of ``data`` on ``request`` (the caller flushes)."""
    changes = changes_of(data, NULLABLE)
    lines = {field: getattr(data, field) for field in LINE_MODELS if field in changes}
    for field in LINE_MODELS:
        changes.pop(field, None)
    target = changes.get("department_id", request.department_id)
    if target != request.department_id:
        checks.fail(checks.reference_errors(session, {"department_id": target}))
        policy.require_submit(actor, target)
    if changes.get("code"):
        ensure_unique(session, IntakeRequest.code, changes["code"], exclude_id=request.id)
    merged = {name: getattr(request, name) for name in FACT_FIELDS} | changes
    view = {k: merged[k] for k in ("mandatory", "mandatory_reason")}
    view |= {"sponsor_id": changes["sponsor_id"]} if "sponsor_id" in changes else {}
    kept = checks.kept_targets(session, request)
    checks.fail(checks.reference_errors(session, view) +
                checks.line_errors(session, actor, lines, request.id, kept))
    costs = lines.get("costs")
    total = checks.total_of(costs if costs is not None else
                            repository.lines_of(session, RequestCost, request.id))
    tier = checks.tier_of(session, merged, total, _today())
    changed = _replace_lines(session, request.id, lines)
    apply(request, changes | ({"tier": tier} if tier != request.tier else {}))
    if changed:
        request.updated_at = utcnow()  # bumps the version: line edits conflict like fields


def update_request(session: Session, actor: Actor, request_id: int,
                   data: RequestUpdate) -> IntakeRequest:
    """Change a request while submitted or in triage (or the requester's, once rejected or
    deferred, before resubmitting); lists replace the old ones."""
    request = policy.writable_request_or_404(session, actor, request_id)
    _require_stage(request, EDITABLE, "changed")
    check_version(request, data.version)
    _revise(session, actor, request, data)
    session.flush()
    return request


def resubmit_request(session: Session, actor: Actor, request_id: int,
                     data: RequestUpdate) -> IntakeRequest:
    """Send a rejected or deferred request again, revised by ``data``: revision + 1."""
    request = policy.owned_request_or_404(session, actor, request_id)
    _require_stage(request, RESUBMITTABLE, "resubmitted")
    check_version(request, data.version)
    _revise(session, actor, request, data)
    apply(request, {"stage": "submitted", "revision": request.revision + 1, "decision": None,
                    "decision_reason": "", "earliest_start": None, "decided_at": None,
                    "decided_by_id": None})
    session.flush()
    notify_reviewers(session, request)
    return request


def delete_request(session: Session, actor: Actor, request_id: int, version: int) -> None:
    """Withdraw a request still in ``submitted`` (its requester or an administrator)."""
    request = policy.owned_request_or_404(session, actor, request_id)
    _require_stage(request, ("submitted",), "deleted")
    check_version(request, version)
    if repository.has_dependants(session, request.id):
        raise Invalid("Other requests depend on this one",
                      [FieldError("id", "remove the dependencies on it first")])
    for model in LINE_MODELS.values():
        for row in repository.lines_of(session, model, request.id):
            session.delete(row)
    session.flush()
    session.delete(request)
    session.flush()


# --- pipeline and decision --------------------------------------------------------------


def move_stage(session: Session, actor: Actor, request_id: int,
               data: RequestStageChange) -> IntakeRequest:
    """Move a request one step forward or back in the pipeline (those who decide it)."""
    request = policy.access_request_or_404(session, actor, request_id)
    policy.require_decide(session, actor, request)
    check_version(request, data.version)
    _require_stage(request, PIPELINE, "moved")
    allowed = MOVES[request.stage]
    if data.stage not in allowed:
        raise Invalid(f"A request cannot go from {request.stage} to {data.stage}",
                      [FieldError("stage", f"cannot go from {request.stage} to {data.stage}; "
                                           f"allowed: {', '.join(allowed)}")])
    request.stage = data.stage
    session.flush()
    return request


def _decision_errors(data: RequestDecision) -> list[FieldError]:
    errors = []
    if data.decision in NEEDS_REASON and not data.reason:
        errors.append(FieldError("reason", f"give the reason for {data.decision}"))
    return errors


def earliest_starts(session: Session, request_ids: Iterable[int]) -> dict[int, str | None]:
    """The resources queue's earliest feasible start (a month) of each request it holds now
    (in the pipeline or told not yet), asked through ``StartsWanted``; others are left out."""
    wanted = StartsWanted(tuple(request_ids))
    if wanted.request_ids:
        events.record(session, wanted)
    return wanted.starts


def decide_request(session: Session, actor: Actor, request_id: int, data: RequestDecision,
                   starts: Mapping[int, str | None] | None = None) -> IntakeRequest:
    """Decide a request; approving creates its project with everything the request carried.
    A not-yet decision records the queue's earliest start as it stands (``starts``: the
    queue's answers a caller deciding many asked for once; None: asked here)."""
    request = policy.access_request_or_404(session, actor, request_id)
    policy.require_decide(session, actor, request)
    check_version(request, data.version)
    _require_stage(request, DECIDABLE, "decided")
    checks.fail(_decision_errors(data))
    if data.decision == "approve":
        request.project_id = _create_project(session, actor, request).id
        events.record(session, RequestApproved(request.id, request.project_id))
    apply(request, {"stage": OUTCOME[data.decision], "decision": data.decision,
                    "decision_reason": data.reason, "earliest_start": None,
                    "decided_at": utcnow(), "decided_by_id": actor.id or None})
    session.flush()
    if data.decision == "not_yet":
        found = earliest_starts(session, [request.id]) if starts is None else starts
        request.earliest_start = found.get(request.id)
        session.flush()
    notify_requester(session, request)
    return request


def project_code(session: Session, code: str) -> str:
    """The project code derived from a request code: REQ-0007 -> PRJ-0007 (made unique)."""
    base = ("PRJ-" + (code[4:] if code.startswith("REQ-") else code))[:40]
    candidate, number = base, 2
    while repository.code_taken(session, Project, candidate):
        suffix = f"-{number}"
        candidate, number = base[:40 - len(suffix)] + suffix, number + 1
    return candidate


def _create_project(session: Session, actor: Actor, request: IntakeRequest) -> Project:
    costs = repository.lines_of(session, RequestCost, request.id)
    goals = repository.lines_of(session, RequestGoal, request.id)
    start, finish = checks.schedule(request.desired_start, request.duration_months, _today())
    data = ProjectCreate(
        code=project_code(session, request.code), name=request.title,
        description=request.problem[:20_000], department_id=request.department_id,
        sponsor_id=request.sponsor_id, stage="approved", headcount=request.headcount,
        risk_rating=request.risk_rating, planned_start=start, planned_finish=finish,
        budget_planned=checks.total_of(costs) if costs else None,  # no cost lines: unknown
        goals=[GoalLink(goal_id=g.goal_id, weight=g.contribution) for g in goals])
    project = portfolio_service.create_project(session, actor, data, from_intake=True)
    # The request's demand becomes the project's, so capacity keeps counting it once running.
    # It was asked for a start the project may not keep (none desired: the next quarter's),
    # and an approval is not refused for that: each quarter is spread evenly over its months
    # inside the project's dates, a quarter wholly outside going to its first or last month,
    # each role keeping its total to the hundredth.
    project_demand.replace_demand(session, project.id, spread_lines(
        [(d.role, None, d.period, d.fte_months)
         for d in repository.lines_of(session, RequestDemand, request.id)],
        project_demand.window_of(project)))
    return project


# --- notifications ----------------------------------------------------------------------


def _notify(session: Session, request: IntakeRequest, user_ids: Iterable[int], kind: str,
            message: tuple[str, str]) -> int:
    """Publish the event to the users (in-app, e-mail by their preference, webhooks that want
    it); subscribers of the proposing department get it too. How many users were named."""
    users = list(dict.fromkeys(user_ids))
    publish(session, kind=kind, title=message[0], body=message[1],
            link=f"/intake/{request.id}", targets=[("department", request.department_id)],
            payload={"request_id": request.id, "code": request.code, "stage": request.stage,
                     "revision": request.revision, "tier": request.tier},
            recipients=users)
    return len(users)


def reviewer_ids(session: Session, request: IntakeRequest) -> list[int]:
    """Users who decide the request: administrators, or the leads of its department (or one
    above it; administrators when there is none)."""
    if policy.route_of(session, request).decider == "epmo":
        return repository.admin_user_ids(session)
    parents, chain = department_parents(session), []
    current: int | None = request.department_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return repository.lead_user_ids(session, chain) or repository.admin_user_ids(session)


def notify_reviewers(session: Session, request: IntakeRequest) -> int:
    """Tell those who decide the request that it was submitted (or resubmitted)."""
    what = f"{request.code} {request.title}"
    message = (f"New request to review: {request.code}",
               f"{what} (tier {request.tier}, revision {request.revision}) was submitted.")
    return _notify(session, request, reviewer_ids(session, request), "intake.submitted",
                   message)


def notify_requester(session: Session, request: IntakeRequest) -> int:
    """Tell the requester the decision."""
    if request.requester_id is None:
        return 0
    outcome = (request.stage or "").replace("_", " ")
    reason = f" Reason: {request.decision_reason}" if request.decision_reason else ""
    if request.stage == "not_yet":
        reason += (f" Earliest feasible start as capacity stands: {request.earliest_start}."
                   if request.earliest_start else
                   " No feasible start within the resources queue's 36 months yet.")
    message = (f"Request {request.code}: {outcome}",
               f"{request.code} {request.title} was decided: {outcome}.{reason}"[:5_000])
    return _notify(session, request, [request.requester_id], "intake.decided", message)

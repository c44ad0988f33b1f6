"""Gate reviews: the gates a project's terms require, asking for a review, and the decision.

A gate is passed when its latest decided review says ``go``; a later ``hold``, ``recycle``
or ``kill`` takes that back. Only one review per gate may be pending at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.charter.authority import authority_for
from epmo.compliance import policy, repository
from epmo.compliance.models import GateReview
from epmo.compliance.schemas import ReviewCreate
from epmo.contracts.terms import GateTerm, Terms, load_terms
from epmo.db import utcnow
from epmo.editing import check_version
from epmo.errors import Conflict, FieldError, Invalid, NotFound
from epmo.org.models import Department
from epmo.portfolio import policy as portfolio_policy
from epmo.portfolio.models import Project

GOVERNANCE = "portfolio_governance"


@dataclass(frozen=True)
class GateStatus:
    """A required gate, whether it is passed, its latest review and what the actor may do."""

    term: GateTerm
    passed: bool
    latest: GateReview | None
    can_open: bool
    can_decide: bool


def required_gates(session: Session, project: Project,
                   loaded: Terms | None = None) -> list[GateTerm]:
    """The gates the project's effective terms require (stages as enterprise stages), once
    each; ``loaded``: every contract and method, when already read."""
    terms = (loaded or load_terms(session)).for_project(project.department_id, project.tier)
    if terms is None:
        return []
    found: dict[str, GateTerm] = {}
    for gate in terms.gates:
        stage = terms.stage_names.get(gate.stage, gate.stage)
        found.setdefault(gate.code, GateTerm(gate.code, gate.name, stage, gate.criteria,
                                             gate.approver_roles))
    return list(found.values())


def passed_codes(session: Session, project_id: int) -> set[str]:
    """Codes of the gates the project has passed."""
    return repository.passed_gates(session, [Project.id == project_id]).get(project_id, set())


def department_code(session: Session, department_id: int) -> str:
    """The code people know the department by."""
    department = session.get(Department, department_id)
    return department.code if department is not None else str(department_id)


def gates_of(session: Session, actor: Actor, project_id: int) -> list[GateStatus]:
    """Every gate the project must pass, with its latest review and the actor's rights."""
    project = portfolio_policy.access_project_or_404(session, actor, project_id)
    reviews = repository.reviews_of(session, project.id)
    passed = passed_codes(session, project.id)
    governance = authority_for(session, project.department_id, GOVERNANCE)
    statuses = []
    for gate in required_gates(session, project):
        latest = next((r for r in reviews if r.gate_code == gate.code), None)
        pending = latest is not None and latest.decision is None
        statuses.append(GateStatus(
            gate, gate.code in passed, latest,
            can_open=not pending and gate.code not in passed
            and policy.can_open_review(actor, project),
            can_decide=pending and policy.can_decide(actor, project.department_id,
                                                     gate.approver_roles, governance)))
    return statuses


def _gate(session: Session, project: Project, code: str) -> GateTerm:
    for gate in required_gates(session, project):
        if gate.code == code:
            return gate
    raise NotFound(f"Project {project.code} has no gate {code}",
                   [FieldError("gate_code", f"not one of the project's gates: {code}")])


def open_review(session: Session, actor: Actor, project_id: int, code: str,
                data: ReviewCreate) -> GateReview:
    """Ask for a review of a gate: its checklist comes from the gate's criteria."""
    project = portfolio_policy.access_project_or_404(session, actor, project_id)
    gate = _gate(session, project, code)
    policy.require_open_review(actor, project)
    pending = [r for r in repository.reviews_of(session, project.id)
               if r.gate_code == code and r.decision is None]
    if pending:
        raise Conflict(f"A review of gate {code} is already open",
                       [FieldError("gate_code", f"review {pending[0].id} is still pending")])
    if code in passed_codes(session, project.id):
        raise Conflict(f"Gate {code} is already passed",
                       [FieldError("gate_code", "the latest decision is go")])
    review = GateReview(project_id=project.id, gate_code=code, stage=gate.stage,
                        checklist=[{"criterion": c, "met": False} for c in gate.criteria],
                        evidence=list(data.evidence), rationale="")
    session.add(review)
    session.flush()
    return review


def _review_or_404(session: Session, actor: Actor, review_id: int) -> tuple[GateReview, Project]:
    review = repository.get_review(session, review_id)
    missing = NotFound(f"Gate review {review_id} not found")
    if review is None:
        raise missing
    try:
        project = portfolio_policy.access_project_or_404(session, actor, review.project_id)
    except NotFound:
        raise missing from None
    return review, project


def access_review_or_404(session: Session, actor: Actor, review_id: int) -> GateReview:
    """A gate review of a project the actor may read, else NotFound."""
    return _review_or_404(session, actor, review_id)[0]


def _ticked(review: GateReview, met: Sequence[bool] | None) -> list[dict[str, object]]:
    items = [dict(item) for item in review.checklist or []]
    if met is None:
        return items
    if len(met) != len(items):
        raise Invalid("Tick every criterion of the checklist",
                      [FieldError("met", f"expected {len(items)} answers, got {len(met)}")])
    return [item | {"met": answer} for item, answer in zip(items, met, strict=True)]


def decide_gate(session: Session, actor: Actor, review_id: int, decision: str, rationale: str,
                version: int, met: Sequence[bool] | None = None) -> GateReview:
    """Record the approver's decision (go, hold, recycle or kill) with its rationale."""
    review, project = _review_or_404(session, actor, review_id)
    roles = next((g.approver_roles for g in required_gates(session, project)
                  if g.code == review.gate_code), ())
    governance = authority_for(session, project.department_id, GOVERNANCE)
    policy.require_decide(actor, project.department_id, roles, governance,
                          department_code(session, project.department_id))
    if review.decision is not None:
        raise Conflict(f"Gate review {review.id} was already decided ({review.decision})",
                       [FieldError("decision", "already decided; open a new review")])
    check_version(review, version)
    checklist = _ticked(review, met)
    review.checklist = checklist
    review.decision = decision
    review.rationale = rationale
    review.approver_id = actor.id or None
    review.decided_at = utcnow()
    session.flush()
    return review

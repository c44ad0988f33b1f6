"""Read models of the contracts domain: a department's effective method and a project's
effective terms, as the API and the pages show them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.contracts import policy, repository
from epmo.contracts.schemas import GateRead, MethodRead, TermsRead
from epmo.contracts.terms import load_terms
from epmo.errors import NotFound
from epmo.org.models import Department


def describe_method(session: Session, actor: Actor, department: Department) -> MethodRead | None:
    """The department's method: its own, else its nearest ancestor's (None: the contracts)."""
    method = load_terms(session).methods.get(department.id)
    if method is None:
        return None
    owner = department if method.department_id == department.id else \
        repository.get_department(session, method.department_id)
    return MethodRead.model_validate({
        **{key: getattr(method, key) for key in ("department_id", "name", "stage_names",
                                                 "extra_fields", "cadence", "extra_gates",
                                                 "version")},
        "department_code": owner.code if owner else "",
        "inherited": method.department_id != department.id,
    })


def project_terms(session: Session, actor: Actor, project_id: int) -> TermsRead:
    """The effective terms of a project the actor may read."""
    project = policy.access_project_or_404(session, actor, project_id)
    terms = load_terms(session).for_project(project.department_id, project.tier)
    if terms is None:
        raise NotFound(f"There is no reporting contract for tier {project.tier}")
    return TermsRead(
        project_id=project.id, tier=terms.tier, cadence=terms.cadence,
        cadence_days=terms.cadence_days, required_fields=list(terms.required_fields),
        dimensions=list(terms.dimensions),
        artefacts={k: list(v) for k, v in terms.artefacts.items()},
        gates=[GateRead(code=g.code, name=g.name, stage=g.stage, criteria=list(g.criteria),
                        approver_roles=list(g.approver_roles)) for g in terms.gates],
        records=list(terms.records),
        rag_thresholds={k: dict(v) for k, v in terms.rag_thresholds.items()},
        method=terms.method, stage_names=dict(terms.stage_names))

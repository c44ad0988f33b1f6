"""The charter in action: checks the portfolio domain calls before it changes a project.

Under ``supportive`` authority a rule only produces a compliance finding; under
``controlling`` a violation blocks the change; under ``directive`` only EPMO roles may
perform the practice's actions in that department:

- Portfolio Governance: entering a stage needs its gates passed (controlling, directive);
  under directive only the EPMO changes a project's stage at all.
- Project Leadership: under directive only the EPMO changes a project's manager or
  methodology, or closes it (closing, closed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, is_admin
from epmo.charter.authority import authority_map, is_blocking
from epmo.compliance import gates
from epmo.contracts.terms import GateTerm, Terms, load_terms
from epmo.errors import FieldError, Forbidden, Invalid
from epmo.portfolio.models import Project

CLOSING_STAGES = frozenset({"closing", "closed"})
LEADERSHIP_FIELDS = ("manager_id", "methodology")
Levels = Mapping[str, str]
StageGuard = Callable[[Actor, Project, str], None]


def _authority(levels: Levels, practice: str, department: str) -> str:
    return f"the EPMO's authority over {practice.replace('_', ' ')} in {department} is " \
           f"{levels.get(practice, 'none')}"


def _directive_only(actor: Actor, levels: Levels, practice: str, department: str,
                    field: str, what: str) -> None:
    if levels.get(practice) == "directive" and not is_admin(actor):
        reason = _authority(levels, practice, department)
        raise Forbidden(f"Only the EPMO may {what} in {department}: {reason}",
                        [FieldError(field, f"only the EPMO may {what}; {reason}")])


def _missing_gates(session: Session, project: Project, stage: str,
                   terms: Terms | None) -> list[GateTerm]:
    passed = gates.passed_codes(session, project.id)
    return [g for g in gates.required_gates(session, project, terms)
            if g.stage == stage and g.code not in passed]


def _check_stage(session: Session, actor: Actor, project: Project, stage: str,
                 levels: Levels, terms: Terms | None = None) -> None:
    department = gates.department_code(session, project.department_id)
    _directive_only(actor, levels, "portfolio_governance", department, "stage",
                    "change a project's stage")
    if stage in CLOSING_STAGES:
        _directive_only(actor, levels, "project_leadership", department, "stage",
                        "close a project")
    governance = levels.get("portfolio_governance", "none")
    if not is_blocking(governance):
        return
    reason = _authority(levels, "portfolio_governance", department)
    errors = [FieldError("stage", f"gate {g.code} '{g.name}' has not been passed; {reason}")
              for g in _missing_gates(session, project, stage, terms)]
    if errors:
        raise Invalid(f"{project.code} cannot enter {stage.replace('_', ' ')}: "
                      + "; ".join(e.message for e in errors), errors)


def check_stage_change(session: Session, actor: Actor, project: Project, stage: str) -> None:
    """Refuse a stage change the charter and the project's gates do not allow."""
    stage_guard(session)(actor, project, stage)


def stage_guard(session: Session) -> StageGuard:
    """``check_stage_change`` for many projects: the charter is read once, on first use."""
    loaded: list[tuple[dict[int, dict[str, str]], Terms]] = []

    def check(actor: Actor, project: Project, stage: str) -> None:
        """Refuse the change like ``check_stage_change``."""
        if not loaded:
            loaded.append((authority_map(session), load_terms(session)))
        levels, terms = loaded[0]
        _check_stage(session, actor, project, stage, levels.get(project.department_id, {}),
                     terms)

    return check


def check_project_change(session: Session, actor: Actor, project: Project,
                         changes: dict[str, Any]) -> None:
    """Refuse field changes that belong to a practice the EPMO directs in this department."""
    changed = [f for f in LEADERSHIP_FIELDS if f in changes and changes[f] != getattr(project, f)]
    if not changed or is_admin(actor):
        return
    levels = authority_map(session).get(project.department_id, {})
    if levels.get("project_leadership") != "directive":
        return
    department = gates.department_code(session, project.department_id)
    reason = _authority(levels, "project_leadership", department)
    names = [field.removesuffix("_id") for field in changed]
    raise Forbidden(f"Only the EPMO may change a project's {' or '.join(names)} in "
                    f"{department}: {reason}",
                    [FieldError(f, f"only the EPMO may change this; {reason}") for f in changed])

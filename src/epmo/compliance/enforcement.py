"""The charter in action: the one check every project write passes, wherever it comes from.

``Enforcer.check`` judges a project as a write would leave it (create, update, stage change;
the API, the pages, the CLI and imports alike) against its tier's reporting contract and the
EPMO's authority in its department. What the EPMO has no authority over is not checked; a
shortfall is a warning under ``supportive`` and refuses the write under ``controlling`` and
``directive``:

- PPM Administration: the contract's required fields are filled. A new project, a stage
  change, a more demanding tier or another department needs all of them; any other update
  must not empty one (gaps it leaves alone are warnings). A project an intake decision
  creates gets them as warnings: its manager and plan come after the approval, before it
  leaves ``approved``.
- Portfolio Governance: the gates admitting into every lifecycle stage up to the project's
  stage are passed. Checked on create and on a stage change (a new project has passed no
  gate, so under blocking authority it starts at a stage no gate admits into, or comes
  from intake, whose decision admits it into ``approved``). After a move to such a tier or
  department the new terms' gates are warnings: they can only be reviewed once the project
  has those terms, and its next stage change needs them.
- Directive: only the EPMO changes a project's stage (Portfolio Governance), its manager or
  methodology, or closes it (Project Leadership).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, is_admin
from epmo.charter.authority import authority_map, is_blocking
from epmo.compliance import gates
from epmo.contracts.terms import ContractTerms, GateTerm, Terms, load_terms
from epmo.db import work_of
from epmo.errors import FieldError, Forbidden, Invalid
from epmo.portfolio.events import ProjectProposed
from epmo.portfolio.models import Project

LIFECYCLE = ("proposed", "approved", "planning", "executing", "closing", "closed")
CLOSING_STAGES = frozenset({"closing", "closed"})
UNCHECKED_STAGES = frozenset({"cancelled"})  # nothing is required of cancelled work
LEADERSHIP_FIELDS = ("manager_id", "methodology")
FIELDS_PRACTICE = "ppm_administration"
GATES_PRACTICE = "portfolio_governance"
LABELS = {
    "description": "Description", "sponsor_id": "Sponsor", "manager_id": "Project manager",
    "programme_id": "Programme", "methodology": "Methodology", "headcount": "Headcount",
    "risk_rating": "Risk rating", "budget_planned": "Planned budget",
    "budget_actual": "Actual cost", "budget_forecast": "Forecast cost",
}
Levels = Mapping[str, str]


def label(name: str) -> str:
    """A project field as people call it (``sponsor_id`` -> Sponsor)."""
    return LABELS.get(name) or name.replace("_", " ").capitalize()


def is_empty(value: Any) -> bool:
    """No value: None, blank text, or zero for a number (as the compliance evaluation counts)."""
    if value is None or isinstance(value, bool):
        return value is None
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, int | Decimal | float):
        return value == 0
    return False


@dataclass(frozen=True, slots=True)
class ProjectWrite:
    """A project as a write would leave it: ``values`` holds every column after the write
    (the tier as the tier rules give it); ``before`` is the stored row (None: a new project);
    ``touched`` the fields the write sends."""

    values: Mapping[str, Any]
    before: Project | None = None
    touched: frozenset[str] = frozenset()
    from_intake: bool = False

    def changed(self, name: str) -> bool:
        """True when the write gives ``name`` another value than the stored one."""
        return self.before is None or self.values.get(name) != getattr(self.before, name)

    @property
    def code(self) -> str:
        """The code people know the project by."""
        return str(self.values.get("code") or getattr(self.before, "code", ""))


@dataclass(slots=True)
class Verdict:
    """What a write broke: refusals and warnings, each with the practice's authority."""

    blocked: list[FieldError] = field(default_factory=list)
    warnings: list[FieldError] = field(default_factory=list)

    def add(self, level: str, errors: list[FieldError]) -> None:
        """File ``errors`` as refusals or warnings by the authority level."""
        if level == "none":
            return
        (self.blocked if is_blocking(level) else self.warnings).extend(errors)


def _authority(levels: Levels, practice: str, department: str) -> str:
    words = practice.replace("_", " ").replace("ppm ", "PPM ")
    return f"the EPMO's authority over {words} in {department} is " \
           f"{levels.get(practice, 'none')}"


def _directive_only(actor: Actor, levels: Levels, practice: str, department: str,
                    fields: list[str], what: str) -> None:
    if fields and levels.get(practice) == "directive" and not is_admin(actor):
        reason = _authority(levels, practice, department)
        raise Forbidden(f"Only the EPMO may {what} in {department}: {reason}",
                        [FieldError(f, f"only the EPMO may {what}; {reason}") for f in fields])


class Enforcer:
    """The charter, the contracts and the methods, read once to judge many writes."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._loaded: tuple[dict[int, dict[str, str]], Terms] | None = None

    def _load(self) -> tuple[dict[int, dict[str, str]], Terms]:
        if self._loaded is None:
            self._loaded = (authority_map(self.session), load_terms(self.session))
        return self._loaded

    def check(self, actor: Actor, write: ProjectWrite) -> list[FieldError]:
        """Refuse the write (Forbidden, Invalid) or return the warnings it carries."""
        levels_of, terms = self._load()
        department_id = int(write.values["department_id"])
        levels = levels_of.get(department_id, {})
        department = gates.department_code(self.session, department_id)
        self._directive(actor, write, levels, department)
        found = terms.for_project(department_id, int(write.values["tier"]))
        stage = str(write.values["stage"])
        if found is None or stage in UNCHECKED_STAGES:
            return []
        verdict = Verdict()
        self._fields(write, found, levels, department, verdict)
        self._gates(write, found, levels, department, verdict)
        if verdict.blocked:
            raise Invalid(f"{_subject(write)}: " + "; ".join(
                f"{e.message}" for e in verdict.blocked), verdict.blocked)
        return verdict.warnings

    def _directive(self, actor: Actor, write: ProjectWrite, levels: Levels,
                   department: str) -> None:
        if write.before is None:
            return
        moved = write.changed("stage")
        _directive_only(actor, levels, GATES_PRACTICE, department, ["stage"] if moved else [],
                        "change a project's stage")
        closing = moved and write.values["stage"] in CLOSING_STAGES
        _directive_only(actor, levels, "project_leadership", department,
                        ["stage"] if closing else [], "close a project")
        led = [f for f in LEADERSHIP_FIELDS if f in write.touched and write.changed(f)]
        names = " or ".join(f.removesuffix("_id") for f in led)
        _directive_only(actor, levels, "project_leadership", department, led,
                        f"change a project's {names}")

    def _fields(self, write: ProjectWrite, terms: ContractTerms, levels: Levels,
                department: str, verdict: Verdict) -> None:
        level = levels.get(FIELDS_PRACTICE, "none")
        reason = _authority(levels, FIELDS_PRACTICE, department)
        whole = _regoverned(write) or write.changed("stage")
        missing = [n for n in terms.required_fields if is_empty(write.values.get(n))]
        emptied = [n for n in missing if n in write.touched and write.changed(n)]
        strict = [n for n in missing if (whole or n in emptied) and not write.from_intake]
        verdict.add(level, [FieldError(n, f"{label(n)} is required by the tier {terms.tier} "
                                          f"reporting contract; {reason}") for n in strict])
        verdict.add("supportive" if level != "none" else level, [
            FieldError(n, f"{label(n)} is still empty; the tier {terms.tier} reporting contract "
                          f"requires it; {reason}") for n in missing if n not in strict])

    def _gates(self, write: ProjectWrite, terms: ContractTerms, levels: Levels,
               department: str, verdict: Verdict) -> None:
        stage = str(write.values["stage"])
        if stage not in LIFECYCLE:
            return
        moved = write.changed("stage")
        if not moved and not _regoverned(write):
            return
        reached = LIFECYCLE[1:LIFECYCLE.index(stage) + 1]
        admitted = {"approved"} if write.from_intake else set()
        passed = set() if write.before is None else gates.passed_codes(self.session,
                                                                       write.before.id)
        missing = [g for g in _gate_terms(terms) if g.stage in reached
                   and g.stage not in admitted and g.code not in passed]
        reason = _authority(levels, GATES_PRACTICE, department)
        errors = [FieldError("stage", f"gate {g.code} '{g.name}' has not been passed; {reason}")
                  for g in missing]
        level = levels.get(GATES_PRACTICE, "none")
        verdict.add(level if moved else ("supportive" if level != "none" else level), errors)


def _regoverned(write: ProjectWrite) -> bool:
    """True when the write brings the project under other terms: new, moved to another
    department, or into a more demanding tier (a lower number)."""
    if write.before is None or write.changed("department_id"):
        return True
    return int(write.values["tier"]) < write.before.tier


def _gate_terms(terms: ContractTerms) -> list[GateTerm]:
    """The terms' gates with enterprise stages, each code once."""
    found: dict[str, GateTerm] = {}
    for gate in terms.gates:
        found.setdefault(gate.code, GateTerm(gate.code, gate.name,
                                             terms.stage_names.get(gate.stage, gate.stage)))
    return list(found.values())


def _subject(write: ProjectWrite) -> str:
    stage = str(write.values["stage"]).replace("_", " ")
    if write.before is None:
        return f"{write.code} cannot be created at {stage}"
    if write.changed("stage"):
        return f"{write.code} cannot enter {stage}"
    return f"{write.code} cannot be saved"


def on_project_proposed(session: Session, event: ProjectProposed) -> None:
    """The one enforcement path of project writes: refuse it, or keep its warnings on the
    unit of work (the API response or the page shows them: ``db.take_warnings``)."""
    write = ProjectWrite(event.values, event.before, event.touched, event.from_intake)
    work_of(session).warnings = Enforcer(session).check(event.actor, write)

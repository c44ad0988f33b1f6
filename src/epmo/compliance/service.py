"""The compliance evaluation: facts of every project loaded set-based, checked by the engine.

``evaluate`` reads the facts with a fixed number of queries (projects, the periods of every
status report, artefact kinds, gate decisions, contracts, methods, charter, departments) however
many projects there are, and hands them to ``engines.compliance``. Findings are listed within
the actor's scope; department and enterprise scores are aggregates everyone may see.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from epmo.audit.caching import HeadCache, gc_paused
from epmo.auth.policy import Actor, require_admin
from epmo.charter.authority import authority_map
from epmo.compliance import policy, repository
from epmo.compliance.models import ComplianceSnapshot
from epmo.contracts.terms import ContractTerms, Terms, load_terms
from epmo.editing import Page
from epmo.engines import compliance as engine
from epmo.engines.compliance import Finding, ProjectResult, Summary
from epmo.portfolio.models import Project
from epmo.reporting.periods import GRACE_DAYS as REPORT_GRACE_DAYS

CACHE: HeadCache[Evaluation] = HeadCache(16)  # per worker, see epmo.audit.caching
GRACE_DAYS = REPORT_GRACE_DAYS  # the same grace as the reporting domain
PROJECT_COLUMNS = frozenset(Project.__table__.columns.keys())
SEVERITY_ORDER = {"blocking": 0, "warning": 1}
Where = Sequence[ColumnElement[bool]]


@dataclass(frozen=True, slots=True)
class ProjectLabel:
    """What a findings list shows about a project besides its findings."""

    code: str
    name: str
    department_id: int
    stage: str
    tier: int


@dataclass(frozen=True)
class Evaluation:
    """Every evaluated project's result, labels, and the department and enterprise scores."""

    today: date
    results: list[ProjectResult]
    projects: dict[int, ProjectLabel]
    departments: dict[int, Summary]
    enterprise: Summary
    departments_known: dict[int, tuple[str, str]] = field(default_factory=dict)
    parents: dict[int, int | None] = field(default_factory=dict)

    def findings(self) -> list[Finding]:
        """Every finding, blocking first, then by project code."""
        found = [f for r in self.results for f in r.findings]
        found.sort(key=lambda f: (SEVERITY_ORDER[f.severity], self.projects[f.project_id].code,
                                  engine.RULES.index(f.rule), f.subject))
        return found


# --- facts ----------------------------------------------------------------------------------


def is_empty(value: Any) -> bool:
    """No value: None, blank text, or zero for a number (a budget or headcount of 0)."""
    if value is None or value.__class__ is bool:
        return value is None
    if isinstance(value, str):
        return not value.strip()
    return bool(value == 0)  # dates and other values never equal 0


def _empty(value: Any) -> bool:
    """``is_empty`` with the common cases first (this runs for every field of every project)."""
    if value is None:
        return True
    kind = value.__class__
    if kind is str:
        return not value.strip()
    if kind is int or kind is Decimal:
        return bool(value == 0)
    return is_empty(value)


def required_columns(terms: Terms) -> list[str]:
    """Every project column any contract or department method requires."""
    names: dict[str, None] = {}
    for contract in terms.contracts.values():
        names.update(dict.fromkeys(contract.required_fields or ()))
    for method in terms.methods.values():
        names.update(dict.fromkeys(method.extra_fields or ()))
    return [name for name in names if name in PROJECT_COLUMNS]


def contract_of(terms: ContractTerms) -> engine.Contract:
    """A project's effective terms as the engine's contract (department stage names mapped)."""
    names = terms.stage_names
    artefacts: dict[str, tuple[str, ...]] = {}
    for stage, kinds in terms.artefacts.items():
        mapped = names.get(stage, stage)
        artefacts[mapped] = artefacts.get(mapped, ()) + tuple(kinds)
    gates = tuple(engine.Gate(g.code, g.name, names.get(g.stage, g.stage)) for g in terms.gates)
    return engine.Contract(required_fields=terms.required_fields,
                           cadence=terms.cadence, artefacts=artefacts, gates=gates)


class Contracts:
    """Engine contracts per (department, tier), built once each, and where each contract's
    required fields sit among the loaded columns."""

    def __init__(self, terms: Terms, columns: Sequence[str]) -> None:
        self.terms = terms
        self.cache: dict[tuple[int, int], engine.Contract | None] = {}
        self.places: dict[int, list[tuple[str, int]]] = {}
        self.at = {name: index for index, name in enumerate(columns)}

    def empty_fields(self, contract: engine.Contract | None, values: Sequence[Any]
                     ) -> frozenset[str]:
        """The fields ``contract`` requires that have no value in ``values``."""
        if contract is None:
            return frozenset()
        places = self.places.get(id(contract))
        if places is None:  # the contract is cached in self.cache, so its id stays its own
            places = [(n, self.at[n]) for n in contract.required_fields if n in self.at]
            self.places[id(contract)] = places
        row = tuple(values)  # one conversion, then plain tuple indexing
        return frozenset([name for name, index in places if _empty(row[index])])

    def get(self, department_id: int, tier: int) -> engine.Contract | None:
        """The contract of a project in this department and tier (None: no contract)."""
        key = (department_id, tier)
        if key not in self.cache:
            found = self.terms.for_project(department_id, tier)
            self.cache[key] = None if found is None else contract_of(found)
        return self.cache[key]


def reporting_since(created: Any, actual_start: date | None, planned_start: date | None) -> date:
    """When a project's reporting starts: its actual start, else its planned start, else the
    day it was registered."""
    if actual_start is not None:
        return actual_start
    if planned_start is not None:
        return planned_start
    return created.date() if hasattr(created, "date") else date.today()


def load_facts(session: Session, where: Where
               ) -> tuple[list[engine.ProjectFacts], dict[int, ProjectLabel]]:
    """The engine's facts and the labels of every project ``where`` selects."""
    terms = load_terms(session)
    authority = authority_map(session)
    required = required_columns(terms)
    # only projects in a reporting stage owe reports: the others' history is not read
    reports = repository.report_periods(
        session, [*where, Project.stage.in_(sorted(engine.REPORTING_STAGES))])
    kinds = repository.artefact_kinds(session, where)
    gates = repository.passed_gates(session, where)
    contracts = Contracts(terms, required)
    facts, labels = [], {}
    for row in repository.project_rows(session, required, where):
        ident, code, name, department, tier, stage, created, actual, planned = row[:9]
        contract = contracts.get(department, tier)
        facts.append(engine.ProjectFacts(
            id=ident, department_id=department, tier=tier, stage=stage, contract=contract,
            authority=authority.get(department, {}),
            empty_fields=contracts.empty_fields(contract, row[9:]),
            reports=reports.get(ident, ()),
            reporting_since=reporting_since(created, actual, planned),
            artefacts=frozenset(kinds.get(ident, ())),
            gates_passed=frozenset(gates.get(ident, ()))))
        labels[ident] = ProjectLabel(code, name, department, stage, tier)
    return facts, labels


# --- evaluation -----------------------------------------------------------------------------


def subtree(parents: Mapping[int, int | None], root: int) -> list[int]:
    """``root`` and every department below it."""
    return [d for d in parents if root in engine.ancestors(d, parents)]


def evaluate(session: Session, today: date, department_id: int | None = None,
             project_id: int | None = None, where: Where = ()) -> Evaluation:
    """Check every project (of ``department_id`` and below, or just ``project_id``).

    Like the overview, a worker reuses an unscoped evaluation it made while the audit log's
    head is unchanged, the day is the same and it is younger than
    ``EPMO_OVERVIEW_CACHE_SECONDS``; never while the session holds uncommitted writes.
    """
    if where:
        return _evaluate(session, today, department_id, project_id, where)
    return CACHE.get(session, (today, department_id, project_id),
                     lambda: _evaluate(session, today, department_id, project_id, where))


def _evaluate(session: Session, today: date, department_id: int | None,
              project_id: int | None, where: Where) -> Evaluation:
    with gc_paused():  # tens of thousands of facts and findings, none in cycles
        return _evaluated(session, today, department_id, project_id, where)


def _evaluated(session: Session, today: date, department_id: int | None,
               project_id: int | None, where: Where) -> Evaluation:
    parents = repository.department_parents(session)
    conditions = list(where)
    if department_id is not None:
        conditions.append(Project.department_id.in_(subtree(parents, department_id)))
    if project_id is not None:
        conditions.append(Project.id == project_id)
    facts, labels = load_facts(session, conditions)
    results = engine.evaluate(facts, today, GRACE_DAYS)
    departments = engine.by_department(results, parents)
    if department_id is not None:  # its ancestors' scores would count only this subtree
        inside = set(subtree(parents, department_id))
        departments = {d: s for d, s in departments.items() if d in inside}
    return Evaluation(today, results, labels, departments, engine.summarise(results),
                      repository.department_labels(session), parents)


def evaluate_for(session: Session, actor: Actor, today: date, department_id: int | None = None,
                 project_id: int | None = None) -> Evaluation:
    """The evaluation of the projects ``actor`` may read (all of them, cacheable, for
    enterprise roles)."""
    if policy.sees_everything(actor):
        return evaluate(session, today, department_id, project_id)
    return evaluate(session, today, department_id, project_id, [policy.findings_scope(actor)])


@dataclass(frozen=True, slots=True)
class FindingFilter:
    """Which findings to list."""

    department_id: int | None = None
    project_id: int | None = None
    severity: str | None = None
    rule: str | None = None


def filtered_findings(evaluation: Evaluation, filters: FindingFilter) -> list[Finding]:
    """The evaluation's findings that match every filter (None: any)."""
    departments = None
    if filters.department_id is not None:
        departments = set(subtree(evaluation.parents, filters.department_id))
    return [f for f in evaluation.findings()
            if (filters.severity is None or f.severity == filters.severity)
            and (filters.rule is None or f.rule == filters.rule)
            and (filters.project_id is None or f.project_id == filters.project_id)
            and (departments is None or f.department_id in departments)]


def visible_findings(session: Session, actor: Actor, everything: Evaluation,
                     filters: FindingFilter) -> tuple[list[Finding], Evaluation]:
    """The filtered findings the actor may see, reusing the full evaluation for those who
    see everything; and the evaluation they come from."""
    narrowed = filters.department_id is not None or filters.project_id is not None
    if policy.sees_everything(actor) and not narrowed:
        return filtered_findings(everything, filters), everything
    source = evaluate_for(session, actor, everything.today, filters.department_id,
                          filters.project_id)
    return filtered_findings(source, filters), source


def list_findings(session: Session, actor: Actor, today: date, filters: FindingFilter,
                  limit: int, offset: int) -> tuple[Page[Finding], Evaluation]:
    """One page of the findings the actor may see, and the evaluation they come from."""
    evaluation = evaluate_for(session, actor, today, filters.department_id, filters.project_id)
    found = filtered_findings(evaluation, filters)
    return Page(found[offset:offset + limit], len(found), limit, offset), evaluation


def project_scores(session: Session, actor: Actor, today: date, department_id: int | None,
                   limit: int, offset: int) -> tuple[Page[ProjectResult], Evaluation]:
    """One page of the scores of the projects the actor may see, lowest first."""
    evaluation = evaluate_for(session, actor, today, department_id)
    ranked = sorted(evaluation.results,
                    key=lambda r: (r.score, evaluation.projects[r.project_id].code))
    return Page(ranked[offset:offset + limit], len(ranked), limit, offset), evaluation


# --- snapshots ------------------------------------------------------------------------------


def _rounded(score: float) -> Decimal:
    return Decimal(repr(score)).quantize(Decimal("0.01"))


def _store(row: ComplianceSnapshot, summary: Summary) -> None:
    values = {"score": _rounded(summary.score), "projects": summary.projects,
              "blocking": summary.blocking, "warnings": summary.warnings}
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)


def take_snapshot(session: Session, actor: Actor, today: date) -> list[ComplianceSnapshot]:
    """Record today's score of every department and of the enterprise (replacing today's)."""
    require_admin(actor)
    evaluation = evaluate(session, today)
    wanted: dict[int | None, Summary] = {None: evaluation.enterprise}
    wanted.update((d, s) for d, s in evaluation.departments.items())
    existing = repository.snapshots_on(session, today)
    repository.delete_snapshot_rows(session, [r for d, r in existing.items() if d not in wanted])
    rows = []
    for department, summary in wanted.items():
        row = existing.get(department) or ComplianceSnapshot(taken_on=today,
                                                             department_id=department)
        _store(row, summary)
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


@dataclass(frozen=True, slots=True)
class Series:
    """A department's (or, with no id, the enterprise's) score on each snapshot day."""

    department_id: int | None
    code: str
    name: str
    points: list[tuple[date, float]]


def league(session: Session, since: date | None = None) -> list[Series]:
    """Score series from the snapshots: the enterprise first, then departments by code."""
    labels = repository.department_labels(session)
    points: dict[int | None, list[tuple[date, float]]] = {}
    for row in repository.list_snapshots(session, since):
        points.setdefault(row.department_id, []).append((row.taken_on, float(row.score)))
    series = [Series(d, *labels.get(d, (str(d), str(d))), p)
              for d, p in points.items() if d is not None]
    series.sort(key=lambda s: s.code)
    if None in points:
        series.insert(0, Series(None, "ENTERPRISE", "Enterprise", points[None]))
    return series


def department_rows(evaluation: Evaluation) -> list[tuple[int, str, str, Summary]]:
    """(id, code, name, summary) of each department with projects, by score then code."""
    rows = [(d, *evaluation.departments_known.get(d, (str(d), str(d))), s)
            for d, s in evaluation.departments.items()]
    rows.sort(key=lambda r: (r[3].score, r[1]))
    return rows


def counts_by_rule(findings: Iterable[Finding]) -> dict[str, int]:
    """How many failed checks each rule has (every missing report period counts)."""
    counts = dict.fromkeys(engine.RULES, 0)
    for finding in findings:
        counts[finding.rule] += finding.count
    return counts

"""Compliance of projects with their reporting contract and the EPMO charter.

Four rules. PPM Administration: (1) every required field is filled, (2) the status report of
each period arrives (in planning, executing and closing), (3) the artefacts required by the
current stage and every earlier stage of the lifecycle are on file. Portfolio Governance:
(4) the gate admitting into the current stage and every earlier one was passed.

A rule is checked only where the EPMO has authority in its practice: under ``none`` it is
not checked at all; a failed check is a ``warning`` under ``supportive`` and ``blocking``
under ``controlling`` or ``directive``. Each required field, report, artefact and gate is
one check; a project's score is 100 x passed / applicable checks (100 when none apply).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from epmo.engines.compliance.periods import next_period

LIFECYCLE: Final = ("proposed", "approved", "planning", "executing", "closing", "closed")
REPORTING_STAGES: Final = frozenset({"planning", "executing", "closing"})
UNSCORED_STAGES: Final = frozenset({"cancelled"})
LEVELS: Final = ("none", "supportive", "controlling", "directive")  # weakest to strongest
RULES: Final = ("required_field", "status_report", "artefact", "gate")
PRACTICE_OF: Final = {"required_field": "ppm_administration",
                      "status_report": "ppm_administration",
                      "artefact": "ppm_administration", "gate": "portfolio_governance"}
SEVERITIES: Final = ("blocking", "warning")
Failure = tuple[str, str, str]  # rule, subject, message of a failed check


def severity_of(level: str) -> str | None:
    """The severity of a failed check under an authority level (None: not checked)."""
    if level in ("controlling", "directive"):
        return "blocking"
    return "warning" if level == "supportive" else None


@dataclass(frozen=True, slots=True)
class Gate:
    """A gate of a contract: it admits a project into ``stage``."""

    code: str
    name: str
    stage: str


@dataclass(frozen=True, slots=True)
class Contract:
    """The parts of a project's reporting terms compliance checks."""

    required_fields: tuple[str, ...] = ()
    cadence: str = "monthly"  # weekly, fortnightly or monthly (see periods.py)
    artefacts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # stage -> kinds
    gates: tuple[Gate, ...] = ()


@dataclass(frozen=True, slots=True)
class ProjectFacts:
    """One project as compliance sees it; ``authority``: practice -> level in its department."""

    id: int
    department_id: int
    tier: int
    stage: str
    contract: Contract | None
    authority: Mapping[str, str]
    empty_fields: frozenset[str] = frozenset()  # fields without a value (at least the required)
    last_report_end: date | None = None  # end of its latest status report's period
    reporting_since: date = date.min  # when reporting started (the first period begins)
    artefacts: frozenset[str] = frozenset()  # kinds on file
    gates_passed: frozenset[str] = frozenset()  # codes whose latest decision is "go"


@dataclass(frozen=True, slots=True)
class Finding:
    """One failed check of one project."""

    project_id: int
    department_id: int
    rule: str
    practice: str
    level: str  # the authority level that makes it a finding
    severity: str
    subject: str  # the field, period start, artefact kind or gate code
    message: str


@dataclass(frozen=True, slots=True)
class ProjectResult:
    """A project's checks, how many passed, and the findings of those that failed."""

    project_id: int
    department_id: int
    checks: int
    passed: int
    findings: tuple[Finding, ...] = ()

    @property
    def score(self) -> float:
        """100 x passed / checks; 100 when nothing applies."""
        return 100.0 if self.checks == 0 else 100.0 * self.passed / self.checks


@dataclass(frozen=True, slots=True)
class Summary:
    """Projects counted, their mean score, and their findings by severity."""

    projects: int = 0
    score: float = 100.0
    blocking: int = 0
    warnings: int = 0


# --- the rules ------------------------------------------------------------------------------


def _report_failure(facts: ProjectFacts, contract: Contract, today: date,
                    grace_days: int) -> Failure | None:
    period = next_period(facts.last_report_end, facts.reporting_since, contract.cadence,
                         grace_days)
    if today <= period.due_by:
        return None
    what = "no status report yet" if facts.last_report_end is None else "status report overdue"
    return ("status_report", period.start.isoformat(),
            f"{what}: the report for {period.start.isoformat()} to "
            f"{period.end.isoformat()} was due by {period.due_by.isoformat()}")


def stages_up_to(stage: str) -> tuple[str, ...]:
    """The lifecycle stages up to and including ``stage`` (none when it is off the lifecycle)."""
    if stage not in LIFECYCLE:
        return ()
    return LIFECYCLE[:LIFECYCLE.index(stage) + 1]


@dataclass(frozen=True, slots=True)
class Requirements:
    """What a contract requires of a project in one stage, each item once."""

    fields: tuple[str, ...]
    report: bool
    artefacts: tuple[tuple[str, str], ...]  # (kind, the first stage that requires it)
    gates: tuple[Gate, ...]


def requirements(contract: Contract, stage: str) -> Requirements:
    """The checks a project in ``stage`` under ``contract`` is subject to."""
    reached = stages_up_to(stage)
    artefacts: dict[str, str] = {}
    for step in reached:
        for kind in contract.artefacts.get(step, ()):
            artefacts.setdefault(kind, step)
    gates: dict[str, Gate] = {}
    for gate in contract.gates:
        if gate.stage in reached:
            gates.setdefault(gate.code, gate)
    return Requirements(tuple(dict.fromkeys(contract.required_fields)),
                        stage in REPORTING_STAGES, tuple(artefacts.items()),
                        tuple(gates.values()))


class Evaluator:
    """Checks projects as of ``today``; what a contract requires per stage is worked out once."""

    def __init__(self, today: date, grace_days: int = 7) -> None:
        self.today, self.grace_days = today, grace_days
        self.known: dict[tuple[int, str], tuple[Contract, Requirements]] = {}

    def requirements(self, contract: Contract, stage: str) -> Requirements:
        """``requirements(contract, stage)``, remembered (the contract is kept alive with it)."""
        key = (id(contract), stage)
        if key not in self.known:
            self.known[key] = (contract, requirements(contract, stage))
        return self.known[key][1]

    def _administration(self, facts: ProjectFacts, contract: Contract,
                        needs: Requirements) -> list[Failure]:
        failed = [("required_field", name, f"required field {name} is empty")
                  for name in needs.fields if name in facts.empty_fields]
        if needs.report:
            late = _report_failure(facts, contract, self.today, self.grace_days)
            failed += [late] if late else []
        return failed + [("artefact", kind, f"artefact {kind} (required from {stage}) is missing")
                         for kind, stage in needs.artefacts if kind not in facts.artefacts]

    def project(self, facts: ProjectFacts) -> ProjectResult:
        """Check one project; rules of a practice the EPMO has no authority in are skipped."""
        contract = facts.contract
        if contract is None or facts.stage in UNSCORED_STAGES:
            return ProjectResult(facts.id, facts.department_id, 0, 0)
        needs = self.requirements(contract, facts.stage)
        checks, findings = 0, []
        for practice, count, failed in self._practices(facts, contract, needs):
            level = facts.authority.get(practice, "none")
            severity = severity_of(level)
            if severity is None:
                continue
            checks += count
            findings += [Finding(facts.id, facts.department_id, rule, practice, level, severity,
                                 subject, message) for rule, subject, message in failed()]
        return ProjectResult(facts.id, facts.department_id, checks, checks - len(findings),
                             tuple(findings))

    def _practices(self, facts: ProjectFacts, contract: Contract, needs: Requirements
                   ) -> Iterator[tuple[str, int, Callable[[], list[Failure]]]]:
        """Per practice: how many checks it has and how to find the failed ones."""
        yield ("ppm_administration",
               len(needs.fields) + needs.report + len(needs.artefacts),
               lambda: self._administration(facts, contract, needs))
        yield ("portfolio_governance", len(needs.gates),
               lambda: [("gate", g.code, f"entered {g.stage} without passing gate {g.code} "
                                         f"'{g.name}'")
                        for g in needs.gates if g.code not in facts.gates_passed])


def evaluate_project(facts: ProjectFacts, today: date, grace_days: int = 7) -> ProjectResult:
    """Check one project; rules of a practice the EPMO has no authority in are skipped."""
    return Evaluator(today, grace_days).project(facts)


def evaluate(projects: Iterable[ProjectFacts], today: date,
             grace_days: int = 7) -> list[ProjectResult]:
    """Check every project (cancelled projects are not scored and are left out)."""
    evaluator = Evaluator(today, grace_days)
    return [evaluator.project(p) for p in projects if p.stage not in UNSCORED_STAGES]


# --- scores ---------------------------------------------------------------------------------


def summarise(results: Iterable[ProjectResult]) -> Summary:
    """The mean score and the finding counts of some projects."""
    count = blocking = warnings = 0
    total = 0.0
    for result in results:
        count += 1
        total += result.score
        for finding in result.findings:
            if finding.severity == "blocking":
                blocking += 1
            else:
                warnings += 1
    return Summary(count, total / count if count else 100.0, blocking, warnings)


def ancestors(department: int, parents: Mapping[int, int | None]) -> list[int]:
    """The department and every department above it (stops at a loop)."""
    chain: list[int] = []
    current: int | None = department
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def by_department(results: Iterable[ProjectResult],
                  parents: Mapping[int, int | None]) -> dict[int, Summary]:
    """Each department's summary over the projects of it and its sub-departments."""
    grouped: dict[int, list[ProjectResult]] = {}
    for result in results:
        for department in ancestors(result.department_id, parents):
            grouped.setdefault(department, []).append(result)
    return {department: summarise(rows) for department, rows in grouped.items()}

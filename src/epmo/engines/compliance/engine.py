"""Compliance of projects with their reporting contract and the EPMO charter.

Four rules. PPM Administration: (1) every required field is filled, (2) the status report of
each period arrives (in planning, executing and closing), (3) the artefacts required by the
current stage and every earlier stage of the lifecycle are on file. Portfolio Governance:
(4) the gate admitting into the current stage and every earlier one was passed.

Rule (2) looks at the whole history: every period of the contract's cadence from the one
holding the day reporting began (``ProjectFacts.reporting_since``) to the latest one whose
due day (end + grace days) is past is one check, passed when a report covers it (a report
covers the period it starts in, and any later period lying wholly inside it). The periods
without a report are one finding per project with ``count`` = how many and ``periods`` =
their first days, so a list shows "13 monthly reports missing, 2025-11 .. 2026-11" once
while the scores and counts weigh all thirteen.

A rule is checked only where the EPMO has authority in its practice: under ``none`` it is
not checked at all; a failed check is a ``warning`` under ``supportive`` and ``blocking``
under ``controlling`` or ``directive``. Each required field, due report period, artefact and
gate is one check; a project's score is 100 x passed / applicable checks (100 when none
apply).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final

from epmo.engines.compliance.periods import Calendar, Period, period_label

LIFECYCLE: Final = ("proposed", "approved", "planning", "executing", "closing", "closed")
REPORTING_STAGES: Final = frozenset({"planning", "executing", "closing"})
UNSCORED_STAGES: Final = frozenset({"cancelled"})
LEVELS: Final = ("none", "supportive", "controlling", "directive")  # weakest to strongest
RULES: Final = ("required_field", "status_report", "artefact", "gate")
PRACTICE_OF: Final = {"required_field": "ppm_administration",
                      "status_report": "ppm_administration",
                      "artefact": "ppm_administration", "gate": "portfolio_governance"}
SEVERITIES: Final = ("blocking", "warning")
EARLIEST: Final = date(1900, 1, 1)  # reporting never begins before this day
RUNS_SHOWN: Final = 4  # runs of missing periods a message names (the first three, the last)
Failure = tuple[str, str, str, int, tuple[date, ...]]  # rule, subject, message, count, periods


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
    reports: tuple[tuple[date, date], ...] = ()  # (first, last day) of each status report
    reporting_since: date = EARLIEST  # when reporting began (its period is the first due)
    artefacts: frozenset[str] = frozenset()  # kinds on file
    gates_passed: frozenset[str] = frozenset()  # codes whose latest decision is "go"

    @property
    def last_report_end(self) -> date | None:
        """The end of its latest status report's period (None: never reported)."""
        return max((end for _, end in self.reports), default=None)


@dataclass(frozen=True, slots=True)
class Finding:
    """One failed check of one project."""

    project_id: int
    department_id: int
    rule: str
    practice: str
    level: str  # the authority level that makes it a finding
    severity: str
    subject: str  # the field, first missing period's start, artefact kind or gate code
    message: str
    count: int = 1  # failed checks it stands for (missing report periods; else 1)
    periods: tuple[date, ...] = ()  # first day of each missing report period


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
    """Projects counted, their mean score, and their failed checks by severity (a finding
    of missing reports counts once per period)."""

    projects: int = 0
    score: float = 100.0
    blocking: int = 0
    warnings: int = 0


# --- the rules ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class History:
    """A project's reporting record: how many periods were due, those without a report (in
    order), and the runs of consecutive ones as (first, last)."""

    cadence: str
    due: int
    missing: tuple[Period, ...] = ()
    runs: tuple[tuple[Period, Period], ...] = ()


def _runs(calendar: Calendar, indexes: Sequence[int], grace_days: int
          ) -> tuple[tuple[Period, Period], ...]:
    runs: list[tuple[int, int]] = []
    for index in indexes:
        if runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return tuple((calendar.period(a, grace_days), calendar.period(b, grace_days))
                 for a, b in runs)


def missing_message(history: History, never_reported: bool) -> str:
    """'13 monthly reports missing, 2025-11 .. 2026-11' (runs of periods, gaps by commas)."""
    cadence, count = history.cadence, len(history.missing)

    def label(period: Period) -> str:
        return period_label(cadence, period.start, period.end)

    if count == 1:
        only = history.missing[0]
        text = (f"1 {cadence} report missing, {label(only)} ({only.start.isoformat()} to "
                f"{only.end.isoformat()}, due by {only.due_by.isoformat()})")
    else:
        parts = [label(a) if a == b else f"{label(a)} .. {label(b)}" for a, b in history.runs]
        if len(parts) > RUNS_SHOWN:
            parts = [*parts[:RUNS_SHOWN - 1], "...", parts[-1]]
        text = f"{count} {cadence} reports missing, {', '.join(parts)}"
    return text + (" (no status report yet)" if never_reported else "")


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
    """Checks projects as of ``today``; what a contract requires per stage, and the calendar of
    each cadence (to ``today`` + ``horizon_days``), are worked out once."""

    def __init__(self, today: date, grace_days: int = 7, horizon_days: int = 0) -> None:
        self.today, self.grace_days = today, grace_days
        self.until = today + timedelta(days=horizon_days)
        self.known: dict[tuple[int, str], tuple[Contract, Requirements]] = {}
        self.calendars: dict[str, Calendar] = {}

    def requirements(self, contract: Contract, stage: str) -> Requirements:
        """``requirements(contract, stage)``, remembered (the contract is kept alive with it)."""
        key = (id(contract), stage)
        if key not in self.known:
            self.known[key] = (contract, requirements(contract, stage))
        return self.known[key][1]

    def calendar(self, cadence: str, since: date) -> Calendar:
        """The calendar of ``cadence`` from at least ``since`` (rebuilt ten years further back
        when a project began earlier, so rebuilds stay rare)."""
        found = self.calendars.get(cadence)
        if found is None or since < found.first:
            first = since if found is None else min(since, found.first - timedelta(days=3650))
            found = Calendar(cadence, max(first, EARLIEST), max(self.until, first))
            self.calendars[cadence] = found
        return found

    def history(self, facts: ProjectFacts, cadence: str) -> History:
        """The periods due from the one reporting began in, and those no report covers."""
        since = max(facts.reporting_since, EARLIEST)
        calendar = self.calendar(cadence, since)
        first = calendar.index(since)
        last = calendar.last_due(self.today, self.grace_days)
        if last < first:
            return History(cadence, 0)
        covered = calendar.covered(facts.reports)
        missing = [i for i in range(first, last + 1) if i not in covered]
        if not missing:
            return History(cadence, last - first + 1)
        return History(cadence, last - first + 1,
                       tuple(calendar.period(i, self.grace_days) for i in missing),
                       _runs(calendar, missing, self.grace_days))

    def pending(self, facts: ProjectFacts, cadence: str, days_ahead: int) -> tuple[Period, ...]:
        """Periods without a report that are not overdue yet and end within ``days_ahead``
        days (or have ended and are in their grace days); needs ``horizon_days`` >=
        ``days_ahead``."""
        since = max(facts.reporting_since, EARLIEST)
        calendar = self.calendar(cadence, since)
        first = max(calendar.index(since), calendar.last_due(self.today, self.grace_days) + 1)
        last = calendar.index(self.today + timedelta(days=days_ahead))
        covered = calendar.covered(facts.reports)
        soon = self.today + timedelta(days=days_ahead)
        return tuple(calendar.period(i, self.grace_days) for i in range(first, last + 1)
                     if i not in covered and calendar.ends[i] <= soon)

    def _reports(self, facts: ProjectFacts, contract: Contract) -> tuple[int, list[Failure]]:
        history = self.history(facts, contract.cadence)
        if not history.missing:
            return history.due, []
        message = missing_message(history, not facts.reports)
        return history.due, [("status_report", history.missing[0].start.isoformat(), message,
                               len(history.missing), tuple(p.start for p in history.missing))]

    def _administration(self, facts: ProjectFacts, contract: Contract,
                        needs: Requirements) -> tuple[int, list[Failure]]:
        failed: list[Failure] = [("required_field", name, f"required field {name} is empty",
                                  1, ()) for name in needs.fields if name in facts.empty_fields]
        due = 0
        if needs.report:
            due, late = self._reports(facts, contract)
            failed += late
        failed += [("artefact", kind, f"artefact {kind} (required from {stage}) is missing", 1,
                    ()) for kind, stage in needs.artefacts if kind not in facts.artefacts]
        return len(needs.fields) + due + len(needs.artefacts), failed

    @staticmethod
    def _governance(facts: ProjectFacts, needs: Requirements) -> tuple[int, list[Failure]]:
        return len(needs.gates), [
            ("gate", g.code, f"entered {g.stage} without passing gate {g.code} '{g.name}'", 1,
             ()) for g in needs.gates if g.code not in facts.gates_passed]

    def project(self, facts: ProjectFacts) -> ProjectResult:
        """Check one project; rules of a practice the EPMO has no authority in are skipped."""
        contract = facts.contract
        if contract is None or facts.stage in UNSCORED_STAGES:
            return ProjectResult(facts.id, facts.department_id, 0, 0)
        needs = self.requirements(contract, facts.stage)
        checks = failed_checks = 0
        findings: list[Finding] = []
        for practice in ("ppm_administration", "portfolio_governance"):
            level = facts.authority.get(practice, "none")
            severity = severity_of(level)
            if severity is None:
                continue
            count, failed = (self._administration(facts, contract, needs)
                             if practice == "ppm_administration"
                             else self._governance(facts, needs))
            checks += count
            for rule, subject, message, weight, periods in failed:
                failed_checks += weight
                findings.append(Finding(facts.id, facts.department_id, rule, practice, level,
                                        severity, subject, message, weight, periods))
        return ProjectResult(facts.id, facts.department_id, checks, checks - failed_checks,
                             tuple(findings))


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
                blocking += finding.count
            else:
                warnings += finding.count
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

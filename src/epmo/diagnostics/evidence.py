"""The hub's own data as measured evidence beside the assessors' opinions.

Four figures, each naming the capability it informs, its period and how it was computed:

- compliance score (assurance): the mean score of the projects checked against their tier's
  reporting contract today, by the compliance domain;
- reporting timeliness (status_reporting): of the reporting periods whose report fell due in
  the window, the share with a report filed by its due day (period end + the grace days);
- time to acknowledge change events (change): the median hours from a change notice to its
  acknowledgement, over the notices the departments received in the window;
- decision lead time (intake): the median days from an intake request's registration to its
  decision, over the requests decided in the window.

No data is None, never 0: a department without projects has no compliance score.
"""

from __future__ import annotations

import statistics
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from epmo.compliance import service as compliance
from epmo.contracts.terms import load_terms
from epmo.diagnostics import repository
from epmo.reporting.periods import DEFAULT_CADENCE, GRACE_DAYS, Period, period_of

WINDOW_DAYS = 90
DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One measured figure; ``value`` None means the hub has no data for it."""

    key: str
    capability: str
    label: str
    value: float | None
    unit: str
    basis: int
    detail: str
    period_start: date
    period_end: date
    method: str

    @property
    def shown(self) -> str:
        """The figure as people read it: "87.5 %", "18.2 hours", or "no data"."""
        return shown(self.value, self.unit)


def shown(value: float | None, unit: str) -> str:
    """A figure with its unit, or "no data"."""
    if value is None:
        return "no data"
    if unit == "%":
        return f"{value:.1f} %"
    if unit == "score":
        return f"{value:.1f} / 100"
    return f"{value:.1f} {unit}"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def departments_of(session: Session, department_id: int | None) -> list[int] | None:
    """The department and every one below it (None: the whole enterprise)."""
    if department_id is None:
        return None
    return compliance.subtree(repository.department_parents(session), department_id)


def measure(session: Session, department_id: int | None, today: date,
            evaluation: compliance.Evaluation | None = None) -> list[Evidence]:
    """Every evidence figure for a department (and below) or the enterprise, as of today
    (``evaluation``: the enterprise's compliance evaluation of today, when already made)."""
    scope = departments_of(session, department_id)
    start = today - timedelta(days=WINDOW_DAYS - 1)
    return [compliance_score(session, department_id, today, evaluation),
            reporting_timeliness(session, scope, start, today),
            acknowledgement_time(session, scope, start, today),
            decision_lead_time(session, scope, start, today)]


def by_department(session: Session, today: date) -> dict[int, list[Evidence]]:
    """The figures of each top-level department (and below), for an enterprise round; the
    compliance evaluation is made once for all of them."""
    evaluation = compliance.evaluate(session, today)
    tops = [d for d, parent in repository.department_parents(session).items() if parent is None]
    return {d: measure(session, d, today, evaluation) for d in sorted(tops)}


def compliance_score(session: Session, department_id: int | None, today: date,
                     evaluation: compliance.Evaluation | None = None) -> Evidence:
    """The compliance domain's score today (the department's subtree, or the enterprise)."""
    if evaluation is None:
        evaluation = compliance.evaluate(session, today, department_id)
    summary = (evaluation.enterprise if department_id is None
               else evaluation.departments.get(department_id))
    count = summary.projects if summary is not None else 0
    value = round(summary.score, 2) if summary is not None and count else None
    return Evidence(
        "compliance_score", "assurance", "Compliance with the minimum standard", value, "score",
        count, f"{count} projects checked" if count else "no project to check",
        today, today,
        "Mean compliance score (0 to 100) of the projects checked today against their tier's "
        "reporting contract: required fields, status reports, artefacts and gates, weighted "
        "by the EPMO's authority (compliance domain).")


def _periods(cadence: str, since: date, start: date, end: date) -> Iterator[Period]:
    """The periods of ``cadence`` whose report fell due in [start, end], ending on or after
    ``since``."""
    period = period_of(cadence, max(since, start - timedelta(days=GRACE_DAYS + 62)))
    while period.due <= end:
        if period.due >= start and period.end >= since:
            yield period
        period = period_of(cadence, period.end + DAY)


def reporting_timeliness(session: Session, departments: Collection[int] | None, start: date,
                         end: date) -> Evidence:
    """Share of due reporting periods with a report filed by the due day."""
    terms = load_terms(session)
    projects = repository.reporting_projects(session, departments)
    filed = {(p, s): _aware(at) for p, s, at in
             repository.report_submissions(session, [row[0] for row in projects])}
    due = on_time = late = 0
    for ident, department, tier, created, actual, planned in projects:
        contract = terms.for_project(department, tier)
        cadence = contract.cadence if contract is not None else DEFAULT_CADENCE
        since = compliance.reporting_since(created, actual, planned)
        for period in _periods(cadence, since, start, end):
            due += 1
            at = filed.get((ident, period.start))
            if at is not None and at.date() <= period.due:
                on_time += 1
            elif at is not None:
                late += 1
    value = round(100 * on_time / due, 2) if due else None
    return Evidence(
        "reporting_timeliness", "status_reporting", "Status reports on time", value, "%", due,
        f"{on_time} on time, {late} late, {due - on_time - late} missing of {due} due"
        if due else "no report fell due", start, end,
        f"Of the reporting periods whose report fell due in the period (at the cadence of each "
        f"project's contract, or {DEFAULT_CADENCE} without one; due {GRACE_DAYS} days after "
        f"the period ends), the share with a report filed by its due day. Projects now "
        f"planning, executing or closing.")


def acknowledgement_time(session: Session, departments: Collection[int] | None, start: date,
                         end: date) -> Evidence:
    """Median hours from a change notice to its acknowledgement."""
    rows = repository.change_responses(session, departments, _start_of(start),
                                       _start_of(end + DAY))
    hours = [(_aware(ack) - _aware(sent)).total_seconds() / 3600 for sent, ack in rows
             if ack is not None]
    value = round(statistics.median(hours), 2) if hours else None
    return Evidence(
        "acknowledgement_hours", "change", "Time to acknowledge change events", value, "hours",
        len(rows), f"{len(hours)} of {len(rows)} notices acknowledged" if rows
        else "no change notice received", start, end,
        "Median hours from the notice of a change event (a moved date rippling through the "
        "dependency network) to its acknowledgement by the affected department, over the "
        "notices received in the period; notices not yet acknowledged are counted in the "
        "detail, not in the median.")


def decision_lead_time(session: Session, departments: Collection[int] | None, start: date,
                       end: date) -> Evidence:
    """Median days from an intake request's registration to its decision."""
    rows = repository.decisions(session, departments, _start_of(start), _start_of(end + DAY))
    days = [(_aware(decided) - _aware(made)).total_seconds() / 86400 for made, decided in rows]
    value = round(statistics.median(days), 2) if days else None
    return Evidence(
        "decision_lead_days", "intake", "Decision lead time", value, "days", len(days),
        f"{len(days)} requests decided" if days else "no request decided", start, end,
        "Median days from an intake request's first submission to its decision (approve, not "
        "yet, reject or defer), over the requests decided in the period.")

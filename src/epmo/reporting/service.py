"""Named writes of the reporting domain: status reports and RAID items.

A submitted report is checked against the project's reporting contract under the EPMO's
authority in PPM administration (see ``governance``); the newest report of a project sets
the project's health and, when given, its forecast finish and forecast budget.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.contracts import tiering
from epmo.editing import apply, changes_of, check_version
from epmo.errors import Conflict, FieldError, Invalid
from epmo.org.policy import access_department_or_404
from epmo.portfolio.models import Project
from epmo.portfolio.policy import access_programme_or_404
from epmo.portfolio.repository import department_and_below
from epmo.reporting import health_store, policy, repository
from epmo.reporting.governance import (
    Governance,
    Rules,
    choose_period,
    enforce,
    lateness,
    period_field,
    shortfalls,
)
from epmo.reporting.models import RaidItem, StatusReport
from epmo.reporting.periods import Period
from epmo.reporting.schemas import (
    RAID_NULLABLE,
    REPORT_NULLABLE,
    RaidCreate,
    RaidUpdate,
    StatusReportCreate,
    StatusReportUpdate,
    TopRiskRead,
)

PERIOD_FIELDS = frozenset({"period_start", "period"})
HAVE = {"probability": "only risks have a probability",
        "impact": "only risks and issues have an impact"}


@dataclass
class Submission:
    """A stored report and the shortfalls the charter let through as warnings."""

    report: StatusReport
    warnings: list[FieldError] = field(default_factory=list)


def _fail(errors: list[FieldError]) -> None:
    if errors:
        raise Invalid("; ".join(f"{e.field}: {e.message}" for e in errors), errors)


def _checked(period: Period | FieldError) -> Period:
    if isinstance(period, FieldError):
        raise Invalid(f"{period.field}: {period.message}", [period])
    return period


def forecast_errors(project: Project, values: Mapping[str, Any]) -> list[FieldError]:
    """A forecast finish before the project's (forecast or actual) start."""
    finish = values.get("forecast_finish")
    start = project.forecast_start or project.actual_start
    if finish is not None and start is not None and finish < start:
        return [FieldError("forecast_finish", f"must not be before the project's start {start}")]
    return []


def duplicate_message(project: Project, period: Period) -> str:
    """How a second report for one project and period is refused."""
    return (f"{project.code} already has a status report for {period.label} (the period "
            f"starting {period.start})")


def _ensure_free(session: Session, project: Project, period: Period,
                 exclude_id: int | None = None) -> None:
    existing = repository.report_for_period(session, project.id, period.start, exclude_id)
    if existing is not None:
        message = duplicate_message(project, period)
        raise Conflict(message, [FieldError("period_start", message)],
                       {"report_id": existing.id})


# --- status reports ---------------------------------------------------------------------


def submit_status_report(session: Session, actor: Actor, project_id: int,
                         data: StatusReportCreate, source: str = "api", *,
                         today: date | None = None) -> Submission:
    """Store a project's report for one period, as the charter and the contract allow."""
    today = today or date.today()
    project = policy.access_project_or_404(session, actor, project_id)
    rules = Governance(session).rules(project)
    policy.require_submit(actor, project, rules.authority)
    period = _checked(choose_period(rules.cadence, data.period_start, data.period, today))
    values = data.model_dump(exclude=set(PERIOD_FIELDS))
    _fail(forecast_errors(project, values))
    _ensure_free(session, project, period)
    field = period_field(data.model_dump())
    warnings = enforce(rules, shortfalls(rules, values)) + lateness(rules, period, today, field)
    report = store_report(session, actor, project, period, values, source)
    return Submission(report, warnings)


def store_report(session: Session, actor: Actor, project: Project, period: Period,
                 values: Mapping[str, Any], source: str) -> StatusReport:
    """Write a checked report and, if it is the project's newest, carry it to the project."""
    report = StatusReport(project_id=project.id, period_start=period.start,
                          period_end=period.end, source=source,
                          submitted_by_id=actor.id or None, **values)
    session.add(report)
    session.flush()
    carry_to_project(session, project, report)
    health_store.refresh_projects(session, [project.id])  # the report's and the project's
    return report


def carry_to_project(session: Session, project: Project, report: StatusReport) -> None:
    """The newest report sets the project's health and, when given, its forecasts."""
    latest = repository.latest_period(session, project.id)
    if latest is not None and report.period_start < latest:
        return
    changes: dict[str, Any] = {"health": report.overall}
    if report.forecast_finish is not None:
        changes["forecast_finish"] = report.forecast_finish
    if report.forecast_cost is not None:
        changes["budget_forecast"] = report.forecast_cost
    changed = {k: v for k, v in changes.items() if getattr(project, k) != v}
    if changed:
        apply(project, changed)
        tiering.assign_tier(session, project)
        session.flush()


def _new_period(session: Session, rules: Rules, project: Project, report: StatusReport,
                changes: dict[str, Any], today: date) -> Period | None:
    start, any_day = changes.pop("period_start", None), changes.pop("period", None)
    if start is None and any_day is None:
        return None
    period = _checked(choose_period(rules.cadence, start, any_day, today))
    _ensure_free(session, project, period, exclude_id=report.id)
    return period


def update_status_report(session: Session, actor: Actor, report_id: int,
                         data: StatusReportUpdate, *, today: date | None = None) -> Submission:
    """Change a report (send the version you read); the contract is checked again."""
    report = policy.access_report_or_404(session, actor, report_id)
    project = session.get(Project, report.project_id)
    assert project is not None
    rules = Governance(session).rules(project)
    policy.require_submit(actor, project, rules.authority)
    check_version(report, data.version)
    changes = changes_of(data, REPORT_NULLABLE | PERIOD_FIELDS)
    period = _new_period(session, rules, project, report, changes, today or date.today())
    _fail(forecast_errors(project, changes))
    merged = {name: getattr(report, name) for name in REPORT_NULLABLE} | changes
    warnings = enforce(rules, shortfalls(rules, merged))
    if period is not None:
        changes |= {"period_start": period.start, "period_end": period.end}
    apply(report, changes)
    session.flush()
    carry_to_project(session, project, report)
    health_store.refresh_projects(session, [project.id])
    return Submission(report, warnings)


def delete_status_report(session: Session, actor: Actor, report_id: int, version: int) -> None:
    """Delete a report (send the version you read); the project keeps its health."""
    report = policy.access_report_or_404(session, actor, report_id)
    project = session.get(Project, report.project_id)
    assert project is not None
    policy.require_submit(actor, project, Governance(session).authority(project.department_id))
    check_version(report, version)
    session.delete(report)
    session.flush()


# --- RAID -------------------------------------------------------------------------------


def raid_errors(session: Session, values: Mapping[str, Any]) -> list[FieldError]:
    """Ratings that do not fit the kind, an unknown owner, a due date before raised."""
    kind = values["kind"]
    wants = {"risk": ("probability", "impact"), "issue": ("impact",)}.get(kind, ())
    errors = [FieldError(name, f"required for a {kind} (1..5)")
              for name in wants if values.get(name) is None]
    errors += [FieldError(name, f"{HAVE[name]}; leave it empty")
               for name in ("probability", "impact")
               if name not in wants and values.get(name) is not None]
    owner = values.get("owner_id")
    if owner is not None and not repository.people_exist(session, [owner]):
        errors.append(FieldError("owner_id", f"no such person: {owner}"))
    raised, due = values.get("raised_on"), values.get("due_on")
    if raised is not None and due is not None and due < raised:
        errors.append(FieldError("due_on", "must not be before raised_on"))
    return errors


def score_of(values: Mapping[str, Any]) -> int | None:
    """Probability x impact for a risk; nothing for other kinds."""
    if values["kind"] != "risk" or values.get("probability") is None:
        return None
    return int(values["probability"]) * int(values.get("impact") or 0)


def create_raid_item(session: Session, actor: Actor, project_id: int,
                     data: RaidCreate) -> RaidItem:
    """Add a risk, issue, decision or change request to a project's register."""
    project = policy.writable_project_or_404(session, actor, project_id)
    values = data.model_dump()
    _fail(raid_errors(session, values))
    item = RaidItem(project_id=project.id, score=score_of(values), **values)
    session.add(item)
    session.flush()
    return item


def update_raid_item(session: Session, actor: Actor, project_id: int, item_id: int,
                     data: RaidUpdate) -> RaidItem:
    """Change a RAID item (send the version you read); closing is ``status: closed``."""
    item = policy.writable_raid_or_404(session, actor, project_id, item_id)
    check_version(item, data.version)
    changes = changes_of(data, RAID_NULLABLE)
    merged = {name: getattr(item, name) for name in RaidCreate.model_fields} | changes
    _fail(raid_errors(session, merged))
    apply(item, changes | {"score": score_of(merged)})
    session.flush()
    return item


def delete_raid_item(session: Session, actor: Actor, project_id: int, item_id: int,
                     version: int) -> None:
    """Remove an item from a project's register (send the version you read)."""
    item = policy.writable_raid_or_404(session, actor, project_id, item_id)
    check_version(item, version)
    session.delete(item)
    session.flush()


def top_risks(session: Session, actor: Actor, department_id: int | None,
              programme_id: int | None, limit: int) -> list[TopRiskRead]:
    """Open risks by score across what the actor may read; a department includes those below."""
    departments = None
    if department_id is not None:
        access_department_or_404(session, actor, department_id)
        departments = department_and_below(session, department_id)
    if programme_id is not None:
        access_programme_or_404(session, actor, programme_id)
    query = repository.top_risks_query(policy.project_scope(actor), departments, programme_id)
    return repository.top_risks(session, query, limit)

"""Snapshot files: one row per project and date becomes the project and its status history.

The latest row of each project (by ``as_of``) is planned as an ordinary project row; every row
becomes the status report of the reporting period holding its date (the project's contract
sets the cadence). A row's ``rag`` is the report's overall colour; without one, the colour the
contract's thresholds derive from the row's forecasts against the project's baseline (the one
``reporting.health_store`` then stores as ``derived_health``) stands in. A period that already
has a report is updated when the file says something else and left alone otherwise, so
importing the same file again changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.engines.rag import Facts, derive
from epmo.errors import Invalid
from epmo.files.cells import DayCell, as_choice
from epmo.files.entities import Column, Entity
from epmo.files.problems import Row
from epmo.imports import repository
from epmo.imports.core import Context
from epmo.imports.entities import ENTITIES
from epmo.imports.schemas import ProjectRow
from epmo.imports.writes import Plan
from epmo.portfolio.events import columns_of, new_project
from epmo.portfolio.models import Project
from epmo.portfolio.schemas import Health
from epmo.reporting import policy as reporting_policy
from epmo.reporting import service as reporting
from epmo.reporting.governance import Governance, Rules, choose_period, enforce, shortfalls
from epmo.reporting.models import StatusReport
from epmo.reporting.periods import Period
from epmo.reporting.schemas import StatusReportUpdate
from epmo.reporting.upload import ReportCells

DIMENSIONS = ("schedule", "cost", "scope", "risk", "resources")
NARRATIVE = ("achievements", "next_steps", "decisions_needed", "key_risks", "key_issues")
SNAPSHOT_ONLY = ("as_of", "rag", *DIMENSIONS, *NARRATIVE)
RANK = {"green": 0, "amber": 1, "red": 2}
Colour = Annotated[Health, BeforeValidator(as_choice)]


class SnapshotRow(ProjectRow, ReportCells):
    """A row of a project snapshot file: a project as it stood on ``as_of``, and its status."""

    as_of: DayCell | None = None
    rag: Colour | None = None


_PROJECTS = ENTITIES["projects"]
SNAPSHOTS = Entity(
    "projects", "Project snapshots", _PROJECTS.who, (
        *_PROJECTS.columns,
        Column("as_of", "The date the row describes the project on, needed on every row; one "
               "row per project and date.", date(2025, 3, 31), "date"),
        Column("rag", "The overall status that day: green, amber or red; empty: the colour "
               "the contract's thresholds derive from the row's forecasts.", "green"),
        *(Column(name, f"The report's {name} colour that day: green, amber or red; may be "
                 "empty.", "") for name in DIMENSIONS),
        *(Column(name, f"The report's {name.replace('_', ' ')}, free text.", "", empty="blank")
          for name in NARRATIVE),
    ), SnapshotRow)


@dataclass(slots=True)
class ReportItem:
    """One row's status report: to create (``stored`` None), to update, or unchanged."""

    row: int
    code: str
    period: Period
    values: dict[str, Any]
    stored: StatusReport | None

    @property
    def changed(self) -> bool:
        """True when writing would create or change a report."""
        return self.stored is None or any(
            getattr(self.stored, key) != value for key, value in self.values.items())


def latest_rows(ctx: Context, rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """Each project's latest row (without its snapshot columns), and the rows to report on:
    a project's date repeated on a later row is an error, and that row goes no further."""
    latest: dict[str, Row] = {}
    seen: dict[tuple[str, date], int] = {}
    dated = []
    for row in rows:
        key = (row.code, row.values["as_of"])
        if key in seen:
            ctx.error(row, "as_of", f"{row.code} on {key[1]} is also on row {seen[key]}")
            continue
        seen[key] = row.number
        dated.append(row)
        if row.code not in latest or latest[row.code].values["as_of"] <= key[1]:
            latest[row.code] = row
    register = [Row(row.number, {k: v for k, v in row.values.items() if k not in SNAPSHOT_ONLY})
                for row in sorted(latest.values(), key=lambda r: r.number)]
    return register, dated


def plan_reports(ctx: Context, rows: list[Row], plan: Plan, today: date) -> list[ReportItem]:
    """A status report per row, checked as the reporting domain would check it."""
    items = {item.code: item for item in plan.items}
    governance = Governance(ctx.session)
    stored = repository.reports_by_period(
        ctx.session, [item.obj.id for item in plan.items if item.obj is not None])
    taken: dict[tuple[str, date], int] = {}
    out = []
    for row in rows:  # in file order: of two rows in one period, the later one is refused
        item = items.get(row.code)
        if item is None:  # the project row itself was refused
            continue
        project = standing(item.obj, item.values)
        rules = governance.rules(project)
        report = _plan_report(ctx, row, rules, project, today, taken)
        if report is not None and _may_submit(ctx, row, project, rules, report.values):
            if item.obj is not None:
                report.stored = stored.get((item.obj.id, report.period.start))
            out.append(report)
    return out


def standing(obj: Project | None, values: Mapping[str, Any]) -> Project:
    """The project as it will stand after the import: a detached copy to judge reports on."""
    merged = columns_of(obj) | dict(values) if obj is not None else new_project(values)
    return Project(**{key: value for key, value in merged.items() if key != "id"})


def _may_submit(ctx: Context, row: Row, project: Project, rules: Rules,
                values: Mapping[str, Any]) -> bool:
    """The reporting domain's own checks: who may report, and forecasts after the start."""
    refusal = reporting_policy.submit_refusal(ctx.actor, project, rules.authority)
    if refusal is not None:
        ctx.error(row, "as_of", refusal)
        return False
    errors = reporting.forecast_errors(project, values)
    for error in errors:
        ctx.error(row, error.field, error.message)
    return not errors


def _plan_report(ctx: Context, row: Row, rules: Rules, project: Project, today: date,
                 taken: dict[tuple[str, date], int]) -> ReportItem | None:
    period = choose_period(rules.cadence, None, row.values["as_of"], today)
    if not isinstance(period, Period):
        ctx.error(row, "as_of", period.message)
        return None
    if (row.code, period.start) in taken:
        ctx.error(row, "as_of", f"falls in the {rules.cadence} period {period.label} of row "
                  f"{taken[row.code, period.start]}; one report per period")
        return None
    taken[row.code, period.start] = row.number
    values = {"overall": row.values.get("rag"),
              "forecast_finish": row.values.get("forecast_finish"),
              "forecast_cost": row.values.get("budget_forecast")}
    values |= {name: row.values[name] for name in DIMENSIONS if row.has(name)}
    values |= {name: row.values[name] or "" for name in NARRATIVE if row.has(name)}
    if values["overall"] is None:
        values["overall"] = _derived(rules, project, values)
        if values["overall"] is None:
            ctx.error(row, "rag", "is empty and no colour can be derived (the row needs a "
                      "forecast finish or cost and the project a baseline the contract's "
                      "thresholds can band); give a rag column or a default")
            return None
    return _checked(ctx, row, rules, period, values)


def _derived(rules: Rules, project: Project, values: Mapping[str, Any]) -> str | None:
    """The worse of the schedule and cost colours the contract's thresholds give."""
    derived = derive(Facts(project.baseline_finish, values["forecast_finish"],
                           project.budget_planned, values["forecast_cost"]), rules.thresholds)
    colours = [c for c in (derived.schedule, derived.cost) if c is not None]
    return max(colours, key=RANK.__getitem__) if colours else None


def _checked(ctx: Context, row: Row, rules: Rules, period: Period,
             values: dict[str, Any]) -> ReportItem | None:
    """The contract's required dimensions: warnings, or errors under blocking authority."""
    try:
        warnings = enforce(rules, shortfalls(rules, values))
    except Invalid as exc:
        for error in exc.errors:
            ctx.error(row, error.field, f"{error.message} (the EPMO's {rules.authority} "
                      "authority refuses the report)")
        return None
    for warning in warnings:
        ctx.warn(row, warning.field, warning.message)
    return ReportItem(row.number, row.code, period, values, None)


def write_reports(session: Session, actor: Actor, reports: list[ReportItem], plan: Plan,
                  today: date) -> None:
    """Write the checked reports through the reporting domain's services.

    New reports go through ``store_report`` (planning ran the checks ``submit_status_report``
    makes, once for the whole file), newest first, so only each project's newest one carries
    its health and forecasts to the project. Changed reports go through
    ``update_status_report``, as on the period's due day at the latest, so history is not
    flagged late by its own import.
    """
    projects = {item.code: item.obj for item in plan.items if item.obj is not None}
    for report in sorted(reports, key=lambda r: r.period.start, reverse=True):
        if report.stored is None:
            reporting.store_report(session, actor, projects[report.code], report.period,
                                   report.values, "upload")
        elif report.changed:
            update = StatusReportUpdate(version=report.stored.version, **report.values)
            reporting.update_status_report(session, actor, report.stored.id, update,
                                           today=min(today, report.period.due))

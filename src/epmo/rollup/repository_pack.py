"""Reads of the executive pack beyond the roll-up: the projects that slip most and the
narrative (achievements, decisions needed) of the worst projects' latest reports.

Both read a project's status in the month exactly as the roll-up does (its latest report
starting before the month ends, among the projects that count), through the roll-up
repository's building blocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from epmo.org.models import Department
from epmo.portfolio.models import Project
from epmo.reporting.health import HealthRule
from epmo.rollup.months import Month
from epmo.rollup.repository import counted_where, health_of, latest_status
from epmo.sql import DaysBetween

_RANK = {"red": 0, "amber": 1}


@dataclass(frozen=True, slots=True)
class Slip:
    """A project whose latest forecast finish lies after its baseline finish."""

    project_id: int
    code: str
    name: str
    department: str
    baseline_finish: date
    forecast_finish: date
    days: int


@dataclass(frozen=True, slots=True)
class Narrative:
    """The words of a red or amber project's latest report."""

    project_id: int
    code: str
    name: str
    department: str
    health: str
    reported_for: date
    achievements: str
    decisions_needed: str


def top_slips(session: Session, month: Month, projects: ColumnElement[bool], limit: int,
              which: str = "active") -> list[Slip]:
    """The ``limit`` counted projects whose latest report forecasts the latest finish against
    the baseline (days late, most first; projects on time or early are left out)."""
    status = latest_status(month)
    days = DaysBetween(Project.baseline_finish, status.c.forecast_finish)
    query = (
        select(Project.id, Project.code, Project.name, Department.code,
               Project.baseline_finish, status.c.forecast_finish, days)
        .join(status, status.c.project_id == Project.id)
        .join(Department, Department.id == Project.department_id)
        .where(counted_where(month, projects, which), Project.baseline_finish.is_not(None),
               status.c.forecast_finish > Project.baseline_finish)
        .order_by(days.desc(), Project.code).limit(limit)
    )
    return [Slip(project_id=row[0], code=row[1], name=row[2], department=row[3],
                 baseline_finish=row[4], forecast_finish=row[5], days=int(row[6]))
            for row in session.execute(query)]


def worst_narratives(session: Session, month: Month, projects: ColumnElement[bool],
                     limit: int, rule: HealthRule | None = None,
                     which: str = "active") -> list[Narrative]:
    """The latest reports' words of the ``limit`` worst counted projects: red, then amber
    (by the colour that counts), larger planned budget first."""
    status = latest_status(month)
    counts = health_of(rule, status)
    colour: Any = status.c.overall if counts is None else counts.counted
    rank = case(_RANK, value=colour, else_=2)
    query = (
        select(Project.id, Project.code, Project.name, Department.code, colour,
               status.c.period_start, status.c.achievements, status.c.decisions_needed)
        .join(status, status.c.project_id == Project.id)
        .join(Department, Department.id == Project.department_id)
        .where(counted_where(month, projects, which), colour.in_(tuple(_RANK)))
        .order_by(rank, func.coalesce(Project.budget_planned, 0).desc(), Project.code)
        .limit(limit)
    )
    return [Narrative(row[0], row[1], row[2], row[3], row[4], row[5], row[6] or "",
                      row[7] or "") for row in session.execute(query)]

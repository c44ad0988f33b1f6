"""Reads of the roll-up: a few set-based queries per level and month, never one per project.

A project's status in a month is its latest status report whose period starts before the
month ends: one starting in the month, else the last earlier one (carried forward). A
project that finished before the month began no longer counts. A project registered by the
month's end with no report yet counts with an unknown colour (never as green). A reported
colour is the one the charter says counts (``reporting.health``: reported, derived from the
report's forecasts (stored in ``derived_health``), or the worse of the two).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    Subquery,
    and_,
    case,
    func,
    literal_column,
    null,
    or_,
    select,
)
from sqlalchemy.orm import Session

from epmo.compliance.models import ComplianceSnapshot
from epmo.org.models import Department, Person
from epmo.portfolio.models import (
    CLOSED_STAGES,
    Portfolio,
    Programme,
    Project,
    ProjectPortfolio,
)
from epmo.reporting import health
from epmo.reporting.health import HealthRule
from epmo.reporting.models import RaidItem, StatusReport
from epmo.rollup.months import Month
from epmo.sql import MoneySum
from epmo.strategy.models import Goal

_ZERO = Decimal("0.00")
_RANK = {"red": 0, "amber": 1, "green": 2}  # matrix order: worst first


@dataclass(frozen=True, slots=True)
class Node:
    """A programme, portfolio, department or goal as the roll-up lists it."""

    id: int
    code: str
    name: str
    parent_id: int | None = None
    rule: str | None = None  # portfolios only: their own roll-up rule


@dataclass(frozen=True, slots=True)
class StatusRow:
    """Projects sharing a node key and a colour in one month, with their sums."""

    key: Any  # a node id, or for goals the comma-separated ids of the goals served
    colour: str | None
    count: int
    planned: Decimal
    forecast: Decimal
    unbudgeted: int
    carried: int
    differs: int = 0  # projects whose reported and derived colours differ


@dataclass(frozen=True, slots=True)
class MatrixEntry:
    """A project's latest report in the month as the RAG matrix shows it."""

    project_id: int
    code: str
    name: str
    department: str
    overall: str
    dimensions: dict[str, str | None]
    reported_for: date
    planned: Decimal
    reported: str = ""
    derived: str | None = None


def latest_report_start(session: Session) -> date | None:
    """Start of the most recent reporting period any status report is for."""
    return session.scalar(select(func.max(StatusReport.period_start)))


def latest_status(month: Month) -> Subquery:
    """Each project's latest report starting before the month ends (its status that month)."""
    latest = (select(StatusReport.project_id, func.max(StatusReport.period_start).label("start"))
              .where(StatusReport.period_start < month.end)
              .group_by(StatusReport.project_id).subquery("latest"))
    return (
        select(StatusReport)
        .join(latest, and_(latest.c.project_id == StatusReport.project_id,
                           latest.c.start == StatusReport.period_start))
        .subquery("status")
    )


def counted_where(month: Month, projects: ColumnElement[bool],
             status: str = "all") -> ColumnElement[bool]:
    """Projects in the filter and status that count in the month.

    all: those that had not finished before the month began. active: of those, not a closed
    or cancelled project without a finish date (one with a date counts up to its last month).
    closed: closed or cancelled projects that finished before the month or have no date.
    """
    closed_now = Project.stage.in_(CLOSED_STAGES)
    if status == "closed":
        return and_(projects, closed_now, or_(Project.actual_finish.is_(None),
                                              Project.actual_finish < month.start))
    counted = and_(projects, or_(Project.actual_finish.is_(None),
                                 Project.actual_finish >= month.start))
    if status == "active":
        counted = and_(counted, or_(~closed_now, Project.actual_finish.is_not(None)))
    return counted


def unreported_where(month: Month) -> ColumnElement[bool]:
    """Projects registered by the month's end with no report for it or before (unknown).

    A NOT EXISTS on the report index, not a LEFT JOIN to the month's statuses: SQLite scans a
    materialised subquery once per project in a LEFT JOIN (minutes at 50,000 projects).
    """
    reported = (select(StatusReport.id)
                .where(StatusReport.project_id == Project.id,
                       StatusReport.period_start < month.end))
    return and_(Project.created_at < month.end, ~reported.exists())


def health_of(rule: HealthRule | None, status: FromClause) -> health.Health | None:
    """The colour that counts for a month's status reports (None: the reported one)."""
    if rule is None:
        return None
    return health.expressions(rule, health.Stored(
        reported=status.c.overall, derived=status.c.derived_health,
        department_id=Project.department_id))


def _flag() -> Any:
    unbudgeted = or_(Project.budget_planned.is_(None), Project.budget_planned <= 0)
    return func.sum(case((unbudgeted, 1), else_=0))


def _aggregate(key: Any, status: Subquery, month: Month,
               rule: HealthRule | None = None) -> Select[Any]:
    """Count and sums per key and colour of the projects with a status in the month (the
    caller adds the joins for the key)."""
    carried = func.sum(case((status.c.period_start < month.start, 1), else_=0))
    forecast = func.coalesce(status.c.forecast_cost, Project.budget_forecast)
    counts = health_of(rule, status)
    colour = status.c.overall if counts is None else counts.counted
    differs = func.sum(case((counts.differs, 1), else_=0)) if counts else literal_column("0")
    return (
        select(key, colour, func.count(), MoneySum(Project.budget_planned),
               MoneySum(forecast), _flag(), carried, differs)
        .select_from(Project).join(status, status.c.project_id == Project.id)
        .group_by(key, colour)
    )


def _aggregate_unknown(key: Any, month: Month) -> Select[Any]:
    """The same figures for the projects with no report yet: their colour is NULL (unknown).

    The unreported projects are found in a subquery of their ids: written as a filter of the
    grouped query, SQLite walks the covering index on (department, stage, health, money) for
    the GROUP BY and looks every project up for its dates, 5-7x one pass over the table
    (75 vs 11 ms on the large demo, 147 vs 25 ms when every project was registered by the
    month).
    """
    unknown = select(Project.id).where(unreported_where(month)).correlate(None)
    return (
        select(key, null(), func.count(), MoneySum(Project.budget_planned),
               MoneySum(Project.budget_forecast), _flag(), literal_column("0").label("carried"),
               literal_column("0").label("differs"))
        .select_from(Project).where(Project.id.in_(unknown)).group_by(key)
    )


def status_rows(session: Session, level: str, month: Month, projects: ColumnElement[bool],
                rule: HealthRule | None = None, which: str = "all") -> list[StatusRow]:
    """Status per (node key, colour) of the counted projects, for one level and month;
    projects with no report yet count with the colour None (unknown)."""
    status = latest_status(month)
    keys = {"programme": Project.programme_id, "portfolio": ProjectPortfolio.portfolio_id,
            "department": Project.department_id, "goal": Project.goal_set}
    key: Any = keys[level]

    def for_level(query: Select[Any]) -> Select[Any]:
        if level == "programme":
            query = query.where(Project.programme_id.is_not(None))
        elif level == "portfolio":
            query = query.join(ProjectPortfolio, ProjectPortfolio.project_id == Project.id)
        elif level == "goal":  # the projects serving any goal, by their stored goal set
            query = query.where(Project.goal_set.is_not(None))
        return query.where(counted_where(month, projects, which))

    rows = [*session.execute(for_level(_aggregate(key, status, month, rule))),
            *session.execute(for_level(_aggregate_unknown(key, month)))]
    return [StatusRow(row[0], row[1], int(row[2]), row[3] or _ZERO, row[4] or _ZERO,
                      int(row[5] or 0), int(row[6] or 0), int(row[7] or 0)) for row in rows]


class Counted(NamedTuple):
    """How many projects have a status in the month, how many of them carry it forward from
    a report of an earlier month, how many registered projects have none yet (unknown), and
    how many have reported and derived colours that differ."""

    total: int
    carried: int
    unreported: int
    differing: int


def counted(session: Session, month: Month, projects: ColumnElement[bool],
            rule: HealthRule | None = None, which: str = "all") -> Counted:
    """The month's counts of ``projects`` in the status filter ``which`` (see ``Counted``)."""
    status = latest_status(month)
    carried = func.sum(case((status.c.period_start < month.start, 1), else_=0))
    counts = health_of(rule, status)
    differs = func.sum(case((counts.differs, 1), else_=0)) if counts else literal_column("0")
    where = counted_where(month, projects, which)
    query = (select(func.count(), carried, differs).select_from(Project)
             .join(status, status.c.project_id == Project.id).where(where))
    total, earlier, differing = session.execute(query).one()
    unknown = session.scalar(select(func.count()).select_from(Project)
                             .where(where, unreported_where(month)))
    return Counted(int(total or 0), int(earlier or 0), int(unknown or 0), int(differing or 0))


def closed_total(session: Session, month: Month, projects: ColumnElement[bool]) -> int:
    """How many closed or cancelled ``projects`` have a status in the month (a report starting
    before it ends): the count ``counted(..., "closed")`` gives, without joining every
    project's latest report (one report per project and period start)."""
    reported = (select(StatusReport.id)
                .where(StatusReport.project_id == Project.id,
                       StatusReport.period_start < month.end))
    query = (select(func.count()).select_from(Project)
             .where(counted_where(month, projects, "closed"), reported.exists()))
    return int(session.scalar(query) or 0)


def list_nodes(session: Session, level: str, scope: ColumnElement[bool]) -> list[Node]:
    """The nodes of a level within ``scope``, ordered by code."""
    if level == "portfolio":
        query = select(Portfolio.id, Portfolio.code, Portfolio.name,
                       Portfolio.rollup_rule).where(scope).order_by(Portfolio.code)
        return [Node(r[0], r[1], r[2], None, r[3]) for r in session.execute(query)]
    model: Any = {"programme": Programme, "department": Department, "goal": Goal}[level]
    parent = model.id if level == "programme" else model.parent_id
    tree: Select[Any] = select(model.id, model.code, model.name, parent).where(scope)
    return [Node(r[0], r[1], r[2], None if level == "programme" else r[3])
            for r in session.execute(tree.order_by(model.code))]


def rag_matrix(session: Session, month: Month, projects: ColumnElement[bool], limit: int,
               rule: HealthRule | None = None,
               which: str = "all") -> tuple[list[MatrixEntry], int]:
    """The ``limit`` worst counted projects (red first, then largest budget) and how many;
    ``overall`` is the colour that counts, beside the reported and derived ones."""
    status = latest_status(month)
    base = (select(Project.id).join(status, status.c.project_id == Project.id)
            .where(counted_where(month, projects, which)))
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    counts = health_of(rule, status)
    colour = status.c.overall if counts is None else counts.counted
    derived = null() if counts is None else counts.derived
    rank = case(_RANK, value=colour, else_=3)
    names = ("schedule", "cost", "scope", "risk", "resources")
    dims = [status.c[name] for name in names]
    query = (base.with_only_columns(
        Project.id, Project.code, Project.name, Department.code, colour,
        status.c.period_start, Project.budget_planned, status.c.overall, derived, *dims)
        .join(Department, Department.id == Project.department_id)
        .order_by(rank, Project.budget_planned.desc(), Project.code).limit(limit))
    entries = [
        MatrixEntry(r[0], r[1], r[2], r[3], r[4], dict(zip(names, r[9:], strict=True)),
                    r[5], r[6] or _ZERO, r[7], r[8])
        for r in session.execute(query)
    ]
    return entries, total


def top_risks(session: Session, month: Month, projects: ColumnElement[bool],
              limit: int) -> Sequence[Any]:
    """The open risks raised by the month's end, highest score first."""
    query = (
        select(RaidItem.id, Project.code, Project.name, RaidItem.title, RaidItem.probability,
               RaidItem.impact, RaidItem.score, Person.name, RaidItem.response, RaidItem.due_on)
        .join(Project, Project.id == RaidItem.project_id)
        .outerjoin(Person, Person.id == RaidItem.owner_id)
        .where(RaidItem.kind == "risk", RaidItem.status == "open", projects,
               or_(RaidItem.raised_on.is_(None), RaidItem.raised_on < month.end))
        .order_by(func.coalesce(RaidItem.score, -1).desc(), RaidItem.id).limit(limit)
    )
    return session.execute(query).all()


def compliance_rows(session: Session, month: Month,
                    department_ids: Collection[int] | None) -> Sequence[Any]:
    """Each department's (None: the enterprise's) last compliance snapshot in the month."""
    CS = ComplianceSnapshot
    who = (CS.department_id.is_(None) if department_ids is None
           else CS.department_id.in_(sorted(department_ids)))
    last = (select(CS.department_id, func.max(CS.taken_on).label("day"))
            .where(who, CS.taken_on >= month.start, CS.taken_on < month.end)
            .group_by(CS.department_id).subquery("last"))
    query = (
        select(CS.department_id, Department.code, Department.name, CS.taken_on, CS.score,
               CS.projects, CS.blocking, CS.warnings)
        .join(last, and_(CS.department_id.is_not_distinct_from(last.c.department_id),
                         CS.taken_on == last.c.day))
        .outerjoin(Department, Department.id == CS.department_id)
        .order_by(Department.code)
    )
    return session.execute(query).all()


def department_subtree(session: Session, department_id: int) -> list[int]:
    """The department and every department below it."""
    pairs = session.execute(select(Department.id, Department.parent_id)).all()
    below: dict[int, list[int]] = {}
    for child, parent in pairs:
        if parent is not None:
            below.setdefault(parent, []).append(child)
    found, seen = [department_id], {department_id}
    for node in found:  # appending while iterating walks the tree
        fresh = [c for c in below.get(node, ()) if c not in seen]
        found += fresh
        seen.update(fresh)
    return found


def in_portfolio(portfolio_id: int) -> ColumnElement[bool]:
    """Projects that are members of a portfolio."""
    members = select(ProjectPortfolio.project_id).where(
        ProjectPortfolio.portfolio_id == portfolio_id)
    return Project.id.in_(members)

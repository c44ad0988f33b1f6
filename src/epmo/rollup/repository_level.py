"""The roll-up's read of one level: both months' status rows and the month's totals in one
statement.

The roll-up shows each node's status in a month and in the month before (for the trend),
and above the rows how many projects have a status, carry it forward, have none yet
(unknown) or disagree, and how many closed projects are left out. Each of those used to be a
statement of its own, and each read every project's latest report again. Here one grouped
pass over the report index gives every project its latest report start in the month
(``now``) and in the month before (``before``: the latest starting before this month); the
CTE ``state`` joins each project's two reports once and holds, per project, whether it
counts in either month, its colour that counts then, and the figures to sum. ``state`` is
read twice, so both databases materialise it once, and a ``UNION ALL`` of four parts reads:

0. per node key and the two months' colours: the count and the sums of both months;
1. this month's totals from ``state`` (level-independent: no node key joined);
2. part 0 for the projects with no report by the month's end (unknown in both months, where
   registered by the month's end);
3. how many of them count this month.

The Python side adds up each month's groups into ``StatusRow``s per key and colour: the rows
``repository.status_rows`` gives for one month, which ``tests/rollup/test_one_read.py``
checks. Measured in docs/benchmarks.md ("One read per roll-up").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    FromClause,
    Select,
    and_,
    case,
    false,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from epmo.portfolio.models import Project, ProjectPortfolio
from epmo.reporting.health import HealthRule
from epmo.reporting.models import StatusReport
from epmo.rollup.months import Month
from epmo.rollup.repository import (
    Counted,
    StatusRow,
    counted_where,
    health_of,
    unreported_where,
)
from epmo.sql import MoneySum

_ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class LevelRead:
    """A level's status rows of the month and the month before, the month's totals, and how
    many closed or cancelled projects have a status in the month."""

    now: list[StatusRow]
    before: list[StatusRow]
    seen: Counted
    closed: int


def _one(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def _latest(month: Month) -> CTE:
    """Per reporting project: its latest report start before the month ends, and before the
    month begins (NULL: none yet)."""
    earlier = case((StatusReport.period_start < month.start, StatusReport.period_start))
    return (select(StatusReport.project_id.label("project_id"),
                   func.max(StatusReport.period_start).label("now"),
                   func.max(earlier).label("before"))
            .where(StatusReport.period_start < month.end)
            .group_by(StatusReport.project_id).cte("latest"))


class _Month:
    """One month's report (an alias of status_report) and its expressions."""

    def __init__(self, month: Month, report: FromClause, rule: HealthRule | None) -> None:
        counts = health_of(rule, report)
        self.colour: Any = report.c.overall if counts is None else counts.counted
        differs = literal_column("0") if counts is None else _one(counts.differs)
        self.differs: Any = differs
        self.carried = _one(report.c.period_start < month.start)
        self.forecast = func.coalesce(report.c.forecast_cost, Project.budget_forecast)


def _unbudgeted() -> ColumnElement[int]:
    return _one(or_(Project.budget_planned.is_(None), Project.budget_planned <= 0))


def _keyed(level: str, query: Select[Any], project: Any, programme: Any, department: Any,
           goals: Any) -> tuple[Any, Select[Any]]:
    """The level's node key and the query joined to it (programme: projects in one; goal:
    projects serving any, keyed by their stored goal set)."""
    if level == "programme":
        return programme, query.where(programme.is_not(None))
    if level == "portfolio":
        return ProjectPortfolio.portfolio_id, query.join(
            ProjectPortfolio, ProjectPortfolio.project_id == project)
    if level == "goal":
        return goals, query.where(goals.is_not(None))
    return department, query


def _state(month: Month, projects: ColumnElement[bool], rule: HealthRule | None,
           which: str) -> CTE:
    """Per reporting project that counts in the month or the one before (or is closed work
    shown apart): both months' flags, colours and figures."""
    prev = month.previous()
    latest = _latest(month)
    now_report = StatusReport.__table__.alias("now_report")
    before_report = StatusReport.__table__.alias("before_report")
    now, before = _Month(month, now_report, rule), _Month(prev, before_report, rule)
    in_now = counted_where(month, projects, which)
    in_before = and_(counted_where(prev, projects, which),
                     or_(before_report.c.id.is_not(None), Project.created_at < prev.end))
    closed = (counted_where(month, projects, "closed") if which == "active"
              else false())  # the closed total is shown beside active work only
    return (
        select(Project.id.label("project_id"), Project.department_id, Project.programme_id,
               Project.goal_set,
               _one(in_now).label("in_now"), now.colour.label("colour_now"),
               _one(in_before).label("in_before"), before.colour.label("colour_before"),
               _one(closed).label("closed"), Project.budget_planned.label("planned"),
               now.forecast.label("forecast_now"), before.forecast.label("forecast_before"),
               _unbudgeted().label("unbudgeted"), now.carried.label("carried_now"),
               before.carried.label("carried_before"), now.differs.label("differs_now"),
               before.differs.label("differs_before"))
        .select_from(latest).join(Project, Project.id == latest.c.project_id)
        .join(now_report, and_(now_report.c.project_id == latest.c.project_id,
                               now_report.c.period_start == latest.c.now))
        .outerjoin(before_report, and_(before_report.c.project_id == latest.c.project_id,
                                       before_report.c.period_start == latest.c.before))
        .where(or_(in_now, in_before, closed)).cte("state"))


def read_level(session: Session, level: str, month: Month, projects: ColumnElement[bool],
               rule: HealthRule | None = None, which: str = "all") -> LevelRead:
    """The status rows of ``level`` in the month and the one before, and the month's totals
    of ``projects`` in the status filter ``which`` (see the module's docstring)."""
    state = _state(month, projects, rule, which)
    s = state.c
    key, reported = _keyed(level, select().select_from(state), s.project_id, s.programme_id,
                           s.department_id, s.goal_set)
    grouped = (s.in_now, s.colour_now, s.in_before, s.colour_before)
    part0 = reported.with_only_columns(
        key.label("k"), *grouped, func.count(), MoneySum(s.planned), MoneySum(s.forecast_now),
        MoneySum(s.forecast_before), func.sum(s.unbudgeted), func.sum(s.carried_now),
        func.sum(s.carried_before), func.sum(s.differs_now), func.sum(s.differs_before),
    ).where(or_(s.in_now == 1, s.in_before == 1)).group_by(literal_column("k"), *grouped)
    part1 = select(
        *_nulls(5), func.sum(s.in_now), *_nulls(3), func.sum(s.closed),
        func.sum(s.in_now * s.carried_now), null(), func.sum(s.in_now * s.differs_now), null(),
    ).select_from(state)
    prev = month.previous()
    in_now = counted_where(month, projects, which)
    in_before = and_(counted_where(prev, projects, which), Project.created_at < prev.end)
    unknown = Project.id.in_(select(Project.id).where(unreported_where(month)).correlate(None))
    key, unreported = _keyed(level, select().select_from(Project), Project.id,
                             Project.programme_id, Project.department_id, Project.goal_set)
    part2 = unreported.with_only_columns(
        key.label("k"), _one(in_now).label("in_now"), null(),
        _one(in_before).label("in_before"), null(), func.count(),
        MoneySum(Project.budget_planned), MoneySum(Project.budget_forecast),
        MoneySum(Project.budget_forecast), func.sum(_unbudgeted()),
        *(literal_column("0") for _ in range(4)),
    ).where(unknown, or_(in_now, in_before)).group_by(
        *(literal_column(c) for c in ("k", "in_now", "in_before")))
    part3 = select(*_nulls(5), func.count(), *_nulls(8)).select_from(Project).where(
        unknown, in_now)
    query = union_all(*(part.add_columns(literal_column(str(i)).label("part"))
                        for i, part in enumerate((part0, part1, part2, part3))))
    return _split(session.execute(query).all())


def _nulls(n: int) -> list[Any]:
    return [null() for _ in range(n)]


def _split(rows: Iterable[Any]) -> LevelRead:
    """The union's rows as each month's status rows and the month's totals."""
    now: dict[tuple[Any, Any], list[Any]] = {}
    before: dict[tuple[Any, Any], list[Any]] = {}
    total = carried = differing = closed = unknown = 0
    for row in rows:
        part = int(row[14])
        if part == 1:
            total, closed = int(row[5] or 0), int(row[9] or 0)
            carried, differing = int(row[10] or 0), int(row[12] or 0)
        elif part == 3:
            unknown = int(row[5] or 0)
        else:
            count, planned, unbudgeted = int(row[5]), row[6], int(row[9] or 0)
            if int(row[1]):
                _add(now, (row[0], row[2]), count, planned, row[7], unbudgeted, row[10],
                     row[12])
            if int(row[3]):
                _add(before, (row[0], row[4]), count, planned, row[8], unbudgeted, row[11],
                     row[13])
    return LevelRead(_rows(now), _rows(before), Counted(total, carried, unknown, differing),
                     closed)


def _add(into: dict[tuple[Any, Any], list[Any]], key: tuple[Any, Any], count: int,
         planned: Decimal | None, forecast: Decimal | None, unbudgeted: Any, carried: Any,
         differs: Any) -> None:
    sums = into.setdefault(key, [0, _ZERO, _ZERO, 0, 0, 0])
    sums[0] += count
    sums[1] += planned or _ZERO
    sums[2] += forecast or _ZERO
    sums[3] += int(unbudgeted or 0)
    sums[4] += int(carried or 0)
    sums[5] += int(differs or 0)


def _rows(sums: dict[tuple[Any, Any], list[Any]]) -> list[StatusRow]:
    return [StatusRow(key, colour, *figures) for (key, colour), figures in sums.items()]

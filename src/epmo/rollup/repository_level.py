"""The roll-up's read of one level: both months' status rows and the month's totals in one
statement.

The roll-up shows each node's status in a month and in the month before (for the trend),
and above the rows how many projects have a status, carry it forward, have none yet
(unknown) or disagree, and how many closed projects are left out. Each of those used to be a
statement of its own, and each read every project's latest report again; here one grouped
pass over the report index gives every project its latest report start in the month
(``now``) and in the month before (``before``, the latest one starting before this month),
and a ``UNION ALL`` of four parts reads from it:

0. per node key, whether the project counts this month and its colour, whether it counts the
   month before and its colour then: the count and the sums of both months (the projects
   with a report by the month's end; one whose ``before`` report is missing was unknown the
   month before);
1. this month's totals of the same projects (level-independent: no node key joined);
2. part 0 for the projects with no report by the month's end (unknown in both months, where
   registered by the month's end);
3. how many of them count this month.

The Python side adds up the groups of each month into ``StatusRow``s per key and colour, the
rows ``repository.status_rows`` gives for one month (the same answers, fewer groups read
twice). Constants the grouped columns use are part of the SQL text or grouped by their label,
so PostgreSQL matches SELECT and GROUP BY.
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
    func,
    literal_column,
    null,
    false,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from epmo.portfolio.models import Project, ProjectPortfolio
from epmo.reporting.health import HealthRule
from epmo.reporting.models import StatusReport
from epmo.rollup.months import Month
from epmo.rollup.repository import (
    Counted,
    StatusRow,
    counted_where,
    goal_sets,
    health_of,
    unreported_where,
)
from epmo.sql import MoneySum

_ZERO = Decimal("0.00")
_GROUPED = ("k", "in_now", "colour_now", "in_before", "colour_before", "closed", "repeat")


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


def _unbudgeted() -> Any:
    return func.sum(_one(or_(Project.budget_planned.is_(None), Project.budget_planned <= 0)))


def _keyed(level: str, query: Select[Any]) -> tuple[Any, Select[Any], ColumnElement[int]]:
    """The level's node key, the query joined to it, and 1 on a row that repeats a project.

    Every project keeps a row (its key NULL when it is in no programme, portfolio or goal),
    so the month's totals come from the same rows; a project in several portfolios has one
    row per portfolio, and all but its first are marked as repeats.
    """
    if level == "programme":
        return Project.programme_id, query, literal_column("0")
    if level == "portfolio":
        other = aliased(ProjectPortfolio)
        first = (select(func.min(other.portfolio_id)).where(other.project_id == Project.id)
                 .scalar_subquery())
        return ProjectPortfolio.portfolio_id, query.outerjoin(
            ProjectPortfolio, ProjectPortfolio.project_id == Project.id), _one(
            ProjectPortfolio.portfolio_id > first)
    if level == "goal":
        sets = goal_sets()
        return sets.c.goals, query.outerjoin(sets, sets.c.project_id == Project.id), \
            literal_column("0")
    return Project.department_id, query, literal_column("0")


def read_level(session: Session, level: str, month: Month, projects: ColumnElement[bool],
               rule: HealthRule | None = None, which: str = "all") -> LevelRead:
    """The status rows of ``level`` in the month and the one before, and the month's totals
    of ``projects`` in the status filter ``which`` (see the module's docstring)."""
    prev = month.previous()
    latest = _latest(month)
    now_report = StatusReport.__table__.alias("now_report")
    before_report = StatusReport.__table__.alias("before_report")
    now, before = _Month(month, now_report, rule), _Month(prev, before_report, rule)
    in_now = counted_where(month, projects, which)
    counted_before = counted_where(prev, projects, which)
    closed = (counted_where(month, projects, "closed") if which == "active"
              else false())  # the closed total is shown beside active work only
    in_before = and_(counted_before, or_(before_report.c.id.is_not(None),
                                         Project.created_at < prev.end))
    key, reported, repeat = _keyed(level, (
        select().select_from(latest).join(Project, Project.id == latest.c.project_id)
        .join(now_report, and_(now_report.c.project_id == latest.c.project_id,
                               now_report.c.period_start == latest.c.now))
        .outerjoin(before_report, and_(before_report.c.project_id == latest.c.project_id,
                                       before_report.c.period_start == latest.c.before))))
    part0 = reported.with_only_columns(
        key.label("k"), _one(in_now).label("in_now"), now.colour.label("colour_now"),
        _one(in_before).label("in_before"), before.colour.label("colour_before"),
        _one(closed).label("closed"), repeat.label("repeat"),
        func.count(), MoneySum(Project.budget_planned), MoneySum(now.forecast),
        MoneySum(before.forecast), _unbudgeted(), func.sum(now.carried),
        func.sum(before.carried), func.sum(now.differs), func.sum(before.differs),
        literal_column("0").label("part"),
    ).where(or_(in_now, in_before, closed)).group_by(*(literal_column(c) for c in _GROUPED))
    unknown = select(Project.id).where(unreported_where(month)).correlate(None)
    unknown_before = and_(counted_before, Project.created_at < prev.end)
    key, unreported, repeat = _keyed(level, select().select_from(Project))
    part1 = unreported.with_only_columns(
        key.label("k"), _one(in_now).label("in_now"), null(),
        _one(unknown_before).label("in_before"), null(), literal_column("0"),
        repeat.label("repeat"), func.count(), MoneySum(Project.budget_planned),
        MoneySum(Project.budget_forecast), MoneySum(Project.budget_forecast), _unbudgeted(),
        *(literal_column("0") for _ in range(4)), literal_column("1"),
    ).where(Project.id.in_(unknown), or_(in_now, unknown_before)).group_by(
        *(literal_column(c) for c in ("k", "in_now", "in_before", "repeat")))
    return _split(session.execute(union_all(part0, part1)).all())


def _split(rows: Iterable[Any]) -> LevelRead:
    """The union's rows as each month's status rows and the month's totals."""
    now: dict[tuple[Any, Any], list[Any]] = {}
    before: dict[tuple[Any, Any], list[Any]] = {}
    total = carried = differing = closed = unknown = 0
    for (key, in_now, colour_now, in_before, colour_before, is_closed, repeat, count, planned,
         forecast_now, forecast_before, unbudgeted, carried_now, carried_before, differs_now,
         differs_before, part) in rows:
        if not repeat:  # the month's totals: each project once
            if int(part):
                unknown += int(in_now) * count
            elif int(in_now):
                total += count
                carried += int(carried_now or 0)
                differing += int(differs_now or 0)
            closed += int(is_closed) * count
        if key is None:
            continue
        if int(in_now):
            _add(now, (key, colour_now), count, planned, forecast_now, unbudgeted,
                 carried_now, differs_now)
        if int(in_before):
            _add(before, (key, colour_before), count, planned, forecast_before, unbudgeted,
                 carried_before, differs_before)
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

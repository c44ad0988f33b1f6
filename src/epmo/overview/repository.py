"""Aggregate reads of the overview: a few GROUP BY queries, never one row per project."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Select,
    func,
    select,
)
from sqlalchemy.orm import Session

from epmo.db import core_connection
from epmo.org.models import Department
from epmo.portfolio.models import CLOSED_STAGES, Programme, Project, ProjectGoal
from epmo.sql import MoneySum, RawMoneySum, money_of
from epmo.strategy.models import Goal


@dataclass(frozen=True, slots=True)
class Scope:
    """Which projects count: a department subtree, a goal subtree, a programme (None = all),
    and for a restricted reader the projects and programmes they may open."""

    department_ids: frozenset[int] | None = None
    goal_ids: frozenset[int] | None = None
    programme_id: int | None = None
    projects: ColumnElement[bool] | None = None
    programmes: ColumnElement[bool] | None = None
    status: str = "all"  # active (not closed or cancelled), closed (closed or cancelled), all
    health: Any = None  # the health that counts (reporting.health); None: the reported one
    # the same as Python: (department id, reported, derived) -> colour; None: the reported one
    colour: Callable[[Any, Any, Any], Any] | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """Count and budget sums of the projects sharing one key and one health.

    Unknown (NULL) money is left out of the sums; ``known`` counts the projects with a
    planned, actual and forecast figure, ``compared`` those with both planned and forecast,
    and ``variance`` is their summed forecast - planned.
    """

    key: tuple[Any, ...]
    health: str | None
    count: int
    planned: Decimal
    actual: Decimal
    forecast: Decimal
    known: tuple[int, int, int] = (0, 0, 0)
    compared: int = 0
    variance: Decimal = Decimal("0.00")


class Node(NamedTuple):
    """A department or goal as the overview shows it."""

    id: int
    code: str
    name: str
    parent_id: int | None


class ProgrammeRef(NamedTuple):
    """A programme's id, code and name."""

    id: int
    code: str
    name: str


def _aggregate(scope: Scope, *keys: Any) -> Select[Any]:
    """Count and money sums per keys and the health that counts (the caller adds FROM/JOIN)."""
    health = Project.health if scope.health is None else scope.health
    return select(*keys, health, *_SUMS).group_by(*keys, health)


# forecast - planned is NULL unless both are known, so COUNT and SUM of it cover exactly the
# projects whose variance means something.
_GAP = Project.budget_forecast - Project.budget_planned

def _sums(money: type[MoneySum] | type[RawMoneySum] = MoneySum) -> tuple[Any, ...]:
    """count, planned, actual, forecast, the three known counts, compared, variance."""
    return (func.count(), money(Project.budget_planned), money(Project.budget_actual),
            money(Project.budget_forecast), func.count(Project.budget_planned),
            func.count(Project.budget_actual), func.count(Project.budget_forecast),
            func.count(_GAP), money(_GAP))


_SUMS = _sums()


def status_clause(status: str) -> ColumnElement[bool] | None:
    """Projects of a status filter: active, closed (closed or cancelled), all (None)."""
    if status == "active":
        return Project.stage.not_in(CLOSED_STAGES)
    return Project.stage.in_(CLOSED_STAGES) if status == "closed" else None


def _scoped(query: Select[Any], scope: Scope) -> Select[Any]:
    if (status := status_clause(scope.status)) is not None:
        query = query.where(status)
    if scope.projects is not None:
        query = query.where(scope.projects)
    if scope.department_ids is not None:
        query = query.where(Project.department_id.in_(sorted(scope.department_ids)))
    if scope.programme_id is not None:
        query = query.where(Project.programme_id == scope.programme_id)
    if scope.goal_ids is not None:
        serving = select(ProjectGoal.project_id).where(
            ProjectGoal.goal_id.in_(sorted(scope.goal_ids)))
        query = query.where(Project.id.in_(serving))
    return query


_ZERO = Decimal("0.00")  # SUM over no rows (or only NULLs) is NULL


def _core_rows(session: Session, query: Select[Any], streamed: bool = False) -> Sequence[Any]:
    """The rows as the connection gives them (``db.core_connection``: no ORM result wrapping,
    a write pending in this unit of work counted).

    ``streamed``: the query groups in the order of a covering index. SQLite then streams the
    groups off the index; PostgreSQL's planner prices a hash aggregate over a scan of the
    table below that and picks it, though with a dozen aggregates it takes twice as long
    (large demo, 4,258 groups: 66-83 ms against 38-48 ms for the index-only scan), so for this
    one statement the hash aggregate is turned off, and back to what it was after.
    """
    connection = core_connection(session)
    if not streamed or connection.dialect.name != "postgresql":
        return connection.execute(query).all()
    was = connection.exec_driver_sql("SHOW enable_hashagg").scalar()
    connection.exec_driver_sql("SET LOCAL enable_hashagg = off")
    rows = connection.execute(query).all()  # if it fails, the rollback restores the setting
    connection.exec_driver_sql(f"SET LOCAL enable_hashagg = {'on' if was == 'on' else 'off'}")
    return rows


def _groups(session: Session, query: Select[Any], width: int) -> list[Group]:
    zero = _ZERO
    return [
        Group(tuple(row[:width]), row[width], int(row[width + 1]), row[width + 2] or zero,
              row[width + 3] or zero, row[width + 4] or zero,
              (int(row[width + 5]), int(row[width + 6]), int(row[width + 7])),
              int(row[width + 8]), row[width + 9] or zero)
        for row in _core_rows(session, query)
    ]


def figures_and_closed(session: Session, scope: Scope) -> tuple[list[Group], list[Group] | None,
                                                                dict[tuple[Any, Any], int]]:
    """The scope's (department, stage) groups; for the active view, its closed work's too
    (None otherwise); and the count of projects in the scope per (reported, derived) colour.

    One pass over all the work, grouped on the raw columns in the order of the index
    ``ix_project_dept_stage_health`` so the database streams the groups instead of sorting
    by the health that counts, which ``scope.colour`` (the same rule in Python) then gives
    each raw group; groups with the same key and colour are added up. The stage in each key
    (never NULL) splits active from closed work as ``status_clause`` does.
    """
    keys = (Project.department_id, Project.stage, Project.health, Project.derived_health)
    query = select(*keys, *_sums(RawMoneySum)).group_by(*keys)  # added up before Decimal
    status = "all" if scope.status == "active" else scope.status
    rows = _core_rows(session, _scoped(query, replace(scope, status=status)), streamed=True)
    colour = scope.colour or (lambda _department, reported, _derived: reported)
    merged: dict[tuple[Any, Any, Any], list[Any]] = {}
    closed: dict[tuple[Any, Any, Any], list[Any]] = {}
    pairs: dict[tuple[Any, Any], int] = {}
    for row in rows:
        department, stage, reported, derived = row[:4]
        key = (department, stage, colour(department, reported, derived))
        into = closed if scope.status == "active" and stage in CLOSED_STAGES else merged
        count, planned, actual, forecast, *known, gap = row[4:]
        sums = into.get(key)
        if sums is None:
            into[key] = [count, planned or 0, actual or 0, forecast or 0, *known, gap or 0]
        else:  # written out: this loop runs once per raw group (thousands)
            sums[0] += count
            sums[1] += planned or 0
            sums[2] += actual or 0
            sums[3] += forecast or 0
            sums[4] += known[0]
            sums[5] += known[1]
            sums[6] += known[2]
            sums[7] += known[3]
            sums[8] += gap or 0
        if into is merged:
            pairs[reported, derived] = pairs.get((reported, derived), 0) + int(count)
    money = money_of(session.get_bind().dialect)
    return (_merged(merged, money), _merged(closed, money) if scope.status == "active" else None,
            pairs)


def _merged(sums: dict[tuple[Any, Any, Any], list[Any]],
            money: Callable[[Any], Decimal]) -> list[Group]:
    return [Group(key[:2], key[2], int(s[0]), money(s[1]), money(s[2]), money(s[3]),
                  (int(s[4]), int(s[5]), int(s[6])), int(s[7]), money(s[8]))
            for key, s in sums.items()]


def largest_programmes(session: Session, scope: Scope, limit: int) -> tuple[list[int], int]:
    """Ids of the ``limit`` programmes with the largest planned budget in scope, and how many
    programmes have projects in scope at all."""
    in_scope = _scoped(select(Project.programme_id).where(Project.programme_id.is_not(None))
                       .group_by(Project.programme_id), scope)
    if scope.programmes is not None:
        in_scope = in_scope.where(Project.programme_id.in_(_open_programmes(scope.programmes)))
    count = session.scalar(select(func.count()).select_from(in_scope.subquery())) or 0
    if not limit:
        return [], count
    largest = in_scope.order_by(MoneySum(Project.budget_planned).desc(), Project.programme_id)
    return [int(i) for i in session.scalars(largest.limit(limit))], count


def figures_by_programme(session: Session, scope: Scope, ids: Collection[int]) -> list[Group]:
    """Projects per health of these programmes and of no programme (key None)."""
    # Two queries, not one with OR, so each reads the programme index.
    listed = _aggregate(scope, Project.programme_id).where(
        Project.programme_id.in_(sorted(ids)))
    unassigned = _aggregate(scope, Project.programme_id).where(Project.programme_id.is_(None))
    return [*(_groups(session, _scoped(listed, scope), 1) if ids else []),
            *_groups(session, _scoped(unassigned, scope), 1)]


def _open_programmes(programmes: ColumnElement[bool]) -> Select[Any]:
    return select(Programme.id).where(programmes)


def figures_in_closed_programmes(session: Session, scope: Scope) -> list[Group]:
    """Projects per health in programmes the restricted reader may not open (none if open)."""
    if scope.programmes is None:
        return []
    query = _aggregate(scope).where(Project.programme_id.is_not(None),
                               Project.programme_id.not_in(_open_programmes(scope.programmes)))
    return _groups(session, _scoped(query, scope), 0)


def figures_hidden(session: Session, projects: ColumnElement[bool], scope: Scope) -> list[Group]:
    """Projects per health that the reader may NOT open, across the whole enterprise (of the
    scope's status)."""
    # NOT IN a subquery, not NOT(clause): a NULL manager or sponsor would drop rows from NOT.
    query = _aggregate(scope).where(Project.id.not_in(select(Project.id).where(projects)))
    if (status := status_clause(scope.status)) is not None:
        query = query.where(status)
    return _groups(session, query, 0)


def figures_by_goal_set(session: Session, scope: Scope) -> list[Group]:
    """Projects per (the comma-separated ids of the goals they serve) and health.

    Each project appears in exactly one group, so both "serves goal G" and "serves G or a
    sub-goal of G" follow from these groups without counting a project twice. The key is
    the project's stored goal set (``portfolio.goal_sets``), read from the covering index
    ``ix_project_goal_set_health``. Grouped by the health that counts in SQL (a sort of 1,200
    groups), not on the raw columns as ``figures_and_closed``: with the department in the key
    that is 13,000 raw groups on the large demo, and their fold in Python cost twice the sort.
    """
    query = _aggregate(scope, Project.goal_set).where(Project.goal_set.is_not(None))
    return _groups(session, _scoped(query, scope), 1)


def list_departments(session: Session) -> Sequence[Node]:
    """Every department, ordered by code."""
    query = select(Department.id, Department.code, Department.name, Department.parent_id)
    return [Node(*row) for row in session.execute(query.order_by(Department.code)).all()]


def list_goals(session: Session) -> Sequence[Node]:
    """Every goal, ordered by code."""
    query = select(Goal.id, Goal.code, Goal.name, Goal.parent_id)
    return [Node(*row) for row in session.execute(query.order_by(Goal.code)).all()]


def list_programmes(session: Session, ids: Collection[int]) -> Sequence[ProgrammeRef]:
    """The programmes with these ids, ordered by code."""
    query = select(Programme.id, Programme.code, Programme.name).where(
        Programme.id.in_(sorted(ids)))
    return [ProgrammeRef(*row) for row in session.execute(query.order_by(Programme.code)).all()]

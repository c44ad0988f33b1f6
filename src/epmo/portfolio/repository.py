"""Reads of the portfolio domain: lookups, filtered lists, and the rows of the read models.

The read models (``views.py``) take their rows from here in a fixed number of batch queries
per page (never one per row).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, func, or_, select
from sqlalchemy.orm import Session

from epmo.org.models import Department, Person
from epmo.org.repository import department_parents
from epmo.portfolio.models import (
    CLOSED_STAGES,
    Milestone,
    Portfolio,
    Programme,
    ProgrammeDepartment,
    Project,
    ProjectDemand,
    ProjectDepartment,
    ProjectGoal,
    ProjectPortfolio,
)
from epmo.portfolio.schemas import ProjectFilter
from epmo.strategy.models import Goal

# --- single rows ------------------------------------------------------------------------


def get_project(session: Session, project_id: int) -> Project | None:
    """Return a project by id."""
    return session.get(Project, project_id)


def get_project_by_code(session: Session, code: str) -> Project | None:
    """Return a project by its code."""
    return session.scalar(select(Project).where(Project.code == code))


def get_programme(session: Session, programme_id: int) -> Programme | None:
    """Return a programme by id."""
    return session.get(Programme, programme_id)


def get_portfolio(session: Session, portfolio_id: int) -> Portfolio | None:
    """Return a portfolio by id."""
    return session.get(Portfolio, portfolio_id)


def get_milestone(session: Session, milestone_id: int) -> Milestone | None:
    """Return a milestone by id."""
    return session.get(Milestone, milestone_id)


def get_goal(session: Session, goal_id: int) -> Goal | None:
    """Return a strategic goal by id (goals are readable by everyone)."""
    return session.get(Goal, goal_id)


def project_department_ids(session: Session, project_id: int) -> list[int]:
    """Departments taking part in a project (besides its owner)."""
    query = select(ProjectDepartment.department_id).where(
        ProjectDepartment.project_id == project_id)
    return list(session.scalars(query))


def project_portfolio_ids(session: Session, project_id: int) -> list[int]:
    """Portfolios a project sits in."""
    query = select(ProjectPortfolio.portfolio_id).where(ProjectPortfolio.project_id == project_id)
    return list(session.scalars(query))


def programme_department_ids(session: Session, programme_id: int) -> list[int]:
    """Departments taking part in a programme (besides its owner)."""
    query = select(ProgrammeDepartment.department_id).where(
        ProgrammeDepartment.programme_id == programme_id)
    return list(session.scalars(query))


def links_of(session: Session, model: type[Any], owner: ColumnElement[bool]) -> list[Any]:
    """Association rows (ProjectDepartment, ProjectGoal, ...) matching ``owner``."""
    return list(session.scalars(select(model).where(owner)))


def _and_below(pairs: Iterable[Any], root: int) -> list[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for child, parent in pairs:
        children[parent].append(child)
    found: set[int] = set()
    todo = [root]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children[current])
    return sorted(found)


def department_and_below(session: Session, department_id: int) -> list[int]:
    """A department and every department beneath it."""
    return _and_below(department_parents(session).items(), department_id)


def goal_and_below(session: Session, goal_id: int) -> list[int]:
    """A goal and every sub-goal beneath it."""
    return _and_below(session.execute(select(Goal.id, Goal.parent_id)).all(), goal_id)


def projects_in_programme(session: Session, programme_id: int) -> bool:
    """True when any project belongs to the programme."""
    query = select(Project.id).where(Project.programme_id == programme_id).limit(1)
    return session.scalar(query) is not None


def projects_in_portfolio(session: Session, portfolio_id: int) -> bool:
    """True when any project sits in the portfolio."""
    query = select(ProjectPortfolio.project_id).where(ProjectPortfolio.portfolio_id == portfolio_id)
    return session.scalar(query.limit(1)) is not None


# --- list queries -----------------------------------------------------------------------

SORTS: dict[str, Any] = {
    "code": Project.code, "name": Project.name, "budget": Project.budget_planned,
    "finish": func.coalesce(Project.forecast_finish, Project.planned_finish),
}


def _member_of(model: type[Any], column: Any, value: int) -> ColumnElement[bool]:
    return Project.id.in_(select(model.project_id).where(column == value))


def project_query(session: Session, filters: ProjectFilter,
                  scope: ColumnElement[bool]) -> Select[Project]:
    """Build the scoped, filtered, ordered project list query."""
    query = select(Project).where(scope)
    if filters.department_id is not None:
        below = department_and_below(session, filters.department_id)
        query = query.where(Project.department_id.in_(below))
    if filters.stage:
        query = query.where(Project.stage.in_(filters.stage))
    elif filters.status == "active":
        query = query.where(Project.stage.not_in(CLOSED_STAGES))
    elif filters.status == "closed":
        query = query.where(Project.stage.in_(CLOSED_STAGES))
    if filters.health:
        colours = [h for h in filters.health if h != "unknown"]
        matches = [Project.health.in_(colours)] if colours else []
        if "unknown" in filters.health:
            matches.append(Project.health.is_(None))
        query = query.where(or_(*matches))
    if filters.goal_id is not None:
        goals = goal_and_below(session, filters.goal_id)
        query = query.where(Project.id.in_(
            select(ProjectGoal.project_id).where(ProjectGoal.goal_id.in_(goals))))
    if filters.portfolio_id is not None:
        query = query.where(
            _member_of(ProjectPortfolio, ProjectPortfolio.portfolio_id, filters.portfolio_id))
    if filters.programme_id is not None:
        query = query.where(Project.programme_id == filters.programme_id)
    if filters.q:
        like = f"%{filters.q.lower()}%"
        query = query.where(or_(Project.code.ilike(like), Project.name.ilike(like)))
    return _ordered(query, filters.sort)


def _ordered(query: Select[Project], sort: str) -> Select[Project]:
    key = SORTS[sort.lstrip("-")]
    order = key.desc() if sort.startswith("-") else key.asc()
    return query.order_by(order.nulls_last(), Project.id)


def programme_query(scope: ColumnElement[bool], text: str | None = None,
                    department_id: int | None = None) -> Select[Programme]:
    """Build the scoped, filtered programme list query."""
    query = select(Programme).where(scope).order_by(Programme.code)
    if text:
        like = f"%{text.lower()}%"
        query = query.where(or_(Programme.code.ilike(like), Programme.name.ilike(like)))
    if department_id is not None:
        query = query.where(Programme.department_id == department_id)
    return query


def portfolio_query(scope: ColumnElement[bool], text: str | None = None,
                    department_id: int | None = None) -> Select[Portfolio]:
    """Build the scoped, filtered portfolio list query (enterprise portfolio first)."""
    order = (Portfolio.department_id.is_not(None), Portfolio.code)
    query = select(Portfolio).where(scope).order_by(*order)
    if text:
        like = f"%{text.lower()}%"
        query = query.where(or_(Portfolio.code.ilike(like), Portfolio.name.ilike(like)))
    if department_id is not None:
        query = query.where(Portfolio.department_id == department_id)
    return query


def milestone_query(project_id: int) -> Select[Milestone]:
    """Milestones of a project in date order."""
    day = func.coalesce(Milestone.forecast_date, Milestone.planned_date)
    return (select(Milestone).where(Milestone.project_id == project_id)
            .order_by(day.asc().nulls_last(), Milestone.id))


def list_milestones(session: Session, project_id: int) -> list[Milestone]:
    """Every milestone of a project in date order."""
    return list(session.scalars(milestone_query(project_id)))


@dataclass(frozen=True, slots=True)
class Totals:
    """Count and budget sums of a project list."""

    count: int
    planned: Decimal
    actual: Decimal
    forecast: Decimal
    # How many of the projects have no such figure (unknown, left out of the sum).
    missing: dict[str, int] = field(default_factory=dict)


def totals(session: Session, query: Select[Project]) -> Totals:
    """Sum the budgets of every project ``query`` matches; count those with no figure."""
    sub = query.order_by(None).subquery()
    kinds = ("planned", "actual", "forecast")
    columns = [sub.c[f"budget_{kind}"] for kind in kinds]
    row = session.execute(select(func.count(), *(func.sum(c) for c in columns),
                                 *(func.count(c) for c in columns))).one()
    zero = Decimal(0)
    missing = {kind: row[0] - row[4 + i] for i, kind in enumerate(kinds)}
    return Totals(row[0], Decimal(row[1] or zero), Decimal(row[2] or zero),
                  Decimal(row[3] or zero), missing)


# --- rows for the read models (views.py) -------------------------------------------------


def named_rows(session: Session, model: Any,
               ids: Iterable[int | None]) -> dict[int, Row[int, str, str]]:
    """The id, code and name of these rows of ``model`` (departments, people, ...), by id."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = session.execute(select(model.id, model.code, model.name).where(model.id.in_(wanted)))
    return {row.id: row for row in rows}


def _grouped(session: Session, query: Select[*tuple[Any, ...]]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(query):
        grouped[row[0]].append(row)
    return grouped


def linked_rows(session: Session, model: Any, owner: Any, key: Any,
                ids: list[int]) -> dict[int, list[Any]]:
    """(owner id, id, code, name) of the rows of ``model`` linked to each owner id through an
    association table, by code."""
    query = (select(owner, model.id, model.code, model.name).join(model, model.id == key)
             .where(owner.in_(ids)).order_by(model.code))
    return _grouped(session, query)


def goal_link_rows(session: Session, project_ids: list[int]) -> dict[int, list[Any]]:
    """(project id, goal id, weight, code, name) of each project's goals, by goal code."""
    return _grouped(session, select(ProjectGoal.project_id, ProjectGoal.goal_id,
                                    ProjectGoal.weight, Goal.code, Goal.name)
                    .join(Goal).where(ProjectGoal.project_id.in_(project_ids))
                    .order_by(Goal.code))


def choice_rows(session: Session, model: Any, scope: ColumnElement[bool] | None = None,
                order: Any = None) -> Sequence[Row[int, str, str]]:
    """The id, code and name of every row of ``model`` (in ``scope``), by code or ``order``."""
    query = select(model.id, model.code, model.name)
    if scope is not None:
        query = query.where(scope)
    return session.execute(query.order_by(model.code if order is None else order)).all()


# --- role demand (issue 10, item 11) ----------------------------------------------------


def demand_lines(session: Session,
                 project_ids: Sequence[int]) -> dict[int, list[ProjectDemand]]:
    """The stored ProjectDemand rows of each project, by role, person (the unnamed line first)
    then month."""
    found: dict[int, list[ProjectDemand]] = defaultdict(list)
    if project_ids:
        query = (select(ProjectDemand).where(ProjectDemand.project_id.in_(project_ids))
                 .order_by(ProjectDemand.role, func.coalesce(ProjectDemand.person_id, 0),
                           ProjectDemand.period))
        for row in session.scalars(query):
            found[row.project_id].append(row)
    return found


def projects_by_id(session: Session, project_ids: Sequence[int]) -> dict[int, Project]:
    """The projects with these ids (one query; missing ones left out)."""
    if not project_ids:
        return {}
    return {p.id: p for p in session.scalars(select(Project).where(Project.id.in_(project_ids)))}


def people_by_id(session: Session, person_ids: Iterable[int]) -> dict[int, Person]:
    """The people with these ids (one query; missing ones left out)."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}


def people_labels(session: Session, person_ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
    """(name, department code, role) of these people, as the people picker shows them."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    rows = session.execute(select(Person.id, Person.name, Department.code, Person.role)
                           .join(Department, Department.id == Person.department_id)
                           .where(Person.id.in_(ids)))
    return {i: (name, code, role) for i, name, code, role in rows}


def people_roles(session: Session) -> list[str]:
    """The roles active people have (demand may only name these), sorted."""
    query = (select(Person.role).where(Person.active.is_(True), Person.role != "")
             .distinct().order_by(Person.role))
    return list(session.scalars(query))

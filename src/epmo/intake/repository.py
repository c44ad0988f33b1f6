"""Reads of the intake domain: requests with their lines, choices, roles and reviewers.

The read models (``views.py``) take their rows from here in a fixed number of batch queries
per page (never one per row).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from epmo.auth.models import User, UserDepartment
from epmo.intake.models import (
    IntakeRequest,
    RequestCost,
    RequestDemand,
    RequestDependency,
    RequestGoal,
)
from epmo.intake.schemas import RequestFilter
from epmo.org.models import Department, Person
from epmo.portfolio import repository as portfolio_repository
from epmo.portfolio.models import Project
from epmo.portfolio.repository import department_and_below
from epmo.strategy.models import Goal

CODE = re.compile(r"^REQ-(\d+)$")
LINES = (RequestCost, RequestDemand, RequestGoal, RequestDependency)


@dataclass(frozen=True, slots=True)
class Route:
    """Who decides a request: ``epmo`` or ``department_lead``, and why in words."""

    decider: str
    words: str


@dataclass(frozen=True, slots=True)
class Choice:
    """An option of a form's select: id, code and name."""

    id: int
    code: str
    name: str


# --- single rows ------------------------------------------------------------------------


def get_request(session: Session, request_id: int) -> IntakeRequest | None:
    """Return a request by id."""
    return session.get(IntakeRequest, request_id)


def get_project(session: Session, project_id: int) -> Project | None:
    """Return a project by id (a dependency target or the project a request became)."""
    return session.get(Project, project_id)


def get_department(session: Session, department_id: int) -> Department | None:
    """Return a department by id."""
    return session.get(Department, department_id)


def code_taken(session: Session, model: Any, code: str) -> bool:
    """Whether a row of ``model`` (a request or a project) already has ``code``."""
    return session.scalar(select(model.id).where(model.code == code).limit(1)) is not None


def next_code(session: Session) -> str:
    """The next free automatic code: one past the highest "REQ-nnnn"."""
    codes = session.scalars(select(IntakeRequest.code).where(IntakeRequest.code.like("REQ-%")))
    numbers = [int(m.group(1)) for c in codes if (m := CODE.match(c))]
    return f"REQ-{max(numbers, default=0) + 1:04d}"


def lines_of(session: Session, model: Any, request_id: int) -> list[Any]:
    """The cost, demand, goal or dependency rows of one request."""
    return list(session.scalars(select(model).where(model.request_id == request_id)))


def has_dependants(session: Session, request_id: int) -> bool:
    """Whether another request depends on this one."""
    query = select(RequestDependency.id).where(RequestDependency.on_request_id == request_id)
    return session.scalar(query.limit(1)) is not None


def missing_ids(session: Session, model: Any, ids: Iterable[int]) -> set[int]:
    """Those of ``ids`` that name no row of ``model``."""
    wanted = set(ids)
    if not wanted:
        return set()
    found = set(session.scalars(select(model.id).where(model.id.in_(sorted(wanted)))))
    return wanted - found


# --- lists ------------------------------------------------------------------------------


def request_query(session: Session, filters: RequestFilter, scope: ColumnElement[bool],
                  actor_id: int | None = None) -> Select[IntakeRequest]:
    """Build the scoped, filtered list query (newest first)."""
    query = select(IntakeRequest).where(scope)
    if filters.stage:
        query = query.where(IntakeRequest.stage.in_(filters.stage))
    if filters.department_id is not None:
        below = department_and_below(session, filters.department_id)
        query = query.where(IntakeRequest.department_id.in_(below))
    if filters.tier is not None:
        query = query.where(IntakeRequest.tier == filters.tier)
    if filters.mine:
        query = query.where(IntakeRequest.requester_id == actor_id)
    if filters.q:
        like = f"%{filters.q.lower()}%"
        query = query.where(or_(IntakeRequest.code.ilike(like), IntakeRequest.title.ilike(like)))
    return query.order_by(IntakeRequest.id.desc())


def stage_counts(session: Session, scope: ColumnElement[bool]) -> dict[str, int]:
    """How many requests the scope sees in each stage."""
    query = (select(IntakeRequest.stage, func.count()).where(scope)
             .group_by(IntakeRequest.stage))
    return {stage: count for stage, count in session.execute(query)}


def known_roles(session: Session) -> list[str]:
    """The roles active people have (demand may only name these), sorted."""
    return portfolio_repository.people_roles(session)


# --- rows for the read models (views.py) ------------------------------------------------


def _grouped(session: Session, query: Select[*tuple[Any, ...]]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(query):
        grouped[row[0]].append(row)
    return grouped


def _names(session: Session, model: Any, column: Any, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    return dict(session.execute(select(model.id, column).where(model.id.in_(wanted))).all())


def _lines(session: Session, ids: list[int]) -> dict[str, dict[int, list[Any]]]:
    """Cost, demand, goal and dependency rows of many requests, with codes, in four queries."""
    costs = select(RequestCost.request_id, RequestCost.period, RequestCost.amount).where(
        RequestCost.request_id.in_(ids)).order_by(RequestCost.period)
    demand = select(RequestDemand.request_id, RequestDemand.role, RequestDemand.period,
                    RequestDemand.fte_months).where(RequestDemand.request_id.in_(ids)).order_by(
        RequestDemand.period, RequestDemand.role)
    goals = (select(RequestGoal.request_id, RequestGoal.goal_id, RequestGoal.contribution,
                    Goal.code, Goal.name).join(Goal, Goal.id == RequestGoal.goal_id)
             .where(RequestGoal.request_id.in_(ids)).order_by(Goal.code))
    target = IntakeRequest.__table__.alias("target")
    deps = (select(RequestDependency.request_id, RequestDependency.on_request_id,
                   RequestDependency.on_project_id, RequestDependency.note,
                   func.coalesce(target.c.code, Project.code))
            .outerjoin(target, target.c.id == RequestDependency.on_request_id)
            .outerjoin(Project, Project.id == RequestDependency.on_project_id)
            .where(RequestDependency.request_id.in_(ids)).order_by(RequestDependency.id))
    return {"costs": _grouped(session, costs), "demand": _grouped(session, demand),
            "goals": _grouped(session, goals), "dependencies": _grouped(session, deps)}


@dataclass(frozen=True, slots=True)
class RequestNames:
    """What the read models of some requests show besides their columns, by id: their lines
    (``lines[kind][request id]``: rows), departments (rows of id, code, name), the names of
    sponsors, requesters and deciders, and the codes of the projects they became."""

    lines: dict[str, dict[int, list[Any]]]
    departments: dict[int, Any]
    people: dict[int, str]
    users: dict[int, str]
    projects: dict[int, str]


def request_names(session: Session, requests: Sequence[IntakeRequest]) -> RequestNames:
    """The lines and names of these requests' read models, in at most eight queries."""
    departments = {row.id: row for row in session.execute(
        select(Department.id, Department.code, Department.name)
        .where(Department.id.in_(sorted({r.department_id for r in requests}))))}
    return RequestNames(
        lines=_lines(session, [r.id for r in requests]), departments=departments,
        people=_names(session, Person, Person.name, [r.sponsor_id for r in requests]),
        users=_names(session, User, User.name,
                     [i for r in requests for i in (r.requester_id, r.decided_by_id)]),
        projects=_names(session, Project, Project.code, [r.project_id for r in requests]))


# --- people to notify -------------------------------------------------------------------


def admin_user_ids(session: Session) -> list[int]:
    """Active EPMO administrators."""
    query = (select(User.id).where(User.role == "epmo_admin", User.is_active.is_(True))
             .order_by(User.id))
    return list(session.scalars(query))


def lead_user_ids(session: Session, department_ids: Iterable[int]) -> list[int]:
    """Active department leads who are members of any of ``department_ids``."""
    wanted = sorted(set(department_ids))
    query = (select(User.id).join(UserDepartment, UserDepartment.user_id == User.id)
             .where(UserDepartment.department_id.in_(wanted), User.role == "department_lead",
                    User.is_active.is_(True)).distinct().order_by(User.id))
    return list(session.scalars(query))


# --- choices for forms ------------------------------------------------------------------


def choices(session: Session, model: Any, label: Any, where: ColumnElement[bool] | None = None,
            limit: int = 1_000) -> list[Choice]:
    """Options of a select: rows of ``model`` (id, code, ``label``), by code."""
    query = select(model.id, model.code, label).order_by(model.code).limit(limit)
    if where is not None:
        query = query.where(where)
    return [Choice(r[0], r[1], r[2]) for r in session.execute(query)]

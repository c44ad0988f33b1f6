"""Reads of the network domain: dependencies, the rows the engine needs, events and owners."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, func, insert, or_, select, union
from sqlalchemy.orm import Session

from epmo.auth.models import User, UserDepartment
from epmo.network.models import (
    ChangeEvent,
    ChangeImpact,
    ChangeResponse,
    Dependency,
    NetworkDate,
    NetworkHead,
)
from epmo.org.models import Department
from epmo.org.repository import department_parents
from epmo.portfolio.models import Milestone, Programme, Project, ProjectDepartment, ProjectGoal
from epmo.sql import chunks
from epmo.strategy.models import Goal

# --- dependencies -----------------------------------------------------------------------


def get_dependency(session: Session, dependency_id: int) -> Dependency | None:
    """Return a dependency by id."""
    return session.get(Dependency, dependency_id)


def dependency_between(session: Session, pred_node: int, succ_node: int) -> Dependency | None:
    """The dependency joining two ends in this direction, if any."""
    return session.scalar(select(Dependency).where(Dependency.pred_node == pred_node,
                                                   Dependency.succ_node == succ_node))


def _departments(ids: Select[int]) -> Select[int]:
    return select(Project.id).where(Project.department_id.in_(ids.scalar_subquery()))


@dataclass(frozen=True, slots=True)
class DependencyFilter:
    """Optional filters of the dependency list."""

    department_id: int | None = None
    project_id: int | None = None
    status: str | None = None
    cross_department: bool | None = None


def dependency_query(readable: Select[int], filters: DependencyFilter) -> Select[Any]:
    """Dependencies with an end in a readable project, filtered, newest first."""
    ids = readable.scalar_subquery()
    query = select(Dependency).where(or_(Dependency.pred_project_id.in_(ids),
                                         Dependency.succ_project_id.in_(ids)))
    if filters.status:
        query = query.where(Dependency.status == filters.status)
    if filters.project_id:
        query = query.where(or_(Dependency.pred_project_id == filters.project_id,
                                Dependency.succ_project_id == filters.project_id))
    if filters.department_id:
        in_dept = select(Project.id).where(Project.department_id == filters.department_id)
        query = query.where(or_(Dependency.pred_project_id.in_(in_dept.scalar_subquery()),
                                Dependency.succ_project_id.in_(in_dept.scalar_subquery())))
    if filters.cross_department is not None:
        query = query.where(_crossing(filters.cross_department))
    return query.order_by(Dependency.id.desc())


def _crossing(cross: bool) -> ColumnElement[bool]:
    pred = select(Project.department_id).where(Project.id == Dependency.pred_project_id)
    succ = select(Project.department_id).where(Project.id == Dependency.succ_project_id)
    if cross:
        return pred.scalar_subquery() != succ.scalar_subquery()
    return pred.scalar_subquery() == succ.scalar_subquery()


def accepted_links(session: Session) -> Sequence[Any]:
    """(pred_node, succ_node, type, lag_days) of every accepted dependency."""
    return session.execute(select(Dependency.pred_node, Dependency.succ_node, Dependency.type,
                                  Dependency.lag_days)
                           .where(Dependency.status == "accepted")).all()


def _accepted_ends(column_a: Any, column_b: Any) -> Any:
    return union(select(column_a).where(Dependency.status == "accepted", column_a.is_not(None)),
                 select(column_b).where(Dependency.status == "accepted", column_b.is_not(None)))


def network_milestone_dates(session: Session) -> Sequence[Any]:
    """(id, forecast, planned) of every milestone at an end of an accepted dependency."""
    ends = _accepted_ends(Dependency.pred_milestone_id, Dependency.succ_milestone_id)
    return session.execute(select(Milestone.id, Milestone.forecast_date, Milestone.planned_date)
                           .where(Milestone.id.in_(select(ends.subquery().c[0])))).all()


def network_project_dates(session: Session) -> Sequence[Any]:
    """(id, start, finish) of every project that is itself an end of an accepted dependency."""
    pred = select(Dependency.pred_project_id).where(Dependency.status == "accepted",
                                                    Dependency.pred_kind == "project")
    succ = select(Dependency.succ_project_id).where(Dependency.status == "accepted",
                                                    Dependency.succ_kind == "project")
    ends = union(pred, succ).subquery()
    return session.execute(select(
        Project.id, func.coalesce(Project.forecast_start, Project.planned_start),
        func.coalesce(Project.forecast_finish, Project.planned_finish))
        .where(Project.id.in_(select(ends.c[0])))).all()


def milestone_dates_of(session: Session, ids: Iterable[int]) -> Sequence[Any]:
    """(id, forecast, planned) of the given milestones."""
    return session.execute(select(Milestone.id, Milestone.forecast_date, Milestone.planned_date)
                           .where(Milestone.id.in_(sorted(set(ids))))).all()


def project_dates_of(session: Session, ids: Iterable[int]) -> Sequence[Any]:
    """(id, start, finish) of the given projects, forecast else planned."""
    return session.execute(select(
        Project.id, func.coalesce(Project.forecast_start, Project.planned_start),
        func.coalesce(Project.forecast_finish, Project.planned_finish))
        .where(Project.id.in_(sorted(set(ids))))).all()


# --- implied dates and the head ---------------------------------------------------------


def implied_rows(session: Session,
                 nodes: Iterable[int] | None = None) -> dict[int, tuple[date, date]]:
    """Stored implied (start, finish) by node (all of them, or of ``nodes``)."""
    query = select(NetworkDate.node, NetworkDate.implied_start, NetworkDate.implied_finish)
    if nodes is None:
        return {node: (start, finish) for node, start, finish in session.execute(query)}
    found: dict[int, tuple[date, date]] = {}
    for chunk in chunks(sorted(set(nodes)), 5000):
        rows = session.execute(query.where(NetworkDate.node.in_(chunk)))
        found.update((node, (start, finish)) for node, start, finish in rows)
    return found


def write_implied_rows(session: Session, dates: Mapping[int, tuple[date, date]],
                       cleared: Iterable[int]) -> None:
    """Replace the implied dates of ``dates``'s nodes and drop those of ``cleared``, in bulk
    statements (a change can move thousands of nodes; no ORM object is made)."""
    for stale in chunks(sorted({*dates, *cleared}), 5000):
        session.execute(delete(NetworkDate).where(NetworkDate.node.in_(stale)))
    rows = [{"node": node, "implied_start": start, "implied_finish": finish}
            for node, (start, finish) in sorted(dates.items())]
    for batch in chunks(rows, 5000):
        session.execute(insert(NetworkDate), batch)


def add_impacts(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert a change event's impact rows in bulk statements."""
    for chunk in chunks(list(rows), 5000):
        session.execute(insert(ChangeImpact), chunk)


def head(session: Session, lock: bool = False) -> NetworkHead | None:
    """The network's head row (locked for update when asked)."""
    query = select(NetworkHead).where(NetworkHead.id == 1)
    return session.scalar(query.with_for_update() if lock else query)


# --- rows behind nodes ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NodeInfo:
    """What pages and messages show of a node: its project, department and name."""

    project_id: int
    department_id: int
    manager_id: int | None
    programme_id: int | None
    name: str
    project_code: str


def node_infos(session: Session, milestone_ids: Iterable[int],
               project_ids: Iterable[int]) -> dict[tuple[str, int], NodeInfo]:
    """NodeInfo of milestones and projects, keyed by ("milestone"|"project", id)."""
    found: dict[tuple[str, int], NodeInfo] = {}
    m_ids, p_ids = sorted(set(milestone_ids)), sorted(set(project_ids))
    columns = (Project.id, Project.department_id, Project.manager_id, Project.programme_id)
    for chunk in chunks(m_ids, 5000):
        rows = session.execute(select(Milestone.id, Milestone.name, Project.code, *columns)
                               .join(Project, Project.id == Milestone.project_id)
                               .where(Milestone.id.in_(chunk)))
        for mid, name, code, pid, dept, manager, programme in rows:
            found[("milestone", mid)] = NodeInfo(pid, dept, manager, programme, name, code)
    for chunk in chunks(p_ids, 5000):
        found_projects = session.execute(select(Project.name, Project.code, *columns)
                                         .where(Project.id.in_(chunk)))
        for name, code, pid, dept, manager, programme in found_projects:
            found[("project", pid)] = NodeInfo(pid, dept, manager, programme, name, code)
    return found


def department_names(session: Session) -> dict[int, str]:
    """Department code by id."""
    return {ident: code for ident, code in session.execute(select(Department.id, Department.code))}


def owners_of(session: Session, manager_ids: Iterable[int],
              department_ids: Iterable[int]) -> list[int]:
    """Active users managing those people's projects or leading those departments (or a parent
    of one), by user id."""
    people = sorted(set(manager_ids))
    parents = department_parents(session)
    wanted: set[int] = set()
    for dept in set(department_ids):
        current: int | None = dept
        while current is not None and current not in wanted:
            wanted.add(current)
            current = parents.get(current)
    leads = select(UserDepartment.user_id).where(UserDepartment.department_id.in_(sorted(wanted)))
    query = select(User.id).where(User.is_active.is_(True), or_(
        User.person_id.in_(people),
        and_(User.role == "department_lead", User.id.in_(leads.scalar_subquery()))))
    return list(session.scalars(query.order_by(User.id)))


def milestones_of_projects(session: Session, project_ids: Sequence[int]) -> list[int]:
    """Ids of the milestones of these projects."""
    return list(session.scalars(select(Milestone.id).where(Milestone.project_id.in_(project_ids))))


def projects_of_goal(session: Session, goal_id: int) -> list[int]:
    """Ids of the projects contributing to a goal."""
    return list(session.scalars(select(ProjectGoal.project_id)
                                .where(ProjectGoal.goal_id == goal_id)))


# --- change events ----------------------------------------------------------------------


def get_event(session: Session, event_id: int) -> ChangeEvent | None:
    """Return a change event by id."""
    return session.get(ChangeEvent, event_id)


def event_query(readable: Select[int], department_id: int | None, status: str | None,
                since: datetime | None) -> Select[Any]:
    """Events about, or hitting, a readable project; newest first."""
    ids = readable.scalar_subquery()
    hits = select(ChangeImpact.event_id).where(ChangeImpact.project_id.in_(ids))
    query = select(ChangeEvent).where(or_(ChangeEvent.project_id.in_(ids),
                                          ChangeEvent.id.in_(hits.scalar_subquery())))
    if department_id:
        in_dept = select(ChangeImpact.event_id).where(ChangeImpact.department_id == department_id)
        source = select(Project.id).where(Project.department_id == department_id)
        query = query.where(or_(ChangeEvent.id.in_(in_dept.scalar_subquery()),
                                ChangeEvent.project_id.in_(source.scalar_subquery())))
    if status:
        query = query.where(ChangeEvent.status == status)
    if since:
        query = query.where(ChangeEvent.at >= since)
    return query.order_by(ChangeEvent.at.desc(), ChangeEvent.id.desc())


def impacts_of(session: Session, event_id: int) -> list[ChangeImpact]:
    """The impacts of an event, largest slip first."""
    return list(session.scalars(select(ChangeImpact).where(ChangeImpact.event_id == event_id)
                                .order_by(ChangeImpact.slip_days.desc(), ChangeImpact.id)))


def responses_of(session: Session, event_id: int) -> list[ChangeResponse]:
    """The departments' responses to an event."""
    return list(session.scalars(select(ChangeResponse).where(ChangeResponse.event_id == event_id)
                                .order_by(ChangeResponse.department_id)))


def response_for(session: Session, event_id: int, department_id: int) -> ChangeResponse | None:
    """One department's response row to an event."""
    return session.scalar(select(ChangeResponse).where(
        ChangeResponse.event_id == event_id, ChangeResponse.department_id == department_id))


def event_touches(session: Session, event_id: int, project_ids: Select[int]) -> bool:
    """Whether the event hits one of these projects."""
    return session.scalar(select(func.count()).select_from(ChangeImpact).where(
        ChangeImpact.event_id == event_id,
        ChangeImpact.project_id.in_(project_ids.scalar_subquery()))) != 0


def open_event_dates(session: Session) -> list[date]:
    """Days the open events were recorded."""
    return [at.date() for at in session.scalars(
        select(ChangeEvent.at).where(ChangeEvent.status == "open"))]


# --- measures ---------------------------------------------------------------------------


def dependency_pairs(session: Session) -> Sequence[Any]:
    """(pred department, succ department, status, count) of every non-declined dependency."""
    pred, succ = Project.__table__.alias("pp"), Project.__table__.alias("sp")
    query = (select(pred.c.department_id, succ.c.department_id, Dependency.status, func.count())
             .join(pred, pred.c.id == Dependency.pred_project_id)
             .join(succ, succ.c.id == Dependency.succ_project_id)
             .where(Dependency.status != "declined")
             .group_by(pred.c.department_id, succ.c.department_id, Dependency.status))
    return session.execute(query).all()


def open_slips(session: Session) -> Sequence[Any]:
    """(source department, hit department, max slip) per open event and hit department."""
    query = (select(Project.department_id, ChangeImpact.department_id,
                    func.max(ChangeImpact.slip_days))
             .join(ChangeEvent, ChangeEvent.id == ChangeImpact.event_id)
             .join(Project, Project.id == ChangeEvent.project_id)
             .where(ChangeEvent.status == "open")
             .group_by(ChangeEvent.id, Project.department_id, ChangeImpact.department_id))
    return session.execute(query).all()


def acknowledgements(session: Session) -> Sequence[Any]:
    """(source department, responding department, notified_at, acknowledged_at) of every
    acknowledged response."""
    query = (select(Project.department_id, ChangeResponse.department_id,
                    ChangeResponse.notified_at, ChangeResponse.acknowledged_at)
             .join(ChangeEvent, ChangeEvent.id == ChangeResponse.event_id)
             .join(Project, Project.id == ChangeEvent.project_id)
             .where(ChangeResponse.acknowledged_at.is_not(None)))
    return session.execute(query).all()


def cross_department_projects(session: Session) -> tuple[int, int]:
    """Projects other departments take part in, and how many of them have a declared
    (not declined) dependency."""
    crossing = select(ProjectDepartment.project_id).distinct().subquery()
    ends = union(select(Dependency.pred_project_id).where(Dependency.status != "declined"),
                 select(Dependency.succ_project_id).where(Dependency.status != "declined")
                 ).subquery()
    total = session.scalar(select(func.count()).select_from(crossing)) or 0
    declared = session.scalar(select(func.count()).select_from(crossing).where(
        crossing.c.project_id.in_(select(ends.c[0])))) or 0
    return total, declared


def graph_dependencies(session: Session, project_ids: Select[int],
                       limit: int) -> list[Dependency]:
    """Non-declined dependencies with an end in the projects, at most ``limit``."""
    ids = project_ids.scalar_subquery()
    return list(session.scalars(select(Dependency).where(
        Dependency.status != "declined",
        or_(Dependency.pred_project_id.in_(ids), Dependency.succ_project_id.in_(ids)))
        .order_by(Dependency.id).limit(limit)))


def touching(session: Session, project_id: int, milestone_id: int | None) -> list[Dependency]:
    """Dependencies with an end on the milestone, or anywhere on the project."""
    if milestone_id is not None:
        where = or_(Dependency.pred_milestone_id == milestone_id,
                    Dependency.succ_milestone_id == milestone_id)
    else:
        where = or_(Dependency.pred_project_id == project_id,
                    Dependency.succ_project_id == project_id)
    return list(session.scalars(select(Dependency).where(where).order_by(Dependency.id)))


def projects_of_programme(session: Session, programme_id: int) -> list[int]:
    """Ids of a programme's projects."""
    return list(session.scalars(select(Project.id).where(Project.programme_id == programme_id)))


def programme_options(session: Session, readable: ColumnElement[bool]) -> list[tuple[int, str]]:
    """(id, code) of the programmes matching ``readable``."""
    return [(i, c) for i, c in session.execute(
        select(Programme.id, Programme.code).where(readable).order_by(Programme.code))]


def goal_options(session: Session) -> list[tuple[int, str]]:
    """(id, code) of every goal."""
    return [(i, c) for i, c in session.execute(select(Goal.id, Goal.code).order_by(Goal.code))]

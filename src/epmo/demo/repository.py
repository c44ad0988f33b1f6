"""Queries of the demo loader: Core bulk writes by table name, and the few rows it looks up.

The demo writes every domain's tables at once (bulk inserts that bypass the ORM for speed),
so its queries address tables by name; the domain services it also calls keep their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import (
    CursorResult,
    Delete,
    Row,
    Table,
    delete,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from epmo.auth.models import User
from epmo.charter.models import CharterVersion
from epmo.contracts.models import DepartmentMethod
from epmo.db import Base
from epmo.intake.models import IntakeRequest
from epmo.org.models import Department, Person
from epmo.portfolio.models import Milestone, Project, ProjectDemand
from epmo.reporting.models import StatusReport
from epmo.scoring.models import ScoringCriterion


def table(name: str) -> Table:
    """The table called ``name``."""
    return Base.metadata.tables[name]


def has_table(session: Session, name: str) -> bool:
    """Whether the database has a table called ``name`` (the schema was created)."""
    return inspect(session.connection()).has_table(name)


def count_rows(session: Session, name: str) -> int:
    """How many rows the table called ``name`` holds."""
    return session.scalar(select(func.count()).select_from(table(name))) or 0


def next_id(session: Session, name: str) -> int:
    """The id after the largest in the table called ``name``."""
    return (session.scalar(select(func.max(table(name).c.id))) or 0) + 1


def insert_rows(session: Session, name: str, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` into the table called ``name`` in one executemany."""
    session.execute(insert(table(name)), rows)


def delete_all(session: Session, target: Table) -> int:
    """Delete every row of ``target``; return how many."""
    return _deleted(session, delete(target))


def delete_users(session: Session, emails: Iterable[str]) -> int:
    """Delete the user accounts with these emails; return how many."""
    users = table("user_account")
    return _deleted(session, delete(users).where(users.c.email.in_(list(emails))))


def _deleted(session: Session, statement: Delete) -> int:
    result = cast(CursorResult[Any], session.execute(statement))
    return result.rowcount


def unlink_self(session: Session, target: Table) -> None:
    """Null self-references (department and goal parents) so rows delete in any order."""
    for fk in target.foreign_keys:
        if fk.column.table is target and fk.parent.nullable:
            session.execute(update(target).values({fk.parent.name: None}))


def first_taken_code(session: Session, name: str, codes: Sequence[str]) -> str | None:
    """One of ``codes`` already used in the table called ``name``, if any."""
    column = table(name).c.code
    return session.scalar(select(column).where(column.in_(codes)).limit(1))


def first_taken_email(session: Session, emails: Sequence[str]) -> str | None:
    """One of ``emails`` a user account already has, if any."""
    return session.scalar(select(User.email).where(User.email.in_(emails)).limit(1))


def active_emails(session: Session, emails: Sequence[str]) -> set[str]:
    """Those of ``emails`` whose accounts exist and are active."""
    return set(session.scalars(select(User.email).where(
        User.email.in_(emails), User.is_active.is_(True))))


def has_admin(session: Session) -> bool:
    """Whether any user account is an EPMO administrator."""
    roles = table("user_account").c.role
    return session.scalar(select(roles).where(roles == "epmo_admin").limit(1)) is not None


def department_ids_by_code(session: Session, codes: Sequence[str]) -> dict[str, int]:
    """The ids of the departments that exist with these codes, by code."""
    depts = table("department")
    found = session.execute(select(depts.c.code, depts.c.id).where(depts.c.code.in_(codes)))
    return {code: id_ for code, id_ in found}


def next_charter_number(session: Session) -> int:
    """The number the next charter version gets."""
    return (session.scalar(select(func.max(CharterVersion.number))) or 0) + 1


def method_departments(session: Session) -> set[int]:
    """The departments that have a method of their own."""
    return set(session.scalars(select(DepartmentMethod.department_id)))


def sync_sequences(session: Session, tables: Iterable[str]) -> None:
    """On PostgreSQL, move each table's id sequence past its largest id."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in tables:
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"))


def analyze(session: Session, tables: Iterable[str]) -> None:
    """On PostgreSQL, refresh planner statistics now rather than when autovacuum gets to it."""
    if session.get_bind().dialect.name == "postgresql":
        for name in tables:
            session.execute(text(f"ANALYZE {name}"))


def future_milestones(session: Session, today: date, stages: Sequence[str],
                      departments: Sequence[int], inside: bool,
                      limit: int) -> Sequence[Row[int, int, date | None, int, int | None]]:
    """(milestone, project, forecast, department, manager) of open projects' coming milestones
    inside (or outside) ``departments``, by date."""
    in_it = Project.department_id.in_(departments)
    return session.execute(
        select(Milestone.id, Project.id, Milestone.forecast_date, Project.department_id,
               Project.manager_id)
        .join(Project, Project.id == Milestone.project_id)
        .where(Project.stage.in_(stages), Milestone.forecast_date > today,
               Milestone.status.in_(("planned", "in_progress")),
               in_it if inside else ~in_it)
        .order_by(Milestone.forecast_date, Milestone.id).limit(limit)).all()


def user_by_email(session: Session, email: str) -> User | None:
    """The user account with this email, if any."""
    return session.scalar(select(User).where(User.email == email))


def first_admin(session: Session) -> User | None:
    """The oldest active EPMO administrator, if any."""
    return session.scalar(select(User).where(User.role == "epmo_admin", User.is_active.is_(True))
                          .order_by(User.id).limit(1))


def person_of(session: Session, email: str) -> int | None:
    """The person id of the user account with this email, if any."""
    return session.scalar(select(User.person_id).where(User.email == email))


def managed_projects(session: Session, person_id: int, stages: tuple[str, ...],
                     limit: int) -> list[Project]:
    """The person's open projects with a planned start, oldest first."""
    query = (select(Project).where(Project.manager_id == person_id, Project.stage.in_(stages),
                                   Project.planned_start.is_not(None))
             .order_by(Project.id).limit(limit))
    return list(session.scalars(query))


def person_email(session: Session, person_id: int) -> str:
    """A person's e-mail ("" when none)."""
    return session.scalar(select(Person.email).where(Person.id == person_id)) or ""


def any_request(session: Session) -> bool:
    """Whether the hub holds any intake request."""
    return session.scalar(select(IntakeRequest.id).limit(1)) is not None


def scored_criteria(session: Session, model_id: int) -> list[ScoringCriterion]:
    """A scoring model's criteria that scorers fill in (not the computed ones)."""
    return list(session.scalars(select(ScoringCriterion).where(
        ScoringCriterion.model_id == model_id, ScoringCriterion.computed.is_(None))))


def scorers(session: Session) -> list[int]:
    """The first two administrators or executives, who score the demo's requests."""
    return list(session.scalars(select(User.id).where(
        User.role.in_(("epmo_admin", "executive"))).order_by(User.id).limit(2)))


def drop_reports_from(session: Session, after: datetime) -> None:
    """Delete the status reports submitted at or after ``after`` (plain DELETE)."""
    session.execute(delete(StatusReport).where(StatusReport.submitted_at >= after),
                    execution_options={"synchronize_session": False})


def demand_lines(session: Session, months: Sequence[str], stages: Sequence[str],
                 ) -> Sequence[Row[int, str, str, int, str, Any, date | None, date | None]]:
    """(project, code, name, department, role, FTE-months, start, finish) of the role demand
    of projects in ``stages`` summed over ``months``, by project id then role."""
    start = func.coalesce(Project.forecast_start, Project.planned_start)
    finish = func.coalesce(Project.forecast_finish, Project.planned_finish)
    return session.execute(
        select(Project.id, Project.code, Project.name, Project.department_id, ProjectDemand.role,
               func.sum(ProjectDemand.fte_months), start, finish)
        .join(ProjectDemand, ProjectDemand.project_id == Project.id)
        .where(Project.stage.in_(stages), ProjectDemand.period.in_(months))
        .group_by(Project.id, Project.code, Project.name, Project.department_id,
                  ProjectDemand.role, start, finish)
        .order_by(Project.id, ProjectDemand.role)).all()


def people_hours(session: Session) -> Sequence[Row[int, int, str, Any]]:
    """(person, department, role, weekly hours) of every active person, by id."""
    return session.execute(select(Person.id, Person.department_id, Person.role,
                                  Person.weekly_capacity_hours)
                           .where(Person.active.is_(True)).order_by(Person.id)).all()


def top_departments(session: Session) -> list[Department]:
    """The departments at the top of the hierarchy, by code."""
    query = select(Department).where(Department.parent_id.is_(None)).order_by(Department.code)
    return list(session.scalars(query))


def people_of(session: Session, department_ids: Iterable[int], limit: int) -> list[Person]:
    """The first ``limit`` active people of these departments with an e-mail."""
    query = (select(Person).where(Person.department_id.in_(list(department_ids)),
                                  Person.active.is_(True), Person.email.is_not(None))
             .order_by(Person.id).limit(limit))
    return list(session.scalars(query))

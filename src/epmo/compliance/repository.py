"""Reads of the compliance domain: a fixed number of set-based queries however many projects.

The facts of every project come from one query on ``project``, one on the periods of every
status report, and one ``GROUP BY`` each on artefacts and gate reviews; ``owner`` narrows
all of them to some projects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select, true
from sqlalchemy.orm import Session, aliased

from epmo.auth.models import User, UserDepartment
from epmo.compliance.models import ComplianceSnapshot, GateReview
from epmo.contracts.models import Artefact
from epmo.db import core_connection
from epmo.notifications.models import Notification
from epmo.org.models import Department
from epmo.portfolio.models import Project
from epmo.reporting.models import StatusReport
from epmo.sql import chunks

BASE_COLUMNS = (Project.id, Project.code, Project.name, Project.department_id, Project.tier,
                Project.stage, Project.created_at, Project.actual_start, Project.planned_start)


def project_rows(session: Session, extra: Sequence[str],
                 where: Sequence[ColumnElement[bool]]) -> Sequence[Any]:
    """The base columns and the ``extra`` project columns of the projects ``where`` selects."""
    columns = [*BASE_COLUMNS, *(Project.__table__.c[name] for name in extra)]
    query = select(*columns).where(*where).order_by(Project.id)
    return session.execute(query).all()


def _owned(column: Any, where: Sequence[ColumnElement[bool]]) -> ColumnElement[bool]:
    """``column`` is the id of one of the selected projects (no condition: all of them)."""
    if not where:
        return true()
    return column.in_(select(Project.id).where(*where))  # type: ignore[no-any-return]


def report_periods(session: Session, where: Sequence[ColumnElement[bool]]
                   ) -> dict[int, tuple[tuple[date, date], ...]]:
    """Project id -> (first, last day) of each of its status reports, in no order.

    One query over the whole history (the engine needs every report, not the latest, to find
    the periods in between that have none). The rows are read from the driver's cursor:
    building a SQLAlchemy row per report took three times as long as the read itself on
    200,000 reports. SQLite's driver hands dates over as ISO text, psycopg as dates.
    """
    query = (select(StatusReport.project_id, StatusReport.period_start,
                    StatusReport.period_end)
             .where(_owned(StatusReport.project_id, where)))
    result = core_connection(session).execute(query)  # pending reports count
    try:
        rows = result.cursor.fetchall()
    finally:
        result.close()
    found: dict[int, list[tuple[date, date]]] = {}
    days: dict[Any, date] = {}  # few distinct days: parse each once
    for project_id, start, end in rows:
        first = days.get(start) or days.setdefault(start, _day(start))
        last = days.get(end) or days.setdefault(end, _day(end))
        found.setdefault(project_id, []).append((first, last))
    return {ident: tuple(periods) for ident, periods in found.items()}


def _day(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def artefact_kinds(session: Session,
                   where: Sequence[ColumnElement[bool]]) -> dict[int, set[str]]:
    """Project id -> the artefact kinds it has on file."""
    query = (select(Artefact.project_id, Artefact.kind)
             .where(_owned(Artefact.project_id, where))
             .group_by(Artefact.project_id, Artefact.kind))
    kinds: dict[int, set[str]] = {}
    for project_id, kind in session.execute(query):
        kinds.setdefault(project_id, set()).add(kind)
    return kinds


def passed_gates(session: Session,
                 where: Sequence[ColumnElement[bool]]) -> dict[int, set[str]]:
    """Project id -> codes of the gates whose latest decision is "go".

    A "go" counts unless a later decision (by ``decided_at``, then id) on the same gate exists.
    """
    later = aliased(GateReview)
    overruled = (select(later.id).where(
        later.project_id == GateReview.project_id, later.gate_code == GateReview.gate_code,
        later.decision.is_not(None), later.id != GateReview.id,
        or_(later.decided_at > GateReview.decided_at,
            and_(later.decided_at == GateReview.decided_at, later.id > GateReview.id))))
    query = (select(GateReview.project_id, GateReview.gate_code)
             .where(GateReview.decision == "go", ~overruled.exists(),
                    _owned(GateReview.project_id, where)))
    passed: dict[int, set[str]] = {}
    for project_id, code in session.execute(query):
        passed.setdefault(project_id, set()).add(code)
    return passed


def department_parents(session: Session) -> dict[int, int | None]:
    """Department id -> its parent's id."""
    query = select(Department.id, Department.parent_id)
    return {row[0]: row[1] for row in session.execute(query)}


def department_id_by_code(session: Session, code: str) -> int | None:
    """The id of the department with this code."""
    return session.scalar(select(Department.id).where(Department.code == code))


def department_labels(session: Session) -> dict[int, tuple[str, str]]:
    """Department id -> (code, name)."""
    rows = session.execute(select(Department.id, Department.code, Department.name))
    return {ident: (code, name) for ident, code, name in rows}


# --- gate reviews ---------------------------------------------------------------------------


def get_review(session: Session, review_id: int) -> GateReview | None:
    """One gate review by id."""
    return session.get(GateReview, review_id)


def reviews_of(session: Session, project_id: int) -> list[GateReview]:
    """A project's gate reviews, newest first."""
    query = (select(GateReview).where(GateReview.project_id == project_id)
             .order_by(GateReview.id.desc()))
    return list(session.scalars(query))


def user_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """User id -> name."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.name).where(User.id.in_(wanted)))
    return {row[0]: row[1] for row in rows}


# --- snapshots ------------------------------------------------------------------------------


def snapshots_on(session: Session, day: date) -> dict[int | None, ComplianceSnapshot]:
    """The snapshot rows of one day by department (None: the enterprise)."""
    query = select(ComplianceSnapshot).where(ComplianceSnapshot.taken_on == day)
    return {row.department_id: row for row in session.scalars(query)}


def snapshot_query(since: date | None) -> Select[ComplianceSnapshot]:
    """Snapshots from ``since`` on, oldest first."""
    query = select(ComplianceSnapshot).order_by(ComplianceSnapshot.taken_on,
                                                ComplianceSnapshot.department_id)
    if since is not None:
        query = query.where(ComplianceSnapshot.taken_on >= since)
    return query


def list_snapshots(session: Session, since: date | None) -> list[ComplianceSnapshot]:
    """Every snapshot from ``since`` on."""
    return list(session.scalars(snapshot_query(since)))


def delete_snapshot_rows(session: Session, rows: Iterable[ComplianceSnapshot]) -> None:
    """Remove snapshot rows through the ORM (so the audit log records them)."""
    for row in rows:
        session.delete(row)


# --- reminders ------------------------------------------------------------------------------


def project_managers(session: Session,
                     where: Sequence[ColumnElement[bool]]) -> dict[int, int | None]:
    """Project id -> its manager's person id."""
    query = select(Project.id, Project.manager_id).where(*where)
    return {row[0]: row[1] for row in session.execute(query)}


def users_of_people(session: Session, person_ids: Iterable[int]) -> dict[int, list[int]]:
    """Person id -> ids of the active user accounts linked to that person."""
    found: dict[int, list[int]] = {}
    for chunk in chunks(sorted(set(person_ids))):
        query = (select(User.person_id, User.id)
                 .where(User.person_id.in_(chunk), User.is_active.is_(True)).order_by(User.id))
        for person_id, user_id in session.execute(query):
            found.setdefault(person_id, []).append(user_id)  # type: ignore[arg-type]
    return found


def department_leads(session: Session, department_ids: Iterable[int]) -> dict[int, list[int]]:
    """Department id -> ids of the active department leads who are members of it."""
    found: dict[int, list[int]] = {}
    for chunk in chunks(sorted(set(department_ids))):
        query = (select(UserDepartment.department_id, User.id)
                 .join(User, User.id == UserDepartment.user_id)
                 .where(UserDepartment.department_id.in_(chunk),
                        User.role == "department_lead", User.is_active.is_(True))
                 .order_by(User.id))
        for department_id, user_id in session.execute(query):
            found.setdefault(department_id, []).append(user_id)
    return found


def existing_keys(session: Session, keys: Iterable[str]) -> set[tuple[int, str]]:
    """(user id, key) of the notifications already sent with one of ``keys``."""
    found: set[tuple[int, str]] = set()
    for chunk in chunks(sorted(set(keys))):
        query = select(Notification.user_id, Notification.key).where(Notification.key.in_(chunk))
        found.update((row[0], row[1]) for row in session.execute(query))
    return found



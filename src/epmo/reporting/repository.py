"""Reads of the reporting domain: status reports, RAID items, top risks; and the stored
derived colours (``store_derived_health``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import ColumnElement, Row, Select, Table, func, select, tuple_, update
from sqlalchemy.orm import Session

from epmo.org.models import Person
from epmo.portfolio.models import Project
from epmo.reporting.models import RaidItem, StatusReport
from epmo.sql import chunks

# --- status reports ---------------------------------------------------------------------


def get_report(session: Session, report_id: int) -> StatusReport | None:
    """Return a status report by id."""
    return session.get(StatusReport, report_id)


def report_query(project_id: int) -> Select[StatusReport]:
    """A project's reports, newest period first."""
    return (select(StatusReport).where(StatusReport.project_id == project_id)
            .order_by(StatusReport.period_start.desc(), StatusReport.id.desc()))


def report_for_period(session: Session, project_id: int, start: date,
                      exclude_id: int | None = None) -> StatusReport | None:
    """The project's report for the period starting ``start``, if any (other than one)."""
    query = select(StatusReport).where(StatusReport.project_id == project_id,
                                       StatusReport.period_start == start)
    if exclude_id is not None:
        query = query.where(StatusReport.id != exclude_id)
    return session.scalar(query.limit(1))


def existing_periods(session: Session,
                     pairs: Iterable[tuple[int, date]]) -> set[tuple[int, date]]:
    """Which (project id, period start) pairs already have a report."""
    wanted = sorted(set(pairs))
    found: set[tuple[int, date]] = set()
    for part in chunks(wanted, 500):
        key = tuple_(StatusReport.project_id, StatusReport.period_start)
        rows = session.execute(select(StatusReport.project_id, StatusReport.period_start)
                               .where(key.in_(part)))
        found.update((row[0], row[1]) for row in rows)
    return found


def latest_period(session: Session, project_id: int) -> date | None:
    """The start of the project's newest reported period."""
    return session.scalar(select(func.max(StatusReport.period_start))
                          .where(StatusReport.project_id == project_id))


def store_derived_health(session: Session, project_colour: ColumnElement[Any],
                         report_colour: ColumnElement[Any],
                         project_ids: Sequence[int] | None) -> None:
    """Write the derived colours (SQL over a project's, or a report's and its project's,
    columns) into ``derived_health`` where they differ: of these projects and their reports,
    or of all (None). Plain UPDATEs: a derived column is no edit (no version, no audit)."""
    projects, reports = cast(Table, Project.__table__), cast(Table, StatusReport.__table__)
    # updated_at = itself: not the column's onupdate default (no one edited the row)
    own = (update(projects).values(derived_health=project_colour,
                                   updated_at=projects.c.updated_at)
           .where(projects.c.derived_health.is_distinct_from(project_colour)))
    theirs = (update(reports).values(derived_health=report_colour,
                                     updated_at=reports.c.updated_at)
              .where(reports.c.project_id == projects.c.id,
                     reports.c.derived_health.is_distinct_from(report_colour)))
    if project_ids is not None:
        own = own.where(projects.c.id.in_(project_ids))
        theirs = theirs.where(reports.c.project_id.in_(project_ids))
    session.execute(own)
    session.execute(theirs)


def projects_by_code(session: Session, codes: Iterable[str]) -> dict[str, Project]:
    """The projects with these codes, by code."""
    wanted = sorted(set(codes))
    found: dict[str, Project] = {}
    for part in chunks(wanted):
        query = select(Project).where(Project.code.in_(part))
        found.update((p.code, p) for p in session.scalars(query))
    return found


def projects_by_id(session: Session, ids: Iterable[int]) -> dict[int, Project]:
    """The projects with these ids, by id."""
    wanted = sorted(set(ids))
    return {p.id: p for p in session.scalars(select(Project).where(Project.id.in_(wanted)))}


# --- RAID -------------------------------------------------------------------------------


def get_raid_item(session: Session, item_id: int) -> RaidItem | None:
    """Return a RAID item by id."""
    return session.get(RaidItem, item_id)


def raid_query(project_id: int, kind: str | None = None,
               status: str | None = None) -> Select[RaidItem]:
    """A project's RAID items, open before closed, highest score first, then newest."""
    query = select(RaidItem).where(RaidItem.project_id == project_id)
    if kind:
        query = query.where(RaidItem.kind == kind)
    if status:
        query = query.where(RaidItem.status == status)
    return query.order_by(RaidItem.status.desc(), RaidItem.score.desc().nulls_last(),
                          RaidItem.id.desc())


def list_raid(session: Session, project_id: int, kind: str | None, status: str | None,
              limit: int) -> Sequence[RaidItem]:
    """The first ``limit`` of a project's RAID items, in the register's order."""
    return session.scalars(raid_query(project_id, kind, status).limit(limit)).all()


def top_risks_query(scope: ColumnElement[bool], department_ids: list[int] | None,
                    programme_id: int | None) -> Select[RaidItem, Project]:
    """Open risks of the projects in ``scope`` (and the filters), highest score first."""
    query = (select(RaidItem, Project).join(Project, Project.id == RaidItem.project_id)
             .where(RaidItem.kind == "risk", RaidItem.status == "open", scope))
    if department_ids is not None:
        query = query.where(Project.department_id.in_(department_ids))
    if programme_id is not None:
        query = query.where(Project.programme_id == programme_id)
    return query.order_by(RaidItem.score.desc().nulls_last(), RaidItem.id)


def person_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Names of these people, by id."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = session.execute(select(Person.id, Person.name).where(Person.id.in_(wanted)))
    return {row[0]: row[1] for row in rows}


def people_exist(session: Session, ids: Sequence[int]) -> set[int]:
    """Which of these person ids exist."""
    rows = session.scalars(select(Person.id).where(Person.id.in_(list(ids))))
    return set(rows)


def top_risk_rows(session: Session, query: Select[RaidItem, Project],
                  limit: int) -> Sequence[Row[RaidItem, Project]]:
    """The first ``limit`` rows (risk, project) of a top-risks query."""
    return session.execute(query.limit(limit)).all()

"""Reads and bulk writes of schedules; a whole schedule is read in four queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from epmo.org.models import Person
from epmo.portfolio.models import Milestone
from epmo.schedule.models import Activity, Link, Part, Schedule, ScheduleChange
from epmo.sql import chunks

CHUNK = 1000  # rows per INSERT, below every database's limit on bound parameters


def get_schedule(session: Session, project_id: int) -> Schedule | None:
    """The project's schedule, if one was imported."""
    return session.scalar(select(Schedule).where(Schedule.project_id == project_id))


def activities_of(session: Session, schedule_id: int) -> list[Activity]:
    """The schedule's activities in file order."""
    query = select(Activity).where(Activity.schedule_id == schedule_id).order_by(Activity.position)
    return list(session.scalars(query))


def links_of(session: Session, schedule_id: int) -> list[Link]:
    """The schedule's links."""
    return list(session.scalars(select(Link).where(Link.schedule_id == schedule_id)
                                .order_by(Link.id)))


def parts_of(session: Session, schedule_id: int, kind: str) -> list[dict[str, Any]]:
    """The calendars, resources or assignments of a schedule, as stored."""
    query = select(Part.body).where(Part.schedule_id == schedule_id, Part.kind == kind)
    return list(session.scalars(query.order_by(Part.id)))


def changes_of(session: Session, schedule_id: int) -> list[ScheduleChange]:
    """What each re-import changed, newest first."""
    query = select(ScheduleChange).where(ScheduleChange.schedule_id == schedule_id)
    return list(session.scalars(query.order_by(ScheduleChange.id.desc())))


def milestones_by_id(session: Session, ids: Sequence[int]) -> dict[int, Milestone]:
    """Milestones by id (the ones a schedule's activities feed)."""
    found: dict[int, Milestone] = {}
    for chunk in chunks(ids):
        found.update((m.id, m) for m in session.scalars(
            select(Milestone).where(Milestone.id.in_(chunk))))
    return found


def people_by_contact(session: Session, emails: Sequence[str],
                      names: Sequence[str]) -> dict[str, tuple[int, str]]:
    """Active people with a role, (id, role), keyed by their e-mail and by their name, both in
    lower case."""
    wanted_emails = sorted({e.lower() for e in emails})
    wanted_names = sorted({n.lower() for n in names})
    found: dict[str, tuple[int, str]] = {}
    for column, values in ((func.lower(Person.name), wanted_names),
                           (func.lower(Person.email), wanted_emails)):
        for part in chunks(values):
            query = select(column, Person.id, Person.role).where(
                Person.active.is_(True), Person.role != "", column.in_(part))
            found.update((key, (pid, role)) for key, pid, role in session.execute(query))
    return found


def clear_contents(session: Session, schedule_id: int) -> None:
    """Remove a schedule's activities, links and parts before the new file's are written."""
    for model in (Activity, Link, Part):
        session.execute(delete(model).where(model.schedule_id == schedule_id))


def insert_rows(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    """Bulk insert (Core: no ORM objects, no per-row audit; the import is audited as one)."""
    for part in chunks(rows, CHUNK):
        session.execute(insert(model), part)


def tie_milestone(session: Session, schedule_id: int, uid: str, milestone_id: int | None) -> None:
    """Point an activity at the milestone it feeds (or at none)."""
    session.execute(update(Activity).where(Activity.schedule_id == schedule_id,
                                           Activity.uid == uid).values(milestone_id=milestone_id))


def people_per_role(session: Session) -> dict[str, int]:
    """How many active people hold each role."""
    query = (select(Person.role, func.count()).where(Person.active.is_(True), Person.role != "")
             .group_by(Person.role))
    return {role: count for role, count in session.execute(query)}

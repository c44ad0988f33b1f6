"""Writes of the resources domain's calendars: capacity periods, time off and holidays.

A person's capacity periods may not overlap each other, nor may their time off: the hub would
not know which hours hold. Both are checked against the stored rows in the same transaction
(the person row is locked first on PostgreSQL so two writers cannot both pass the check).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TypeVar

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.editing import check_version, require
from epmo.errors import Conflict, FieldError, Invalid, NotFound
from epmo.org import policy as org_policy
from epmo.org.models import Department, Person
from epmo.resources import policy, repository
from epmo.resources.models import CapacityPeriod, Holiday, TimeOff
from epmo.resources.schemas import CapacityPeriodCreate, HolidayCreate, TimeOffCreate

FAR = date(9999, 12, 31)
Kept = TypeVar("Kept", CapacityPeriod, TimeOff)  # a calendar row of one person


def _person_to_edit(session: Session, actor: Actor, person_id: int) -> Person:
    person = org_policy.access_person_or_404(session, actor, person_id)
    org_policy.require_edit_person(actor, person.department_id)
    repository.lock_person(session, person.id)
    return person


def _clash(starts: date, ends: date | None, rows: Sequence[CapacityPeriod | TimeOff],
           ) -> CapacityPeriod | TimeOff | None:
    for row in rows:
        if starts <= (row.ends or FAR) and row.starts <= (ends or FAR):
            return row
    return None


def _span_words(starts: date, ends: date | None) -> str:
    return f"{starts} to {ends}" if ends is not None else f"{starts} on"


def create_period(session: Session, actor: Actor, person_id: int,
                  data: CapacityPeriodCreate) -> CapacityPeriod:
    """Give a person other weekly hours for a stretch of time (no overlap with another)."""
    person = _person_to_edit(session, actor, person_id)
    clash = _clash(data.starts, data.ends, repository.person_periods(session, person.id))
    if clash is not None:
        raise Invalid("The capacity period overlaps another; nothing was saved", [FieldError(
            "starts", f"{_span_words(data.starts, data.ends)} overlaps the period "
            f"{_span_words(clash.starts, clash.ends)} ({getattr(clash, 'weekly_hours', '')} h "
            "a week)")])
    row = CapacityPeriod(person_id=person.id, starts=data.starts, ends=data.ends,
                         weekly_hours=data.weekly_hours, note=data.note)
    session.add(row)
    session.flush()
    return row


def create_time_off(session: Session, actor: Actor, person_id: int,
                    data: TimeOffCreate) -> TimeOff:
    """Record whole days a person is away (no overlap with other time off)."""
    person = _person_to_edit(session, actor, person_id)
    clash = _clash(data.starts, data.ends, repository.person_time_off(session, person.id))
    if clash is not None:
        raise Invalid("The time off overlaps other time off; nothing was saved", [FieldError(
            "starts", f"{_span_words(data.starts, data.ends)} overlaps "
            f"{getattr(clash, 'kind', 'leave')} from {_span_words(clash.starts, clash.ends)}")])
    row = TimeOff(person_id=person.id, starts=data.starts, ends=data.ends, kind=data.kind,
                  note=data.note)
    session.add(row)
    session.flush()
    return row


def delete_period(session: Session, actor: Actor, period_id: int, version: int) -> None:
    """Remove a capacity period (send the version read)."""
    _delete(session, actor, CapacityPeriod, period_id, version, "Capacity period")


def delete_time_off(session: Session, actor: Actor, time_off_id: int, version: int) -> None:
    """Remove time off (send the version read)."""
    _delete(session, actor, TimeOff, time_off_id, version, "Time off")


def _delete(session: Session, actor: Actor, model: type[Kept], row_id: int, version: int,
            what: str) -> None:
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(f"{what} {row_id} not found")
    _person_to_edit(session, actor, row.person_id)
    check_version(row, version)
    session.delete(row)
    session.flush()


def create_holiday(session: Session, actor: Actor, data: HolidayCreate) -> Holiday:
    """Add a public holiday for everyone or for a department (and those below it)."""
    require(session, Department, data.department_id, "department_id")
    policy.require_keep_holiday(actor, data.department_id)
    taken = [h for h in repository.list_holidays(session)
             if h.day == data.day and h.department_id == data.department_id]
    if taken:
        raise Conflict(f"{data.day} is already the holiday {taken[0].name!r} there")
    row = Holiday(day=data.day, name=data.name, department_id=data.department_id)
    session.add(row)
    session.flush()
    return row


def delete_holiday(session: Session, actor: Actor, holiday_id: int, version: int) -> None:
    """Remove a holiday (send the version read)."""
    row = session.get(Holiday, holiday_id)
    if row is None:
        raise NotFound(f"Holiday {holiday_id} not found")
    policy.require_keep_holiday(actor, row.department_id)
    check_version(row, version)
    session.delete(row)
    session.flush()

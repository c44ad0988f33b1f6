"""Read shapes built from rows: a lending with names, a person's calendar with its FTE."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.org import repository as org_repository
from epmo.org.models import Person
from epmo.portfolio.models import Project
from epmo.resources import months as m
from epmo.resources import policy, repository
from epmo.resources.models import Lending, TimeOff
from epmo.resources.schemas import CalendarRead, CapacityPeriodRead, LendingRead, TimeOffRead
from epmo.resources.supply import calendar_of, fte, holidays_by_department

CALENDAR_MONTHS = 12


def describe_lendings(session: Session, actor: Actor,
                      rows: Sequence[Lending]) -> list[LendingRead]:
    """Lendings with the project code, the departments, the person and the answers allowed."""
    departments = {d.id: d.code for d in repository.departments(session).values()}
    projects = {p.id: p.code for p in (session.get(Project, r.project_id) for r in rows) if p}
    people = {p.id: p.name for p in (session.get(Person, r.person_id) for r in rows
                                     if r.person_id) if p}
    return [LendingRead.model_validate(row).model_copy(update={
        "project_code": projects.get(row.project_id, ""),
        "lender": departments.get(row.lender_department_id, ""),
        "borrower": departments.get(row.borrower_department_id, ""),
        "person_name": people.get(row.person_id or 0, ""),
        "may_answer": policy.actions(session, actor, row)}) for row in rows]


def _away(row: TimeOff, keeper: bool) -> TimeOffRead:
    shown = TimeOffRead.model_validate(row)
    return shown if keeper else shown.model_copy(update={"kind": "away", "note": ""})


def calendar(session: Session, person: Person, today: date, keeper: bool) -> CalendarRead:
    """A person's periods and time off and the FTE they give over the next twelve months; only
    those who keep the calendar (``keeper``) read why someone is away (sick leave is private)."""
    periods = repository.person_periods(session, person.id)
    off = repository.person_time_off(session, person.id)
    months = m.months_from(m.month_of(today), CALENDAR_MONTHS)
    first, end = m.bounds(months[0])[0], m.bounds(months[-1])[1]
    parents = org_repository.department_parents(session)
    holidays = holidays_by_department(repository.holidays(session, first, end), parents)
    days = holidays.get(person.department_id, holidays[None])
    shape = calendar_of(float(person.weekly_capacity_hours), periods, off)
    return CalendarRead(person_id=person.id, name=person.name, role=person.role,
                        weekly_hours=person.weekly_capacity_hours,
                        periods=[CapacityPeriodRead.model_validate(p) for p in periods],
                        time_off=[_away(t, keeper) for t in off], months=months,
                        fte=[round(fte(shape, month, days), 3) for month in months])

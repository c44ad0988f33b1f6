"""Person x week: each person's hours after their calendar, the hours booked on them by name,
the hours of project demand naming them, and their load.

A person's load is the demand naming them (running projects' named lines: an FTE-month in a
month is 8 hours a working day of it) over their hours that week, plus their department's role
load of the demand naming nobody (that month's unnamed demand over capacity, spread evenly over
the role's people: an estimate). Booked hours are the soft- or hard-booked lendings that name
the person (another department's project or their own), 8 hours a day of the FTE on the
working days covered; they show beside the load (the lender's capacity already moved).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from epmo.auth.policy import scope_below
from epmo.errors import FieldError, Invalid, NotFound
from epmo.org import repository as org_repository
from epmo.org.models import Person
from epmo.resources import months as m
from epmo.resources import repository
from epmo.resources.heatmap import build_sheet
from epmo.resources.models import Lending
from epmo.resources.repository import role_key
from epmo.resources.schemas import PeopleWeeksRead, PersonWeeks, WeekCell
from epmo.resources.supply import Calendar, Sheet, calendar_of, holidays_by_department, hours

DEFAULT_WEEKS, MAX_WEEKS = 13, 53
MAX_PEOPLE = 500


def monday_of(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())


def week_name(monday: date) -> str:
    """The ISO week, e.g. ``"2027-W05"``."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _weeks(start: date | None, count: int, today: date) -> list[date]:
    if not 1 <= count <= MAX_WEEKS:
        raise Invalid("The people view shows 1 to 53 weeks",
                      [FieldError("weeks", f"must be 1 to {MAX_WEEKS}, not {count}")])
    day = start or today
    if not date.min + timedelta(weeks=1) <= day <= date.max - timedelta(weeks=MAX_WEEKS + 1):
        raise Invalid("The weeks run past the calendar",
                      [FieldError("start", "must leave the weeks shown within the calendar")])
    first = monday_of(day)
    return [first + timedelta(weeks=k) for k in range(count)]


def _load(sheet: Sheet, key: tuple[int, str], month: str,
          named: dict[tuple[int, str], dict[str, float]]) -> float | None:
    """The role load of the department's demand naming nobody that month."""
    i = sheet.months.index(month)
    capacity = sheet.capacity(key)[i]
    demand = max(0.0, sheet.series("demand", key)[i] - named.get(key, {}).get(month, 0.0))
    return demand / capacity if capacity > 0.005 else None


def _named_hours(months: dict[str, float], monday: date, days: list[date]) -> float:
    """Hours of the week the named demand takes: 8 an FTE a working day, per month."""
    found = 0.0
    for month, fte in months.items():
        first, end = m.bounds(month)
        span = m.overlap(monday, monday + timedelta(days=7), first, end - timedelta(days=1))
        if span is not None:
            found += fte * m.HOURS_PER_DAY * m.busdays(*span, days)
    return found


def _booked_hours(lendings: list[Lending], monday: date, days: list[date]) -> float:
    found = 0.0
    for lending in lendings:
        span = m.overlap(monday, monday + timedelta(days=7), lending.starts, lending.ends)
        if span is not None:
            found += float(lending.fte) * m.HOURS_PER_DAY * m.busdays(*span, days)
    return found


def person_weeks(session: Session, department_id: int, start: date | None, count: int,
                 today: date) -> PeopleWeeksRead:
    """The people of a department (and those below it), week by week."""
    if org_repository.get_department(session, department_id) is None:
        raise NotFound(f"Department {department_id} not found")
    mondays = _weeks(start, count, today)
    parents = org_repository.department_parents(session)
    below = scope_below(parents, {department_id})
    people = repository.people_of(session, below, MAX_PEOPLE)
    first, end = mondays[0], mondays[-1] + timedelta(days=7)
    periods = repository.periods_by_person(session, first, end)
    off = repository.time_off_spans(session, first, end, below)
    holidays = holidays_by_department(repository.holidays(session, first, end), parents)
    months = m.months_from(m.month_of(first), m.month_index(m.month_of(end - timedelta(days=1)))
                           - m.month_index(m.month_of(first)) + 1)
    sheet = build_sheet(session, months, departments=below)
    booked = repository.named_lendings(session, [p.id for p in people], first, end)
    named = repository.named_demand(session, [p.id for p in people], months)
    by_pool: dict[tuple[int, str], dict[str, float]] = {}
    for p in people:
        pool = by_pool.setdefault((p.department_id, role_key(p.role)), {})
        for month, fte in named.get(p.id, {}).items():
            pool[month] = pool.get(month, 0.0) + fte
    names = {d.id: d.code for d in repository.departments(session).values()}
    rows = [_row(p, calendar_of(float(p.weekly_capacity_hours), periods.get(p.id, []),
                                off.get(p.id, [])),
                 holidays.get(p.department_id, holidays[None]), mondays, sheet,
                 (booked.get(p.id, []), named.get(p.id, {}), by_pool), names)
            for p in people]
    return PeopleWeeksRead(weeks=[week_name(d) for d in mondays],
                           starts=[d for d in mondays], people=rows)


def _row(person: Person, calendar: Calendar, days: list[date], mondays: list[date],
         sheet: Sheet, asked: tuple[list[Lending], dict[str, float],
                                    dict[tuple[int, str], dict[str, float]]],
         names: dict[int, str]) -> PersonWeeks:
    lendings, mine, by_pool = asked
    key = (person.department_id, role_key(person.role))
    cells, worked, carried = [], 0.0, 0.0
    for monday in mondays:
        available = hours(calendar, monday, monday + timedelta(days=7), days)
        role_load = _load(sheet, key, m.month_of(monday), by_pool)
        named = _named_hours(mine, monday, days)
        load = None
        if available > 0 or role_load is not None:
            load = round((named / available if available > 0 else 0.0) + (role_load or 0.0), 3)
        cells.append(WeekCell(week=week_name(monday), hours=round(available, 1),
                              booked=round(_booked_hours(lendings, monday, days), 1),
                              named=round(named, 1), load=load))
        worked += available
        carried += available * (load or 0.0)
    return PersonWeeks(person_id=person.id, name=person.name, role=person.role,
                       department=names.get(person.department_id, ""), cells=cells,
                       utilisation=round(carried / worked, 3) if worked else None)

"""Reads of the resources domain: people and their calendars, committed demand, lendings."""

from __future__ import annotations

import functools
import operator
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from epmo.intake.models import PIPELINE, IntakeRequest, RequestDemand
from epmo.org.models import Department, Person
from epmo.portfolio.models import CLOSED_STAGES, Project, ProjectDemand
from epmo.resources import months as m
from epmo.resources.models import (
    CapacityChange,
    CapacityPeriod,
    CapacityScenario,
    Holiday,
    Lending,
    TimeOff,
)

NOT_RUNNING = ("proposed", *CLOSED_STAGES)  # a running project holds people
Key = tuple[int, str]  # department id, role key
Spread = dict[Key, dict[str, float]]  # FTE-months per period (month or quarter), per pool
CellLine = tuple[str, int, str, str, str, str, float, bool]


@functools.lru_cache(maxsize=4096)  # a few hundred roles, met tens of thousands of times
def role_key(role: str) -> str:
    """Roles match case-insensitively, ignoring surrounding spaces."""
    return " ".join(role.split()).lower()


def active_people(session: Session, departments: Collection[int] | None = None,
                  people: Collection[int] | None = None,
                  ) -> list[tuple[int, int, str, Decimal]]:
    """Every active person who holds a role (of ``departments``, among ``people``, when
    given), the supply: (id, department id, role, weekly hours), by id."""
    # columns, not entities: the heatmap reads every person of the enterprise each time
    query = (select(Person.id, Person.department_id, Person.role, Person.weekly_capacity_hours)
             .where(Person.active.is_(True), Person.role != "").order_by(Person.id))
    if departments is not None:
        query = query.where(Person.department_id.in_(departments))
    if people is not None:
        query = query.where(Person.id.in_(people))
    return [(i, department, role, hours) for i, department, role, hours in session.execute(query)]


def people_of(session: Session, departments: Collection[int], limit: int) -> Sequence[Person]:
    """Active people with a role in the departments, by name (at most ``limit``)."""
    return session.scalars(select(Person).where(
        Person.active.is_(True), Person.role != "", Person.department_id.in_(departments))
        .order_by(Person.name, Person.id).limit(limit)).all()


def role_spellings(session: Session) -> dict[str, str]:
    """Role key -> the spelling of the first active person (by id) holding it."""
    query = (select(Person.role, func.min(Person.id)).where(Person.active.is_(True),
                                                           Person.role != "")
             .group_by(Person.role))
    found: dict[str, str] = {}
    for role, _first in sorted(session.execute(query), key=lambda row: row[1]):
        found.setdefault(role_key(role), role)
    return found


def lock_person(session: Session, person_id: int) -> None:
    """Lock the person's row (PostgreSQL) so two calendar writes check overlaps in turn."""
    session.execute(select(Person.id).where(Person.id == person_id).with_for_update())


def periods_by_person(session: Session, first: date, end: date,
                      people: Collection[int] | None = None) -> dict[int, list[CapacityPeriod]]:
    """Capacity periods touching ``[first, end)`` (of ``people`` when given), per person, by
    start."""
    query = (select(CapacityPeriod).where(CapacityPeriod.starts < end)
             .where((CapacityPeriod.ends.is_(None)) | (CapacityPeriod.ends >= first))
             .order_by(CapacityPeriod.starts))
    if people is not None:
        query = query.where(CapacityPeriod.person_id.in_(people))
    found: dict[int, list[CapacityPeriod]] = defaultdict(list)
    for row in session.scalars(query):
        found[row.person_id].append(row)
    return dict(found)


def time_off_spans(session: Session, first: date, end: date,
                   departments: Collection[int] | None = None,
                   people: Collection[int] | None = None) -> dict[int, list[Any]]:
    """Time off touching ``[first, end)`` as (person_id, starts, ends, id) rows, per person
    (of ``departments``, among ``people``, when given), by id: columns, not entities, for
    the heatmap's many rows."""
    query = (select(TimeOff.person_id, TimeOff.starts, TimeOff.ends, TimeOff.id)
             .where(TimeOff.starts < end, TimeOff.ends >= first))
    if departments is not None:
        query = query.join(Person, Person.id == TimeOff.person_id).where(
            Person.department_id.in_(departments))
    if people is not None:
        query = query.where(TimeOff.person_id.in_(people))
    found: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(query):
        found[row.person_id].append(row)
    by_id = operator.itemgetter(3)
    for rows in found.values():  # one order however read (the supply adds them in turn)
        if len(rows) > 1:
            rows.sort(key=by_id)
    return dict(found)


def owners_of(session: Session, table: str, ids: Collection[int]) -> dict[int, int]:
    """Row id -> person id of the capacity periods or time off (``table``) still there."""
    model = CapacityPeriod if table == CapacityPeriod.__tablename__ else TimeOff
    query = select(model.id, model.person_id).where(model.id.in_(ids))
    return {i: person for i, person in session.execute(query)} if ids else {}


def holidays(session: Session, first: date, end: date) -> Sequence[Holiday]:
    """Holidays in ``[first, end)``."""
    return session.scalars(select(Holiday).where(Holiday.day >= first, Holiday.day < end)
                           .order_by(Holiday.day)).all()


def person_periods(session: Session, person_id: int) -> Sequence[CapacityPeriod]:
    """A person's capacity periods, by start."""
    return session.scalars(select(CapacityPeriod).where(CapacityPeriod.person_id == person_id)
                           .order_by(CapacityPeriod.starts)).all()


def person_time_off(session: Session, person_id: int) -> Sequence[TimeOff]:
    """A person's time off, by start."""
    return session.scalars(select(TimeOff).where(TimeOff.person_id == person_id)
                           .order_by(TimeOff.starts)).all()


def list_holidays(session: Session) -> Sequence[Holiday]:
    """Every holiday, by day."""
    return session.scalars(select(Holiday).order_by(Holiday.day, Holiday.id)).all()


def project_demand_spread(session: Session, project_id: int, department_id: int) -> Spread:
    """One project's FTE-months per month, keyed like the kept totals (``repository_totals``)."""
    found: Spread = defaultdict(lambda: defaultdict(float))
    query = select(ProjectDemand.role, ProjectDemand.period, ProjectDemand.fte_months).where(
        ProjectDemand.project_id == project_id)
    for role, period, fte in session.execute(query):
        found[(department_id, role_key(role))][period] += float(fte)
    return found


def cell_lines(session: Session, department_id: int, month: str,
               scope: ColumnElement[bool]) -> list[CellLine]:
    """The demand lines of one department in a month: running projects' (kept per month) and
    approved requests' without a project (per quarter, a third of it), as (kind, id, code,
    name, stage, role, FTE in the month, readable: for requests always False, the caller
    decides)."""
    quarter = m.quarter_of(month)
    readable = select(Project.id).where(scope).scalar_subquery()
    projects = (select(Project.id, Project.code, Project.name, Project.stage, ProjectDemand.role,
                       ProjectDemand.fte_months, Project.id.in_(readable))
                .join(ProjectDemand, ProjectDemand.project_id == Project.id)
                .where(Project.department_id == department_id,
                       Project.stage.not_in(NOT_RUNNING), ProjectDemand.period == month))
    requests = (select(IntakeRequest.id, IntakeRequest.code, IntakeRequest.title,
                       RequestDemand.role, RequestDemand.fte_months)
                .join(RequestDemand, RequestDemand.request_id == IntakeRequest.id)
                .where(IntakeRequest.department_id == department_id,
                       IntakeRequest.stage == "approved", IntakeRequest.project_id.is_(None),
                       RequestDemand.period == quarter))
    found = [("project", i, code, name, stage, role, float(fte), bool(ok))
             for i, code, name, stage, role, fte, ok in session.execute(projects)]
    found += [("request", i, code, title, "approved", role, float(fte) / 3, False)
              for i, code, title, role, fte in session.execute(requests)]
    return found


def queued_requests(session: Session) -> Sequence[IntakeRequest]:
    """Requests still in the pipeline or told "not yet": the queue for capacity."""
    return session.scalars(select(IntakeRequest)
                           .where(IntakeRequest.stage.in_((*PIPELINE, "not_yet")))
                           .order_by(IntakeRequest.id)).all()


def request_demand(session: Session,
                   request_ids: Collection[int]) -> dict[int, list[RequestDemand]]:
    """Each request's demand lines."""
    found: dict[int, list[RequestDemand]] = defaultdict(list)
    if request_ids:
        for row in session.scalars(select(RequestDemand)
                                   .where(RequestDemand.request_id.in_(request_ids))):
            found[row.request_id].append(row)
    return dict(found)


def proposed_projects(session: Session) -> list[tuple[Project, list[ProjectDemand]]]:
    """Proposed projects with role demand, by planned start then code."""
    query = (select(Project, ProjectDemand).join(ProjectDemand,
                                                 ProjectDemand.project_id == Project.id)
             .where(Project.stage == "proposed")
             .order_by(Project.planned_start, Project.code))
    found: dict[int, tuple[Project, list[ProjectDemand]]] = {}
    for project, line in session.execute(query):
        found.setdefault(project.id, (project, []))[1].append(line)
    return list(found.values())


def named_demand(session: Session, person_ids: Collection[int], months: Sequence[str],
                 ) -> dict[int, dict[str, float]]:
    """FTE-months of running projects' demand naming each person, per month."""
    found: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    if person_ids and months:
        query = (select(ProjectDemand.person_id, ProjectDemand.period, ProjectDemand.fte_months)
                 .join(Project, Project.id == ProjectDemand.project_id)
                 .where(ProjectDemand.person_id.in_(person_ids),
                        ProjectDemand.period.in_(months), Project.stage.not_in(NOT_RUNNING)))
        for person_id, month, fte in session.execute(query):
            if person_id is not None:
                found[person_id][month] += float(fte)
    return found


def booked_lendings(session: Session, first: date, end: date) -> Sequence[Lending]:
    """Soft- and hard-booked lendings touching ``[first, end)``."""
    return session.scalars(select(Lending).where(Lending.status.in_(("soft", "hard")),
                                                 Lending.starts < end, Lending.ends >= first)
                           ).all()


def named_lendings(session: Session, person_ids: Collection[int], first: date,
                   end: date) -> dict[int, list[Lending]]:
    """Booked lendings naming one of the people and touching ``[first, end)``, per person."""
    found: dict[int, list[Lending]] = defaultdict(list)
    if person_ids:
        query = select(Lending).where(Lending.person_id.in_(person_ids),
                                      Lending.status.in_(("soft", "hard")),
                                      Lending.starts < end, Lending.ends >= first)
        for row in session.scalars(query):
            found[row.person_id or 0].append(row)
    return dict(found)


def lending_query(scope: ColumnElement[bool]) -> Select[Lending]:
    """Lendings matching ``scope``, open ones first, newest first."""
    return select(Lending).where(scope).order_by(Lending.status.in_(("requested", "countered"))
                                                 .desc(), Lending.id.desc())


def get_lending(session: Session, lending_id: int) -> Lending | None:
    """One lending by id."""
    return session.get(Lending, lending_id)


def departments(session: Session) -> dict[int, Department]:
    """Every department by id."""
    return {d.id: d for d in session.scalars(select(Department))}


def department_roles(session: Session, department_ids: Collection[int]) -> dict[str, str]:
    """Role key -> spelling of the roles active people of the departments hold."""
    query = (select(Person.role).where(Person.department_id.in_(department_ids),
                                       Person.active.is_(True), Person.role != "").distinct())
    return {role_key(role): role for role in session.scalars(query)}


def role_fte(session: Session, department_id: int) -> dict[str, tuple[str, float]]:
    """Role key -> (spelling, FTE at 40 hours a week) of a department's own active people."""
    query = select(Person.role, Person.weekly_capacity_hours).where(
        Person.department_id == department_id, Person.active.is_(True), Person.role != "")
    found: dict[str, tuple[str, float]] = {}
    for role, hours in session.execute(query):
        spelled, fte = found.get(role_key(role), (role, 0.0))
        found[role_key(role)] = (spelled, fte + float(hours) / 40)
    return found


def get_scenario(session: Session, scenario_id: int) -> CapacityScenario | None:
    """One what-if scenario by id."""
    return session.get(CapacityScenario, scenario_id)


def list_scenarios(session: Session) -> Sequence[CapacityScenario]:
    """Every what-if scenario by name."""
    return session.scalars(select(CapacityScenario).order_by(CapacityScenario.name)).all()


def scenario_changes(session: Session, scenario_id: int) -> Sequence[CapacityChange]:
    """A scenario's changes in the order they start."""
    return session.scalars(select(CapacityChange).where(
        CapacityChange.scenario_id == scenario_id).order_by(
        CapacityChange.starts, CapacityChange.id)).all()

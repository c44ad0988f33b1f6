"""Every read query of the benefits register; rows, tuples and small dataclasses."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from epmo.benefits.models import Benefit, BenefitActual, BenefitPlan
from epmo.network.models import ChangeEvent, ChangeImpact
from epmo.org.models import Department, Person
from epmo.portfolio.models import (
    Milestone,
    Portfolio,
    Programme,
    Project,
    ProjectGoal,
    ProjectPortfolio,
)
from epmo.sql import chunks
from epmo.strategy.models import Goal

MODELS: dict[str, type[Department] | type[Goal] | type[Programme] | type[Portfolio]] = {
    "department": Department, "goal": Goal, "programme": Programme, "portfolio": Portfolio}


@dataclass(frozen=True, slots=True)
class BenefitFilter:
    """What the register is narrowed to (None: no narrowing)."""

    project_id: int | None = None
    programme_id: int | None = None
    department_id: int | None = None
    kind: str | None = None
    status: str | None = None
    unit: str | None = None
    at_risk: bool | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Subject:
    """What a benefit belongs to, as the register shows it."""

    code: str
    name: str
    department_id: int


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    return chunks(sorted(set(ids)))


def get_benefit(session: Session, benefit_id: int) -> Benefit | None:
    """One benefit by id."""
    return session.get(Benefit, benefit_id)


def benefit_query(scope: ColumnElement[bool], found: BenefitFilter) -> Select[Benefit]:
    """Benefits in ``scope`` narrowed by the filter, newest subjects first then by name."""
    query = select(Benefit).where(scope)
    if found.project_id is not None:
        query = query.where(Benefit.project_id == found.project_id)
    if found.programme_id is not None:
        query = query.where(Benefit.programme_id == found.programme_id)
    if found.department_id is not None:
        owned = select(Project.id).where(Project.department_id == found.department_id)
        led = select(Programme.id).where(Programme.department_id == found.department_id)
        query = query.where(Benefit.project_id.in_(owned) | Benefit.programme_id.in_(led))
    for column, value in ((Benefit.kind, found.kind), (Benefit.status, found.status),
                          (Benefit.unit, found.unit)):
        if value is not None:
            query = query.where(column == value)
    if found.at_risk is not None:
        query = query.where(Benefit.at_risk_days.is_not(None) if found.at_risk
                            else Benefit.at_risk_days.is_(None))
    if found.text:
        query = query.where(Benefit.name.ilike(f"%{_like(found.text)}%", escape="\\"))
    return query.order_by(Benefit.name, Benefit.id)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def plans_of(session: Session, ids: Collection[int]) -> dict[int, list[BenefitPlan]]:
    """The plan lines of the benefits, by benefit, in month order."""
    found: dict[int, list[BenefitPlan]] = {i: [] for i in ids}
    for chunk in _chunks(ids):
        rows = session.scalars(select(BenefitPlan).where(BenefitPlan.benefit_id.in_(chunk))
                               .order_by(BenefitPlan.benefit_id, BenefitPlan.period))
        for row in rows:
            found[row.benefit_id].append(row)
    return found


def actuals_of(session: Session, ids: Collection[int]) -> dict[int, list[BenefitActual]]:
    """The actuals of the benefits, by benefit, in month order."""
    found: dict[int, list[BenefitActual]] = {i: [] for i in ids}
    for chunk in _chunks(ids):
        rows = session.scalars(select(BenefitActual).where(BenefitActual.benefit_id.in_(chunk))
                               .order_by(BenefitActual.benefit_id, BenefitActual.period))
        for row in rows:
            found[row.benefit_id].append(row)
    return found


def project_subjects(session: Session, ids: Collection[int]) -> dict[int, Subject]:
    """Code, name and owning department of projects."""
    found = {}
    for chunk in _chunks(ids):
        for row in session.execute(select(Project.id, Project.code, Project.name,
                                          Project.department_id).where(Project.id.in_(chunk))):
            found[row[0]] = Subject(row[1], row[2], row[3])
    return found


def programme_subjects(session: Session, ids: Collection[int]) -> dict[int, Subject]:
    """Code, name and owning department of programmes."""
    found = {}
    for chunk in _chunks(ids):
        for row in session.execute(select(Programme.id, Programme.code, Programme.name,
                                          Programme.department_id)
                                   .where(Programme.id.in_(chunk))):
            found[row[0]] = Subject(row[1], row[2], row[3])
    return found


def person_names(session: Session, ids: Collection[int]) -> dict[int, str]:
    """Names of people."""
    found: dict[int, str] = {}
    for chunk in _chunks(ids):
        found.update(session.execute(select(Person.id, Person.name)
                                     .where(Person.id.in_(chunk))).all())
    return found


def milestones(session: Session, ids: Collection[int]) -> dict[int, Milestone]:
    """Milestones by id."""
    found: dict[int, Milestone] = {}
    for chunk in _chunks(ids):
        found.update((m.id, m) for m in session.scalars(
            select(Milestone).where(Milestone.id.in_(chunk))))
    return found


def projects(session: Session, ids: Collection[int]) -> dict[int, Project]:
    """Projects by id."""
    found: dict[int, Project] = {}
    for chunk in _chunks(ids):
        found.update((p.id, p) for p in session.scalars(
            select(Project).where(Project.id.in_(chunk))))
    return found


def anchor_choices(session: Session, project_id: int | None,
                   programme_id: int | None) -> list[Milestone]:
    """The milestones a benefit may anchor on: its project's, or those of its programme's
    projects; by date."""
    if project_id is not None:
        where = Milestone.project_id == project_id
    else:
        where = Milestone.project_id.in_(select(Project.id)
                                         .where(Project.programme_id == programme_id))
    return list(session.scalars(select(Milestone).where(where)
                                .order_by(Milestone.planned_date, Milestone.id).limit(500)))


def anchored(session: Session, milestone_ids: Collection[int],
             finish_of: Collection[int]) -> list[Benefit]:
    """Benefits anchored on the milestones, or on the finish of the projects (no milestone)."""
    found: list[Benefit] = []
    for chunk in _chunks(milestone_ids):
        found += session.scalars(select(Benefit).where(Benefit.anchor_milestone_id.in_(chunk)))
    for chunk in _chunks(finish_of):
        found += session.scalars(select(Benefit).where(Benefit.project_id.in_(chunk),
                                                       Benefit.anchor_milestone_id.is_(None)))
    return sorted(found, key=lambda b: b.id)


def impacts_of(session: Session, event_ids: Collection[int],
               ) -> list[tuple[ChangeImpact, ChangeEvent]]:
    """The impacts of change events with their events, in event order."""
    found: list[tuple[ChangeImpact, ChangeEvent]] = []
    for chunk in _chunks(event_ids):
        found += session.execute(
            select(ChangeImpact, ChangeEvent).join(ChangeEvent, ChangeEvent.id ==
                                                   ChangeImpact.event_id)
            .where(ChangeImpact.event_id.in_(chunk))
            .order_by(ChangeEvent.id, ChangeImpact.id)).all()
    return found


def names(session: Session, by: str) -> dict[int, tuple[str, str]]:
    """Code and name of every department, goal, programme or portfolio (``by``)."""
    model = MODELS[by]
    rows = session.execute(select(model.id, model.code, model.name)).all()
    return {row[0]: (row[1], row[2]) for row in rows}


def project_groups(session: Session, project_ids: Collection[int],
                   ) -> tuple[dict[int, set[int]], dict[int, set[int]], dict[int, int | None]]:
    """For the projects: their goals, their portfolios and their programme."""
    goals: dict[int, set[int]] = {i: set() for i in project_ids}
    portfolios: dict[int, set[int]] = {i: set() for i in project_ids}
    programme: dict[int, int | None] = {}
    for chunk in _chunks(project_ids):
        for pid, gid in session.execute(select(ProjectGoal.project_id, ProjectGoal.goal_id)
                                        .where(ProjectGoal.project_id.in_(chunk))):
            goals[pid].add(gid)
        for pid, fid in session.execute(
                select(ProjectPortfolio.project_id, ProjectPortfolio.portfolio_id)
                .where(ProjectPortfolio.project_id.in_(chunk))):
            portfolios[pid].add(fid)
        programme.update(session.execute(select(Project.id, Project.programme_id)
                                         .where(Project.id.in_(chunk))).all())
    return goals, portfolios, programme


def list_benefits(session: Session, query: Select[Benefit]) -> list[Benefit]:
    """Every benefit the query finds."""
    return list(session.scalars(query))


def units(session: Session) -> list[str]:
    """Every unit a benefit uses."""
    return sorted(set(session.scalars(select(Benefit.unit).distinct())))


def people_choices(session: Session) -> list[tuple[int, str]]:
    """Active people as (id, "Name (CODE)") by name, for the owner and responsible choices."""
    rows = session.execute(select(Person.id, Person.name, Person.code)
                           .where(Person.active.is_(True)).order_by(Person.name, Person.id))
    return [(row[0], f"{row[1]} ({row[2]})") for row in rows]


def projects_finishing(session: Session, first: date, last: date, limit: int) -> list[Project]:
    """Projects whose finish (actual, else forecast, else plan) falls between the days, by
    finish (the demo's benefits realise after them)."""
    finish = func.coalesce(Project.actual_finish, Project.forecast_finish, Project.planned_finish)
    query = (select(Project).where(finish >= first, finish <= last,
                                   Project.stage != "cancelled")
             .order_by(finish, Project.id).limit(limit))
    return list(session.scalars(query))


def pushed_milestones(session: Session) -> list[tuple[int, int]]:
    """(change event, milestone) of every milestone a change event pushed, newest event first."""
    rows = session.execute(
        select(ChangeImpact.event_id, ChangeImpact.milestone_id)
        .where(ChangeImpact.milestone_id.is_not(None), ChangeImpact.slip_days > 0)
        .order_by(ChangeImpact.event_id.desc(), ChangeImpact.id))
    return [(row[0], row[1]) for row in rows if row[1] is not None]


def department_parents(session: Session) -> dict[int, int | None]:
    """Every department's parent (None at the top)."""
    return {row[0]: row[1] for row in session.execute(select(Department.id,
                                                             Department.parent_id))}

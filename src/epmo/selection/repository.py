"""Reads of the selection domain: scenarios, candidates and the intake/portfolio rows they use."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from epmo.intake.models import (
    IntakeRequest,
    RequestCost,
    RequestDemand,
    RequestDependency,
    RequestGoal,
)
from epmo.org.models import Person
from epmo.portfolio.demand_window import quarter_key
from epmo.portfolio.models import Project, ProjectDemand, ProjectGoal
from epmo.resources import repository as resources_repository
from epmo.selection.models import Scenario, ScenarioCandidate

CLOSED_STAGES = ("closed", "cancelled")
NOT_RUNNING = ("proposed", *CLOSED_STAGES)  # a running project holds people
role_key = resources_repository.role_key  # roles match without case or extra spaces


def scenario_query() -> Select[Scenario]:
    """Every scenario, newest first."""
    return select(Scenario).order_by(Scenario.id.desc())


def list_scenarios(session: Session) -> list[Scenario]:
    """Every scenario, newest first."""
    return list(session.scalars(scenario_query()))


def get_scenario(session: Session, scenario_id: int) -> Scenario | None:
    """The scenario with this id, or None."""
    return session.get(Scenario, scenario_id)


def scenario_by_name(session: Session, name: str) -> Scenario | None:
    """The scenario with this name, or None."""
    return session.scalar(select(Scenario).where(Scenario.name == name))


def candidates(session: Session, scenario_id: int) -> list[ScenarioCandidate]:
    """The scenario's candidates in the order they were added."""
    query = select(ScenarioCandidate).where(ScenarioCandidate.scenario_id == scenario_id)
    return list(session.scalars(query.order_by(ScenarioCandidate.id)))


def requests(session: Session, ids: Collection[int]) -> dict[int, IntakeRequest]:
    """Requests by id."""
    if not ids:
        return {}
    rows = session.scalars(select(IntakeRequest).where(IntakeRequest.id.in_(ids)))
    return {row.id: row for row in rows}


def projects(session: Session, ids: Collection[int]) -> dict[int, Project]:
    """Projects by id."""
    if not ids:
        return {}
    return {row.id: row for row in session.scalars(select(Project).where(Project.id.in_(ids)))}


def requests_of_projects(session: Session,
                         project_ids: Collection[int]) -> dict[int, IntakeRequest]:
    """The request each project came from, by project id (projects without one are absent)."""
    if not project_ids:
        return {}
    query = select(IntakeRequest).where(IntakeRequest.project_id.in_(project_ids))
    return {row.project_id: row for row in session.scalars(query) if row.project_id}


def costs(session: Session, request_ids: Collection[int]) -> dict[int, dict[str, float]]:
    """Cost per fiscal year of each request."""
    found: dict[int, dict[str, float]] = defaultdict(dict)
    if request_ids:
        query = select(RequestCost).where(RequestCost.request_id.in_(request_ids))
        for row in session.scalars(query):
            found[row.request_id][row.period] = float(row.amount)
    return found


def _demand_by_owner(session: Session, owner: Any, lines: Any,
                     ids: Collection[int]) -> dict[int, dict[tuple[str, str], float]]:
    """Demand per (role key, quarter) of each owner (request or project), in FTE-months: a
    project's months summed per quarter (selection's grain)."""
    found: dict[int, dict[tuple[str, str], float]] = defaultdict(dict)
    if ids:
        query = select(owner, lines.role, lines.period, lines.fte_months).where(owner.in_(ids))
        for owner_id, role, period, fte in session.execute(query):
            key = (role_key(role), quarter_key(period))
            found[owner_id][key] = found[owner_id].get(key, 0.0) + float(fte)
    return found


def demand(session: Session,
           request_ids: Collection[int]) -> dict[int, dict[tuple[str, str], float]]:
    """Demand per (role key, quarter) of each request, in FTE-months."""
    return _demand_by_owner(session, RequestDemand.request_id, RequestDemand, request_ids)


def request_goals(session: Session, request_ids: Collection[int]) -> dict[int, set[int]]:
    """Goal ids each request serves."""
    found: dict[int, set[int]] = defaultdict(set)
    if request_ids:
        query = select(RequestGoal.request_id, RequestGoal.goal_id).where(
            RequestGoal.request_id.in_(request_ids))
        for request_id, goal_id in session.execute(query):
            found[request_id].add(goal_id)
    return found


def project_goals(session: Session, project_ids: Collection[int]) -> dict[int, set[int]]:
    """Goal ids each project contributes to."""
    found: dict[int, set[int]] = defaultdict(set)
    if project_ids:
        query = select(ProjectGoal.project_id, ProjectGoal.goal_id).where(
            ProjectGoal.project_id.in_(project_ids))
        for project_id, goal_id in session.execute(query):
            found[project_id].add(goal_id)
    return found


def dependencies(session: Session,
                 request_ids: Collection[int]) -> list[tuple[int, int | None, int | None]]:
    """(request, on request, on project) for every dependency of these requests."""
    if not request_ids:
        return []
    query = select(RequestDependency.request_id, RequestDependency.on_request_id,
                   RequestDependency.on_project_id).where(
        RequestDependency.request_id.in_(request_ids)).order_by(RequestDependency.id)
    return [(r, on_r, on_p) for r, on_r, on_p in session.execute(query)]


def known_roles(session: Session) -> set[str]:
    """Role keys of active people and of any request's or project's demand."""
    people = session.scalars(select(Person.role).where(Person.active.is_(True)).distinct())
    asked = session.scalars(select(RequestDemand.role).distinct())
    held = session.scalars(select(ProjectDemand.role).distinct())
    return {role_key(role) for role in [*people, *asked, *held] if role.strip()}


def committed_demand(session: Session, skip_requests: Collection[int],
                     skip_projects: Collection[int]) -> dict[tuple[str, str], float]:
    """FTE-months per (role key, quarter) running work takes: the demand of running projects
    and of approved requests without a project yet, except the scenario's own candidates
    (projects' months summed per quarter)."""
    found: dict[tuple[str, str], float] = defaultdict(float)
    projects = (select(ProjectDemand.role, ProjectDemand.period, ProjectDemand.fte_months)
                .join(Project, Project.id == ProjectDemand.project_id)
                .where(Project.stage.not_in(NOT_RUNNING)))
    if skip_projects:
        projects = projects.where(Project.id.not_in(skip_projects))
    requests = (select(RequestDemand.role, RequestDemand.period, RequestDemand.fte_months)
                .join(IntakeRequest, IntakeRequest.id == RequestDemand.request_id)
                .where(IntakeRequest.stage == "approved", IntakeRequest.project_id.is_(None)))
    if skip_requests:
        requests = requests.where(IntakeRequest.id.not_in(skip_requests))
    for query in (projects, requests):
        for role, period, fte in session.execute(query):
            found[(role_key(role), quarter_key(period))] += float(fte)
    return dict(found)


def running_without_demand(session: Session, skip_projects: Collection[int]) -> list[str]:
    """Codes of running projects (not the scenario's candidates) with no role demand at all."""
    has_demand = select(ProjectDemand.project_id).where(
        ProjectDemand.project_id == Project.id).exists()
    query = select(Project.code).where(Project.stage.not_in(NOT_RUNNING), ~has_demand)
    if skip_projects:
        query = query.where(Project.id.not_in(skip_projects))
    return list(session.scalars(query.order_by(Project.code)))


def project_demand(session: Session,
                   project_ids: Collection[int]) -> dict[int, dict[tuple[str, str], float]]:
    """Demand per (role key, quarter) of each project, in FTE-months."""
    return _demand_by_owner(session, ProjectDemand.project_id, ProjectDemand, project_ids)


def scenarios_by_ids(session: Session, ids: Collection[int]) -> list[Scenario]:
    """Scenarios with these ids, in the order asked."""
    found = {s.id: s for s in session.scalars(select(Scenario).where(Scenario.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def request_id_by_code(session: Session, code: str) -> int | None:
    """The id of the request with this code, or None."""
    return session.scalar(select(IntakeRequest.id).where(IntakeRequest.code == code))


def project_id_by_code(session: Session, code: str) -> int | None:
    """The id of the project with this code, or None."""
    return session.scalar(select(Project.id).where(Project.code == code))


def open_requests(session: Session, limit: int = 200) -> list[IntakeRequest]:
    """Requests a scenario may take (not approved, rejected or withdrawn), newest first."""
    query = select(IntakeRequest).where(
        IntakeRequest.stage.in_(("submitted", "triage", "scoring", "decision", "not_yet",
                                 "deferred"))).order_by(IntakeRequest.id.desc()).limit(limit)
    return list(session.scalars(query))

"""A project's role demand: FTE-months per role per month, read and replaced as a whole.

The same rules hold wherever demand is written (API, project page, register import, an
approved request's project): the role must be one an active person has (matched without
case, stored in that person's spelling), a role and period appear once, a period lies
within the project's dates (forecast, else plan; ``demand_window``), and a zero line means no
demand and is not stored. A quarter given instead of months is spread evenly over its months
inside the project's dates (``demand_window.spread_lines``). A line may name a person of the
project's department (``Named``). When the project's start moves, its demand moves with it
(``demand_shift``). The heatmap and selection subtract this demand from people's hours
while the project runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Protocol

from sqlalchemy.orm import Session

from epmo import events
from epmo.auth.policy import Actor, scope_below
from epmo.db import utcnow
from epmo.editing import check_version
from epmo.errors import FieldError, Invalid
from epmo.org.repository import department_parents
from epmo.portfolio import policy, repository
from epmo.portfolio.demand_schemas import (
    ProjectDemandLineRead,
    ProjectDemandRead,
    ProjectDemandSet,
)
from epmo.portfolio.demand_window import Line, Window, period_error, spread_lines, window
from epmo.portfolio.events import DemandPlaced
from epmo.portfolio.models import Project, ProjectDemand

SHOWN_ROLES = 12


class AnyLine(Protocol):
    """A demand line as typed: a project's (month or quarter) or an intake request's."""

    role: str | None
    period: str
    fte_months: Decimal


def read_demand(session: Session, project: Project) -> ProjectDemandRead:
    """The project's demand lines with the version to send back."""
    rows = repository.demand_lines(session, [project.id]).get(project.id, [])
    people = repository.people_by_id(session, (r.person_id for r in rows if r.person_id))
    return ProjectDemandRead(project_id=project.id, code=project.code, version=project.version,
                             lines=[ProjectDemandLineRead(
                                 role=row.role, person_id=row.person_id,
                                 person=people[row.person_id].name
                                 if row.person_id in people else None,
                                 period=row.period, fte_months=row.fte_months)
                                 for row in rows])


def roles_hint(roles: Sequence[str]) -> str:
    """The known roles in words, for an error about an unknown one."""
    if not roles:
        return "no active person has a role yet"
    more = f" and {len(roles) - SHOWN_ROLES} more" if len(roles) > SHOWN_ROLES else ""
    return f"known roles: {', '.join(roles[:SHOWN_ROLES])}{more}"


def window_of(project: Project) -> Window:
    """The project's effective dates (forecast, else plan): where its demand may lie."""
    return window(project.forecast_start, project.planned_start, project.forecast_finish,
                  project.planned_finish)


def line_errors(session: Session, lines: Sequence[AnyLine], where: str = "lines",
                project: Project | None = None) -> list[FieldError]:
    """Unknown roles or people, repeated role/person/period lines and (for a project)
    periods outside its dates; known roles get their stored spelling, a named line its
    person's role."""
    known = repository.people_roles(session)
    canonical = {role.casefold(): role for role in known}
    within = window_of(project) if project is not None else Window(None, None)
    named = Named(session, project, [getattr(ln, "person_id", None) for ln in lines])
    errors, seen = [], set()
    for index, line in enumerate(lines):
        at = f"{where}.{index}"
        outside = period_error(line.period, within)
        if outside:
            errors.append(FieldError(f"{at}.period", outside))
        person_id = getattr(line, "person_id", None)
        typed = line.role
        if person_id is not None:
            problem, typed = named.role_of(person_id, line.role)
            if problem:
                errors.append(FieldError(f"{at}.person_id" if typed is None else f"{at}.role",
                                         problem))
                continue
        if typed is None:
            errors.append(FieldError(f"{at}.role", "choose a role or a person"))
            continue
        role = canonical.get(typed.casefold())
        if role is None:
            errors.append(FieldError(f"{at}.role",
                                     f"Unknown role {typed!r}; {roles_hint(known)}"))
            continue
        line.role = role
        if (role, person_id, line.period) in seen:
            who = named.name(person_id) if person_id is not None else role
            errors.append(FieldError(f"{at}.period", f"{who} in {line.period} is listed twice"))
        seen.add((role, person_id, line.period))
    return errors


class Named:
    """The people demand lines name, and whether a project may name them: an active person
    of the project's department or one below it (a person of another department comes
    through a lending, ``resources.lending``)."""

    def __init__(self, session: Session, project: Project | None,
                 person_ids: Iterable[int | None]) -> None:
        self.people = repository.people_by_id(session, (i for i in person_ids if i))
        self.departments = (scope_below(department_parents(session), {project.department_id})
                            if project is not None and self.people else None)

    def name(self, person_id: int) -> str:
        person = self.people.get(person_id)
        return person.name if person is not None else f"person #{person_id}"

    def role_of(self, person_id: int, typed: str | None) -> tuple[str | None, str | None]:
        """(None, the role the line is for), or the problem with the person (and None), or
        with the role typed (and that role)."""
        person = self.people.get(person_id)
        if person is None:
            return f"There is no person #{person_id}", None
        if not person.active:
            return f"{person.name} is no longer active", None
        if self.departments is not None and person.department_id not in self.departments:
            return (f"{person.name} is not in the project's department or one below it; "
                    "ask their department for them with a lending", None)
        if not person.role.strip():
            return f"{person.name} has no role yet", None
        if typed is not None and typed.casefold() != person.role.casefold():
            return f"{person.name}'s role is {person.role}, not {typed}", typed
        return None, person.role


def set_demand(session: Session, actor: Actor, project_id: int,
               data: ProjectDemandSet) -> Project:
    """Replace the project's role demand (writers of the project; send the version read)."""
    project = policy.writable_project_or_404(session, actor, project_id)
    check_version(project, data.version)
    errors = line_errors(session, data.lines, project=project)
    if errors:
        raise Invalid("The role demand has problems; nothing was saved", errors)
    months = spread_lines([(ln.role or "", ln.person_id, ln.period, ln.fte_months)
                           for ln in data.lines], window_of(project))
    if replace_demand(session, project.id, months):
        project.updated_at = utcnow()  # a new version: the demand read with it changed
    session.flush()
    return project


def replace_demand(session: Session, project_id: int, lines: Iterable[Line]) -> bool:
    """Make the stored demand equal ``lines`` (months, checked already), stated for the
    project's current start (a later move of the start moves it); True when anything changed."""
    project = session.get(Project, project_id)
    start = window_of(project).start if project is not None else None
    events.record(session, DemandPlaced(project_id, start))
    rows = repository.demand_lines(session, [project_id]).get(project_id, [])
    return write_lines(session, project_id, rows, lines)


def write_lines(session: Session, project_id: int, rows: Iterable[ProjectDemand],
                lines: Iterable[Line], flush: bool = True) -> bool:
    """Make the stored ``rows`` of the project equal ``lines`` (months); True when anything
    changed (``flush=False``: the caller flushes many projects at once). A second row of one
    role, person and month (a person removed leaves their line to the role) is dropped."""
    stored: dict[tuple[str, int | None, str], ProjectDemand] = {}
    changed = False
    for row in rows:
        key = (row.role, row.person_id, row.period)
        if key in stored:
            session.delete(row)
            changed = True
        else:
            stored[key] = row
    wanted: dict[tuple[str, int | None, str], Decimal] = {}
    for role, person, period, fte in lines:
        if fte:
            wanted[(role, person, period)] = wanted.get((role, person, period),
                                                        Decimal(0)) + Decimal(fte)
    for key, row in stored.items():
        if key not in wanted:
            session.delete(row)
            changed = True
    for (role, person, period), fte in wanted.items():
        kept = stored.get((role, person, period))
        if kept is None:
            session.add(ProjectDemand(project_id=project_id, role=role, person_id=person,
                                      period=period, fte_months=fte))
            changed = True
        elif kept.fte_months != fte:
            kept.fte_months = fte
            changed = True
    if flush:
        session.flush()
    return changed

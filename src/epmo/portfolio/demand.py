"""A project's role demand: FTE-months per role per quarter, read and replaced as a whole.

The same rules hold wherever demand is written (API, project page, register import, an
approved request's project): the role must be one an active person has (matched without
case, stored in that person's spelling), a role and quarter appear once, a quarter lies
within the project's dates (forecast, else plan; ``demand_window``), and a zero line means no
demand and is not stored. When the project's start moves, its demand moves with it
(``demand_shift``). Selection subtracts this demand from people's hours while
the project runs (``selection.capacity``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from sqlalchemy.orm import Session

from epmo import events
from epmo.auth.policy import Actor
from epmo.db import utcnow
from epmo.editing import check_version
from epmo.errors import FieldError, Invalid
from epmo.portfolio import policy, repository
from epmo.portfolio.demand_schemas import (
    DemandLine,
    DemandRead,
    ProjectDemandRead,
    ProjectDemandSet,
)
from epmo.portfolio.demand_window import Line, Window, period_error, window
from epmo.portfolio.events import DemandPlaced
from epmo.portfolio.models import Project, ProjectDemand

SHOWN_ROLES = 12


def read_demand(session: Session, project: Project) -> ProjectDemandRead:
    """The project's demand lines with the version to send back."""
    rows = repository.demand_lines(session, [project.id]).get(project.id, [])
    return ProjectDemandRead(project_id=project.id, code=project.code, version=project.version,
                             lines=[DemandRead.model_validate(row) for row in rows])


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


def line_errors(session: Session, lines: Sequence[DemandLine], where: str = "lines",
                project: Project | None = None) -> list[FieldError]:
    """Unknown roles, repeated role/quarter pairs and (for a project) quarters outside its
    dates; known roles get their stored spelling."""
    known = repository.people_roles(session)
    canonical = {role.casefold(): role for role in known}
    within = window_of(project) if project is not None else Window(None, None)
    errors, seen = [], set()
    for index, line in enumerate(lines):
        outside = period_error(line.period, within)
        if outside:
            errors.append(FieldError(f"{where}.{index}.period", outside))
        role = canonical.get(line.role.casefold())
        if role is None:
            errors.append(FieldError(f"{where}.{index}.role",
                                     f"Unknown role {line.role!r}; {roles_hint(known)}"))
            continue
        line.role = role
        if (role, line.period) in seen:
            errors.append(FieldError(f"{where}.{index}.period",
                                     f"{role} in {line.period} is listed twice"))
        seen.add((role, line.period))
    return errors


def set_demand(session: Session, actor: Actor, project_id: int,
               data: ProjectDemandSet) -> Project:
    """Replace the project's role demand (writers of the project; send the version read)."""
    project = policy.writable_project_or_404(session, actor, project_id)
    check_version(project, data.version)
    errors = line_errors(session, data.lines, project=project)
    if errors:
        raise Invalid("The role demand has problems; nothing was saved", errors)
    if replace_demand(session, project.id, [(ln.role, ln.period, ln.fte_months)
                                            for ln in data.lines]):
        project.updated_at = utcnow()  # a new version: the demand read with it changed
    session.flush()
    return project


def replace_demand(session: Session, project_id: int, lines: Iterable[Line]) -> bool:
    """Make the stored demand equal ``lines`` (checked already), stated for the project's
    current start (a later move of the start moves it); True when anything changed."""
    project = session.get(Project, project_id)
    start = window_of(project).start if project is not None else None
    events.record(session, DemandPlaced(project_id, start))
    rows = repository.demand_lines(session, [project_id]).get(project_id, [])
    return write_lines(session, project_id, rows, lines)


def write_lines(session: Session, project_id: int, rows: Iterable[ProjectDemand],
                lines: Iterable[Line], flush: bool = True) -> bool:
    """Make the stored ``rows`` of the project equal ``lines``; True when anything changed
    (``flush=False``: the caller flushes many projects at once)."""
    stored = {(row.role, row.period): row for row in rows}
    wanted = {(role, period): Decimal(fte) for role, period, fte in lines if fte}
    changed = False
    for key, row in stored.items():
        if key not in wanted:
            session.delete(row)
            changed = True
    for (role, period), fte in wanted.items():
        kept = stored.get((role, period))
        if kept is None:
            session.add(ProjectDemand(project_id=project_id, role=role, period=period,
                                      fte_months=fte))
            changed = True
        elif kept.fte_months != fte:
            kept.fte_months = fte
            changed = True
    if flush:
        session.flush()
    return changed

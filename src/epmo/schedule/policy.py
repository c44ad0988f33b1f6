"""Who may see and change a project's schedule: whoever may see or change the project."""

from __future__ import annotations

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.errors import NotFound
from epmo.portfolio import policy as portfolio_policy
from epmo.portfolio.models import Project
from epmo.schedule import repository
from epmo.schedule.models import Schedule


def access_schedule_or_404(session: Session, actor: Actor,
                           project_id: int) -> tuple[Project, Schedule]:
    """The project and its schedule, or 404 when either is missing or hidden from the actor."""
    project = portfolio_policy.access_project_or_404(session, actor, project_id)
    schedule = repository.get_schedule(session, project.id)
    if schedule is None:
        raise NotFound(f"Project {project.code} has no schedule yet: import an MS Project "
                       "XML or Primavera XER file first.")
    return project, schedule


def writable_project_or_404(session: Session, actor: Actor, project_id: int) -> Project:
    """A project whose schedule the actor may import or change."""
    return portfolio_policy.writable_project_or_404(session, actor, project_id)

"""The hub project each schedule of a multi-project file belongs to."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.portfolio import repository as portfolio_repository
from epmo.portfolio import service as portfolio
from epmo.portfolio.models import Project
from epmo.portfolio.schemas import ProjectCreate
from epmo.schedule.parsed import ScheduleFile
from epmo.schedule.policy import writable_project_or_404


def _span(file: ScheduleFile) -> tuple[date | None, date | None]:
    starts = [a.start.date() for a in file.activities if a.start]
    finishes = [a.finish.date() for a in file.activities if a.finish]
    return (min(starts, default=None), max(finishes, default=None))


def find_or_create(session: Session, actor: Actor, department_id: int, code: str,
                   file: ScheduleFile, dry_run: bool) -> Project | None:
    """The project with ``code`` (which the actor must be allowed to change), else a new one in
    the department named and dated from the file; None on a dry run that would create it."""
    found = portfolio_repository.get_project_by_code(session, code)
    if found is not None:
        return writable_project_or_404(session, actor, found.id)
    portfolio.check_department(session, department_id)
    if dry_run:
        return None
    start, finish = _span(file)
    data = ProjectCreate(code=code, name=(file.name or code)[:200], department_id=department_id,
                         stage="proposed", planned_start=start, planned_finish=finish,
                         forecast_start=start, forecast_finish=finish)
    return portfolio.create_project(session, actor, data)

"""Who may read and write status reports and RAID registers.

Reports and RAID items belong to their project: whoever may read the project reads them,
whoever may write it writes them. Under ``directive`` PPM-administration authority the EPMO
owns status reporting in that department, so only EPMO administrators submit its reports.
What one may not read answers 404 like something missing; 403 when readable but not writable.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, is_admin
from epmo.errors import Forbidden, NotFound
from epmo.portfolio import policy as portfolio_policy
from epmo.portfolio.models import Project
from epmo.reporting import repository
from epmo.reporting.models import RaidItem, StatusReport

PRACTICE = "ppm_administration"
NOT_YOURS = "You may read this project but not report on it"


def project_scope(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause on Project limiting reads to what ``actor`` may see."""
    return portfolio_policy.project_scope(actor)


def access_project_or_404(session: Session, actor: Actor, project_id: int) -> Project:
    """The project if the actor may read it, else NotFound."""
    return portfolio_policy.access_project_or_404(session, actor, project_id)


def can_write(actor: Actor, project: Project) -> bool:
    """Whoever may change the project may report on it and keep its RAID register."""
    return portfolio_policy.can_write_project(actor, project)


def directed_by_epmo(level: str) -> bool:
    """Under directive authority only EPMO roles perform the practice's actions."""
    return level == "directive"


def can_submit(actor: Actor, project: Project, level: str) -> bool:
    """May the actor submit, change or delete the project's status reports."""
    return submit_refusal(actor, project, level) is None


def submit_refusal(actor: Actor, project: Project, level: str) -> str | None:
    """Why the actor may not report on the project (None: they may)."""
    if directed_by_epmo(level) and not is_admin(actor):
        return ("The EPMO directs PPM administration in this project's department: only EPMO "
                "administrators submit its status reports")
    return None if can_write(actor, project) else NOT_YOURS


def require_submit(actor: Actor, project: Project, level: str) -> None:
    """Raise Forbidden unless the actor may report on a project they can read."""
    reason = submit_refusal(actor, project, level)
    if reason is not None:
        raise Forbidden(reason)


def writable_project_or_404(session: Session, actor: Actor, project_id: int) -> Project:
    """The project if the actor may keep its RAID register; 404 if unreadable, else 403."""
    project = access_project_or_404(session, actor, project_id)
    if not can_write(actor, project):
        raise Forbidden(NOT_YOURS)
    return project


def access_report_or_404(session: Session, actor: Actor, report_id: int) -> StatusReport:
    """A status report of a project the actor may read, else NotFound."""
    report = repository.get_report(session, report_id)
    if report is not None:
        project = session.get(Project, report.project_id)
        if project is not None and portfolio_policy.can_read_project(session, actor, project):
            return report
    raise NotFound(f"Status report {report_id} not found")


def access_raid_or_404(session: Session, actor: Actor, project_id: int,
                       item_id: int) -> RaidItem:
    """A RAID item of a project the actor may read, else NotFound."""
    project = access_project_or_404(session, actor, project_id)
    item = repository.get_raid_item(session, item_id)
    if item is None or item.project_id != project.id:
        raise NotFound(f"RAID item {item_id} not found")
    return item


def writable_raid_or_404(session: Session, actor: Actor, project_id: int,
                         item_id: int) -> RaidItem:
    """A RAID item the actor may change; 404 if unseen, else 403."""
    item = access_raid_or_404(session, actor, project_id, item_id)
    writable_project_or_404(session, actor, project_id)
    return item

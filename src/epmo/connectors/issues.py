"""Apply Jira issues to the register through the portfolio services, one SAVEPOINT each.

An issue becomes a project (code = issue key, in the connection's target department) or a
milestone of the target project; its summary is the name, its status category the stage or
milestone status (``status_map``), its due date the forecast (project forecast finish,
milestone forecast date; new ones get it as their planned date too). Writes go through
``portfolio.service`` as a form's would, so moved dates become change events (the unit of work
is marked ``jira``) and the charter and tier rules apply. An issue the services refuse is
rolled back alone and counted as refused, with the reason.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.connectors.jira import Issue
from epmo.connectors.models import JiraLink
from epmo.db import work_of
from epmo.errors import EpmoError, FieldError, Invalid
from epmo.portfolio import repository as portfolio_repository
from epmo.portfolio import service as portfolio
from epmo.portfolio.models import Milestone, Project
from epmo.portfolio.schemas import (
    TRANSITIONS,
    MilestoneCreate,
    MilestoneUpdate,
    ProjectCreate,
    ProjectUpdate,
    StageChange,
)

MAX_DETAILS = 50  # refused issues kept with a run


@dataclass
class Counts:
    """What one sync did, issue by issue."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    details: list[dict[str, str]] = field(default_factory=list)

    def add(self, outcome: str) -> None:
        """Count one issue's outcome (created, updated or unchanged)."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    def refuse(self, key: str, reason: str) -> None:
        """Count one refused issue and keep why (the first MAX_DETAILS)."""
        self.refused += 1
        if len(self.details) < MAX_DETAILS:
            self.details.append({"issue": key, "reason": reason[:500]})


@dataclass(frozen=True, slots=True)
class Target:
    """Where a connection's issues go and how their statuses read."""

    connection_id: int
    site: str
    kind: str  # projects | milestones
    department_id: int | None
    project_id: int | None
    status_map: dict[str, str]


def apply_issues(session: Session, actor: Actor, target: Target, issues: list[Issue],
                 links: dict[str, JiraLink]) -> Counts:
    """Create or update a project or milestone per issue; refusals roll back alone."""
    counts = Counts()
    for issue in issues:
        work_of(session).mark_source("jira", f"Jira {issue.key} ({target.site})")
        try:
            with session.begin_nested():
                outcome, link = _apply(session, actor, target, issue, links.get(issue.key))
        except EpmoError as exc:
            counts.refuse(issue.key, _reason(exc))
            continue
        counts.add(outcome)
        if link is not None:
            links[issue.key] = link
    return counts


def _reason(exc: EpmoError) -> str:
    details = "; ".join(f"{e.field}: {e.message}" for e in exc.errors)
    return f"{exc.message} ({details})" if details and details not in exc.message else exc.message


def _apply(session: Session, actor: Actor, target: Target, issue: Issue,
           link: JiraLink | None) -> tuple[str, JiraLink | None]:
    if target.kind == "projects":
        outcome, project_id = _project(session, actor, target, issue, link)
        made = None if link else _link(session, target, issue, project_id=project_id)
    else:
        outcome, milestone_id = _milestone(session, actor, target, issue, link)
        made = None if link else _link(session, target, issue, milestone_id=milestone_id)
    return outcome, made


def _link(session: Session, target: Target, issue: Issue, **ids: int) -> JiraLink:
    link = JiraLink(connection_id=target.connection_id, issue_key=issue.key, **ids)
    session.add(link)
    session.flush()
    return link


def _name(issue: Issue) -> str:
    return (issue.summary.strip() or issue.key)[:200]


def _origin(target: Target, issue: Issue) -> str:
    return f"From Jira: {target.site}/browse/{issue.key}"


# --- projects ---------------------------------------------------------------------------


def _project(session: Session, actor: Actor, target: Target, issue: Issue,
             link: JiraLink | None) -> tuple[str, int]:
    found = (portfolio_repository.get_project(session, link.project_id)
             if link and link.project_id else
             portfolio_repository.get_project_by_code(session, issue.key))
    stage = target.status_map[issue.category]
    if found is None:
        return "created", _create_project(session, actor, target, issue, stage)
    changes: dict[str, Any] = {}
    if found.name != _name(issue):
        changes["name"] = _name(issue)
    if found.forecast_finish != issue.due:
        changes["forecast_finish"] = issue.due
    if not changes and found.stage == stage:
        return "unchanged", found.id
    _walk(session, actor, found, stage)
    if changes:
        data = ProjectUpdate.model_validate(changes | {"version": found.version})
        portfolio.update_project(session, actor, found.id, data)
    return "updated", found.id


def _create_project(session: Session, actor: Actor, target: Target, issue: Issue,
                    stage: str) -> int:
    if target.department_id is None:
        raise Invalid("The connection has no target department",
                      [FieldError("target_department_id", "is required")])
    data = ProjectCreate.model_validate({
        "code": issue.key, "name": _name(issue), "department_id": target.department_id,
        "description": _origin(target, issue), "stage": stage,
        "planned_finish": issue.due, "forecast_finish": issue.due})
    return portfolio.create_project(session, actor, data).id


def stage_path(start: str, goal: str) -> list[str]:
    """The shortest walk of lifecycle transitions from ``start`` to ``goal`` (excluding
    ``start``); Invalid when there is none (a closed or cancelled project stays so)."""
    previous: dict[str, str] = {start: start}
    queue = deque([start])
    while queue:
        stage = queue.popleft()
        for following in TRANSITIONS.get(stage, ()):
            if following not in previous:
                previous[following] = stage
                queue.append(following)
    if goal not in previous:
        raise Invalid(f"A project cannot go from {start} to {goal}",
                      [FieldError("stage", f"{start} cannot become {goal}")])
    path = [goal]
    while previous[path[-1]] != start:
        path.append(previous[path[-1]])
    return [] if goal == start else path[::-1]


def _walk(session: Session, actor: Actor, project: Project, stage: str) -> None:
    """Move the project to ``stage`` one allowed transition at a time."""
    for step in stage_path(project.stage, stage):
        data = StageChange.model_validate({"stage": step, "version": project.version})
        portfolio.change_stage(session, actor, project.id, data)


# --- milestones -------------------------------------------------------------------------


def _milestone(session: Session, actor: Actor, target: Target, issue: Issue,
               link: JiraLink | None) -> tuple[str, int]:
    found = session.get(Milestone, link.milestone_id) if link and link.milestone_id else None
    status = target.status_map[issue.category]
    if found is None:
        return "created", _create_milestone(session, actor, target, issue, status)
    changes: dict[str, Any] = {}
    if found.name != _name(issue):
        changes["name"] = _name(issue)
    if found.status != status:
        changes["status"] = status
    if found.forecast_date != issue.due:
        changes["forecast_date"] = issue.due
    if not changes:
        return "unchanged", found.id
    data = MilestoneUpdate.model_validate(changes | {"version": found.version})
    portfolio.update_milestone(session, actor, found.project_id, found.id, data)
    return "updated", found.id


def _create_milestone(session: Session, actor: Actor, target: Target, issue: Issue,
                      status: str) -> int:
    if target.project_id is None:
        raise Invalid("The connection has no target project",
                      [FieldError("target_project_id", "is required")])
    data = MilestoneCreate.model_validate({
        "name": _name(issue), "description": _origin(target, issue), "status": status,
        "planned_date": issue.due, "forecast_date": issue.due})
    return portfolio.create_milestone(session, actor, target.project_id, data).id

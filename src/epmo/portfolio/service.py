"""Named writes of the portfolio domain: portfolios, programmes, projects, milestones.
A reference the actor may not see is reported exactly like one that does not exist."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.compliance import enforcement
from epmo.contracts import tiering
from epmo.db import Base, utcnow
from epmo.editing import apply, changes_of, check_version, ensure_unique
from epmo.errors import Conflict, FieldError, Invalid
from epmo.network import ends
from epmo.org.models import Department, Person
from epmo.portfolio import policy, repository
from epmo.portfolio.models import (
    Milestone,
    Portfolio,
    Programme,
    ProgrammeDepartment,
    Project,
    ProjectDepartment,
    ProjectGoal,
    ProjectPortfolio,
)
from epmo.portfolio.schemas import (
    DATE_PAIRS,
    GoalLink,
    MilestoneCreate,
    MilestoneUpdate,
    ProgrammeCreate,
    ProgrammeUpdate,
    ProjectCreate,
    ProjectUpdate,
    StageChange,
    date_order_errors,
    next_stages,
)
from epmo.reporting import health_store

PROJECT_NULLABLE = frozenset(
    {"sponsor_id", "manager_id", "programme_id", "health"}
    | {"budget_planned", "budget_actual", "budget_forecast"}  # null: unknown, not 0
    | {name for pair in DATE_PAIRS for name in pair})
MILESTONE_NULLABLE = frozenset({"planned_date", "baseline_date", "forecast_date", "actual_date"})
LINK_FIELDS = ("department_ids", "portfolio_ids", "goals")
Wanted = dict[int, dict[str, Any]]  # association key -> its extra columns


def _fail(errors: list[FieldError]) -> None:
    if errors:
        raise Invalid("; ".join(f"{e.field}: {e.message}" for e in errors), errors)


def _check_ids(session: Session, model: type[Base], ids: Iterable[int | None], field: str,
               what: str, visible: Callable[[Any], bool] = bool) -> list[FieldError]:
    errors = []
    for ident in sorted({i for i in ids if i is not None}):
        row = session.get(model, ident)
        if row is None or not visible(row):
            errors.append(FieldError(field, f"no such {what}: {ident}"))
    return errors


def check_department(session: Session, department_id: int) -> None:
    """Refuse a department that does not exist, naming the field."""
    _fail(_check_ids(session, Department, [department_id], "department_id", "department"))


def _check_people(session: Session, values: Mapping[str, Any]) -> list[FieldError]:
    return [error for field in ("sponsor_id", "manager_id") if field in values
            for error in _check_ids(session, Person, [values[field]], field, "person")]


def _check_programme(session: Session, actor: Actor, values: Mapping[str, Any],
                     current: int | None = None) -> list[FieldError]:
    # Keeping the programme a project already has is fine even if the actor cannot see it.
    programme_id = values.get("programme_id")
    if programme_id is None or programme_id == current:
        return []
    programme = repository.get_programme(session, programme_id)
    if programme is None or not policy.can_read_programme(session, actor, programme):
        return [FieldError("programme_id", "no such programme")]
    return []


@dataclass
class Links:
    """Checked association sets of a project; None leaves that set as it is."""

    department_ids: set[int] | None = None
    portfolio_ids: set[int] | None = None
    goals: Wanted | None = None


def _check_goals(session: Session, goals: list[GoalLink]) -> list[FieldError]:
    errors, seen = [], set()
    for index, link in enumerate(goals):
        if link.goal_id in seen:
            errors.append(FieldError(f"goals.{index}.goal_id", "goal listed twice"))
        elif repository.get_goal(session, link.goal_id) is None:
            errors.append(FieldError(f"goals.{index}.goal_id", "no such goal"))
        seen.add(link.goal_id)
    return errors


def _check_links(session: Session, actor: Actor, values: dict[str, Any],
                 kept: frozenset[int] = frozenset()) -> tuple[Links, list[FieldError]]:
    """Pop and check the association fields; ``kept``: portfolios the project is already in."""
    links, errors = Links(), []
    if values.get("department_ids") is not None:
        links.department_ids = set(values["department_ids"])
        errors += _check_ids(session, Department, links.department_ids, "department_ids",
                             "department")
    if values.get("portfolio_ids") is not None:
        links.portfolio_ids = set(values["portfolio_ids"])
        errors += _check_ids(session, Portfolio, links.portfolio_ids, "portfolio_ids",
                             "portfolio",
                             lambda p: p.id in kept or policy.can_read_portfolio(actor, p))
    if values.get("goals") is not None:
        goals = [GoalLink.model_validate(g) for g in values["goals"]]
        errors += _check_goals(session, goals)
        links.goals = {g.goal_id: {"weight": g.weight} for g in goals}
    for field in LINK_FIELDS:
        values.pop(field, None)
    return links, errors


# --- association rows -------------------------------------------------------------------


def _sync(session: Session, model: type[Any], owner: tuple[str, int], key: str,
          wanted: Wanted | None) -> bool:
    """Make ``model``'s rows of ``owner`` match ``wanted``; True when any row changed."""
    if wanted is None:
        return False
    column, ident = owner
    current = {getattr(row, key): row
               for row in repository.links_of(session, model, getattr(model, column) == ident)}
    changed = False
    for k in set(current) - set(wanted):
        session.delete(current[k])
        changed = True
    for k, extra in wanted.items():
        row = current.get(k)
        if row is None:
            session.add(model(**{column: ident, key: k}, **extra))
        elif any(getattr(row, name) != value for name, value in extra.items()):
            apply(row, extra)
        else:
            continue
        changed = True
    return changed


def _sync_project_links(session: Session, project: Project, links: Links) -> bool:
    """Store the project's association sets; True when any row changed."""
    owner = ("project_id", project.id)
    participants = links.department_ids
    if participants is None:  # a move may make a participant the owner
        participants = set(repository.project_department_ids(session, project.id))
    taking_part: Wanted = {d: {} for d in participants - {project.department_id}}
    portfolios: Wanted | None = (None if links.portfolio_ids is None
                                 else {p: {} for p in links.portfolio_ids})
    changed = _sync(session, ProjectDepartment, owner, "department_id", taking_part)
    changed |= _sync(session, ProjectPortfolio, owner, "portfolio_id", portfolios)
    return _sync(session, ProjectGoal, owner, "goal_id", links.goals) or changed


# --- projects ---------------------------------------------------------------------------


def create_project(session: Session, actor: Actor, data: ProjectCreate,
                   from_intake: bool = False) -> Project:
    """Register a project in a department the actor may write to, as the charter allows
    (``from_intake``: an approved intake request creates it)."""
    check_department(session, data.department_id)
    policy.require_place_project(actor, data.department_id)
    ensure_unique(session, Project.code, data.code)
    values = data.model_dump()
    links, errors = _check_links(session, actor, values)
    errors += _check_people(session, values) + _check_programme(session, actor, values)
    _fail(errors + date_order_errors(values))
    project = Project(**values)
    tiering.assign_tier(session, project)  # before the INSERT: one row, one version, one entry
    values = enforcement.new_project(enforcement.columns_of(project))
    enforcement.check_write(session, actor, enforcement.ProjectWrite(
        values, None, frozenset(data.model_fields_set), from_intake))
    session.add(project)
    session.flush()
    _sync_project_links(session, project, links)
    session.flush()
    health_store.refresh_projects(session, [project.id])
    return project


def _check_move(session: Session, actor: Actor, project: Project, changes: dict[str, Any]) -> None:
    target = changes.get("department_id", project.department_id)
    if target != project.department_id:
        check_department(session, target)
        policy.require_place_project(actor, project.department_id)
        policy.require_place_project(actor, target)


def update_project(session: Session, actor: Actor, project_id: int, data: ProjectUpdate) -> Project:
    """Change a project; lists replace the old ones; ``stage`` goes through change_stage.

    A stage change is written (and versioned) first, so a PATCH that also changes other
    fields advances ``version`` by two; the response carries the current one.
    """
    project = policy.writable_project_or_404(session, actor, project_id)
    check_version(project, data.version)
    changes = changes_of(data, PROJECT_NULLABLE)
    _check_move(session, actor, project, changes)
    if changes.get("code"):
        ensure_unique(session, Project.code, changes["code"], exclude_id=project.id)
    kept = frozenset(repository.project_portfolio_ids(session, project.id))
    links, errors = _check_links(session, actor, changes, kept)
    errors += _check_people(session, changes)
    errors += _check_programme(session, actor, changes, project.programme_id)
    current = {start: getattr(project, start) for pair in DATE_PAIRS for start in pair}
    _fail(errors + date_order_errors(current | changes))
    stage = changes.pop("stage", project.stage)
    if stage != project.stage:
        _check_transition(project, stage)
    _enforce(session, actor, project, changes | {"stage": stage}, frozenset(changes))
    if stage != project.stage:
        project.stage = stage  # written (and versioned) on its own, before the other fields
        session.flush()
    with session.no_autoflush:  # one UPDATE, one version step for fields and links together
        apply(project, changes)
        if _sync_project_links(session, project, links):
            project.updated_at = utcnow()  # bumps the version: link edits conflict like fields
        tiering.assign_tier(session, project)
    session.flush()
    health_store.refresh_projects(session, [project.id])
    return project


def change_stage(session: Session, actor: Actor, project_id: int, data: StageChange) -> Project:
    """Move a project along its lifecycle; only the valid transitions are allowed."""
    project = policy.writable_project_or_404(session, actor, project_id)
    check_version(project, data.version)
    _check_transition(project, data.stage)
    _enforce(session, actor, project, {"stage": data.stage}, frozenset({"stage"}))
    project.stage = data.stage
    session.flush()
    return project


def _check_transition(project: Project, stage: str) -> None:
    allowed = next_stages(project.stage)
    if stage not in allowed:
        hint = f"allowed: {', '.join(allowed)}" if allowed else f"{project.stage} is final"
        raise Invalid(f"A project cannot go from {project.stage} to {stage}",
                      [FieldError("stage", f"cannot go from {project.stage} to {stage}; "
                                           f"{hint}")])


def _enforce(session: Session, actor: Actor, project: Project, changes: Mapping[str, Any],
             touched: frozenset[str]) -> None:
    """The charter's check of the project as ``changes`` would leave it (tier recomputed)."""
    values = enforcement.columns_of(project) | dict(changes)
    tier = tiering.classifier(session)(values)
    values["tier"] = project.tier if tier is None else tier
    enforcement.check_write(session, actor, enforcement.ProjectWrite(values, project, touched))


def delete_project(session: Session, actor: Actor, project_id: int, version: int) -> None:
    """Remove a project with its milestones and links (409 while another project depends on it)."""
    project = policy.writable_project_or_404(session, actor, project_id)
    check_version(project, version)
    ends.release(session, project.id)
    for model in (Milestone, ProjectDepartment, ProjectPortfolio, ProjectGoal):
        for row in repository.links_of(session, model, model.project_id == project.id):
            session.delete(row)
    session.flush()
    session.delete(project)
    session.flush()


# --- milestones -------------------------------------------------------------------------


def create_milestone(session: Session, actor: Actor, project_id: int,
                     data: MilestoneCreate) -> Milestone:
    """Add a milestone to a project the actor may change."""
    project = policy.writable_project_or_404(session, actor, project_id)
    milestone = Milestone(project_id=project.id, **data.model_dump())
    session.add(milestone)
    session.flush()
    return milestone


def update_milestone(session: Session, actor: Actor, project_id: int, milestone_id: int,
                     data: MilestoneUpdate) -> Milestone:
    """Change a milestone of a project the actor may change."""
    milestone = policy.writable_milestone_or_404(session, actor, project_id, milestone_id)
    check_version(milestone, data.version)
    apply(milestone, changes_of(data, MILESTONE_NULLABLE))
    session.flush()
    return milestone


def delete_milestone(session: Session, actor: Actor, project_id: int, milestone_id: int,
                     version: int) -> None:
    """Remove a milestone of a project the actor may change (409 while another depends on it)."""
    milestone = policy.writable_milestone_or_404(session, actor, project_id, milestone_id)
    check_version(milestone, version)
    ends.release(session, milestone.project_id, milestone.id)
    session.delete(milestone)
    session.flush()


# --- programmes -------------------------------------------------------------------------


def _sync_programme_links(session: Session, programme: Programme, ids: set[int]) -> bool:
    wanted: Wanted = {d: {} for d in ids - {programme.department_id}}
    return _sync(session, ProgrammeDepartment, ("programme_id", programme.id), "department_id",
                 wanted)


def create_programme(session: Session, actor: Actor, data: ProgrammeCreate) -> Programme:
    """Add a programme owned by a department the actor leads."""
    check_department(session, data.department_id)
    policy.require_lead(actor, data.department_id, "this department's programmes")
    ensure_unique(session, Programme.code, data.code)
    values = data.model_dump()
    ids = set(values.pop("department_ids"))
    _fail(_check_people(session, values) +
          _check_ids(session, Department, ids, "department_ids", "department"))
    programme = Programme(**values)
    session.add(programme)
    session.flush()
    _sync_programme_links(session, programme, ids)
    session.flush()
    return programme


def update_programme(session: Session, actor: Actor, programme_id: int,
                     data: ProgrammeUpdate) -> Programme:
    """Change a programme; moving it needs the lead of the new department too."""
    programme = policy.writable_programme_or_404(session, actor, programme_id)
    check_version(programme, data.version)
    changes = changes_of(data, frozenset({"manager_id"}))
    if changes.get("department_id", programme.department_id) != programme.department_id:
        check_department(session, changes["department_id"])
        policy.require_lead(actor, changes["department_id"], "this department's programmes")
    if changes.get("code"):
        ensure_unique(session, Programme.code, changes["code"], exclude_id=programme.id)
    ids = changes.pop("department_ids", None)
    ids = set(ids) if ids is not None else None
    _fail(_check_people(session, changes) + _check_ids(
        session, Department, ids or (), "department_ids", "department"))
    current = set(repository.programme_department_ids(session, programme.id))
    with session.no_autoflush:
        apply(programme, changes)
        if _sync_programme_links(session, programme, current if ids is None else ids):
            programme.updated_at = utcnow()
    session.flush()
    return programme


def delete_programme(session: Session, actor: Actor, programme_id: int, version: int) -> None:
    """Remove a programme that no project belongs to any more."""
    programme = policy.writable_programme_or_404(session, actor, programme_id)
    check_version(programme, version)
    if repository.projects_in_programme(session, programme.id):
        raise Conflict("Programme still has projects",
                       [FieldError("id", "move its projects to another programme first")])
    _sync_programme_links(session, programme, set())  # drops every participating department
    session.flush()  # the links first: the programme's ON DELETE CASCADE would beat them to it
    session.delete(programme)
    session.flush()

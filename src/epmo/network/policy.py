"""Who may propose, answer, read and respond to dependencies and change events.

Reading a dependency needs read on either end's project. Proposing needs ownership of one
end's project (its project manager, the lead of its department, an EPMO administrator);
accepting or declining needs ownership of the other end. A change event is readable by
whoever reads its project or a project it hits; impacts on projects one may not read are
shown only aggregated by department.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, is_admin
from epmo.errors import Forbidden, NotFound
from epmo.network import repository
from epmo.network.models import ChangeEvent, Dependency
from epmo.portfolio import policy as portfolio_policy
from epmo.portfolio.models import Project, ProjectGoal

READ_ONLY_ROLES = portfolio_policy.READ_ONLY_ROLES


def readable_projects(actor: Actor) -> Select[int]:
    """Ids of the projects the actor may read."""
    return select(Project.id).where(portfolio_policy.project_scope(actor))


def readable_among(session: Session, actor: Actor, project_ids: Iterable[int]) -> set[int]:
    """Those of ``project_ids`` the actor may read (no query for none)."""
    wanted = sorted(set(project_ids))
    if not wanted:
        return set()
    return set(session.scalars(readable_projects(actor).where(Project.id.in_(wanted))))


def graph_projects(actor: Actor, department_id: int | None, programme_id: int | None,
                   goal_id: int | None) -> Select[int]:
    """Readable projects matching the filters."""
    query = readable_projects(actor)
    if department_id:
        query = query.where(Project.department_id == department_id)
    if programme_id:
        query = query.where(Project.programme_id == programme_id)
    if goal_id:
        goal = select(ProjectGoal.project_id).where(ProjectGoal.goal_id == goal_id)
        query = query.where(Project.id.in_(goal.scalar_subquery()))
    return query


def owns_project(actor: Actor, project: Project) -> bool:
    """The project's manager, the lead of its department, or an EPMO administrator."""
    if is_admin(actor):
        return True
    if actor.role in READ_ONLY_ROLES:
        return False
    if actor.role == "department_lead" and project.department_id in actor.scope:
        return True
    return actor.person_id is not None and actor.person_id == project.manager_id


def _project(session: Session, project_id: int) -> Project:
    project = session.get(Project, project_id)
    assert project is not None  # a dependency's foreign key keeps it
    return project


def can_read_dependency(session: Session, actor: Actor, dependency: Dependency) -> bool:
    """Read on either end's project."""
    return any(portfolio_policy.can_read_project(session, actor, _project(session, pid))
               for pid in (dependency.pred_project_id, dependency.succ_project_id))


def access_dependency_or_404(session: Session, actor: Actor, dependency_id: int) -> Dependency:
    """Return the dependency if the actor may read it, else NotFound."""
    dependency = repository.get_dependency(session, dependency_id)
    if dependency is None or not can_read_dependency(session, actor, dependency):
        raise NotFound(f"Dependency {dependency_id} not found")
    return dependency


def owns_side(session: Session, actor: Actor, dependency: Dependency, side: str) -> bool:
    """Whether the actor owns the predecessor's or the successor's project."""
    pid = dependency.pred_project_id if side == "predecessor" else dependency.succ_project_id
    return owns_project(actor, _project(session, pid))


def other_side(side: str) -> str:
    """The side that did not propose."""
    return "successor" if side == "predecessor" else "predecessor"


def answerable_dependency_or_404(session: Session, actor: Actor,
                                 dependency_id: int) -> Dependency:
    """A dependency the actor may accept or decline: they own the side that did not propose."""
    dependency = access_dependency_or_404(session, actor, dependency_id)
    if not owns_side(session, actor, dependency, other_side(dependency.proposed_side)):
        raise Forbidden(f"Only the owner of the {other_side(dependency.proposed_side)}'s "
                        "project may accept or decline this dependency")
    return dependency


def removable_dependency_or_404(session: Session, actor: Actor,
                                dependency_id: int) -> Dependency:
    """A dependency the actor may delete: they own either side."""
    dependency = access_dependency_or_404(session, actor, dependency_id)
    if not any(owns_side(session, actor, dependency, s) for s in ("predecessor", "successor")):
        raise Forbidden("Only the owners of either end may remove this dependency")
    return dependency


def access_event_or_404(session: Session, actor: Actor, event_id: int) -> ChangeEvent:
    """A change event about, or hitting, a project the actor may read; else NotFound."""
    event = repository.get_event(session, event_id)
    if event is None:
        raise NotFound(f"Change event {event_id} not found")
    subject = _project(session, event.project_id)
    if portfolio_policy.can_read_project(session, actor, subject):
        return event
    if repository.event_touches(session, event.id, readable_projects(actor)):
        return event
    raise NotFound(f"Change event {event_id} not found")


def departments_to_answer(session: Session, actor: Actor, event: ChangeEvent) -> list[int]:
    """Departments of the event's responses the actor may answer for: they own a project of
    that department the event hits."""
    hit = {row.project_id for row in repository.impacts_of(session, event.id)}
    owned = {p.department_id for p in map(lambda pid: _project(session, pid), sorted(hit))
             if owns_project(actor, p)}
    return sorted(owned & {r.department_id for r in repository.responses_of(session, event.id)})

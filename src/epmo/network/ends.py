"""What happens to dependencies when one of their ends (a milestone or a project) is deleted.

An accepted dependency with another project is an agreement between two owners: neither end
may disappear while it stands, so deleting it is refused (409) naming the dependency and the
other project's department; remove the dependency first (either side may). A proposal not yet
answered is withdrawn with the end, and the other project's owners are told, so one side
cannot block the other's deletions by proposing links. Declined links and links inside the
deleted project go with it. Portfolio deletions call ``release`` before deleting.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from epmo.errors import Conflict, FieldError
from epmo.network import derived, nodes, repository
from epmo.network.models import Dependency
from epmo.notifications.publishing import publish
from epmo.org.models import Department
from epmo.portfolio.events import ProjectRemoving
from epmo.portfolio.models import Milestone, Project


def _other(dependency: Dependency, project_id: int) -> int:
    """The project at the far end from ``project_id`` (the same one for an inner link)."""
    pred, succ = dependency.pred_project_id, dependency.succ_project_id
    return succ if pred == project_id else pred


def _refuse(session: Session, blocking: list[tuple[Dependency, int]], what: str) -> Conflict:
    """The 409 naming each blocking dependency, the other project and its department."""
    found = []
    for dependency, other_id in blocking:
        project = session.get(Project, other_id)
        department = session.get(Department, project.department_id) if project else None
        found.append({"id": dependency.id, "project": project.code if project else "",
                      "department": department.name if department else ""})
    named = "; ".join(f"dependency #{d['id']} with {d['project']} ({d['department']})"
                      for d in found)
    return Conflict(f"This {what} is an end of accepted dependencies: {named}. "
                    "Remove the dependency first.",
                    [FieldError("dependencies", f"linked to {named}; remove the dependency "
                                                "first")],
                    {"dependencies": found})


def _end_name(session: Session, project_id: int, milestone_id: int | None) -> str:
    if milestone_id is not None:
        milestone = session.get(Milestone, milestone_id)
        return f"milestone {milestone.name}" if milestone else f"milestone {milestone_id}"
    project = session.get(Project, project_id)
    return f"project {project.code}" if project else f"project {project_id}"


def _withdraw(session: Session, dependency: Dependency, other_id: int, end: str) -> None:
    """Tell the other project's owners that a proposal went with a deleted end."""
    other = session.get(Project, other_id)
    assert other is not None
    managers = [other.manager_id] if other.manager_id is not None else []
    publish(session, kind="dependency.withdrawn",
            title=f"Dependency withdrawn: {end} was deleted "
                  f"({nodes.label(dependency.pred_node)} -> {nodes.label(dependency.succ_node)})",
            body=dependency.note, link=f"/dependencies?project_id={other.id}",
            recipients=repository.owners_of(session, managers, [other.department_id]),
            targets=[("project", other.id)],
            payload={"dependency_id": dependency.id, "status": "withdrawn"})


def on_removing(session: Session, event: ProjectRemoving) -> None:
    """A project or milestone is about to be deleted: release its dependencies."""
    release(session, event.project_id, event.milestone_id)


def release(session: Session, project_id: int, milestone_id: int | None = None) -> None:
    """Before deleting a milestone (or a whole project): refuse while an accepted link to
    another project stands; drop the rest, telling the other side of withdrawn proposals."""
    touching = repository.touching(session, project_id, milestone_id)
    links = [(d, _other(d, project_id)) for d in touching]
    blocking = [(d, o) for d, o in links if d.status == "accepted" and o != project_id]
    if blocking:
        raise _refuse(session, blocking, "milestone" if milestone_id is not None else "project")
    end = _end_name(session, project_id, milestone_id)
    for dependency, other_id in links:
        if dependency.status == "proposed" and other_id != project_id:
            _withdraw(session, dependency, other_id, end)
        session.delete(dependency)
    session.flush()
    if any(d.status == "accepted" for d, _o in links):
        derived.refresh(session)  # inner accepted links leave the network

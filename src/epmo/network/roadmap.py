"""The roadmap: active projects and their milestones across departments on one timeline,
with the dependencies between what it shows, and slipped milestones marked.

A milestone has slipped when its forecast lies after its baseline (or, without a baseline,
its planned date), or when the network pushes its implied date past its own (an upstream
dependency slipped): the larger of the two is shown, with the cause in words.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.network import measures, nodes, policy, repository, repository_roadmap
from epmo.network.schemas import RoadmapItem, RoadmapLink, RoadmapRead

LIMIT = 150  # projects on one roadmap; the count says when there are more


def roadmap(session: Session, actor: Actor, department_id: int | None = None,
            programme_id: int | None = None, goal_id: int | None = None) -> RoadmapRead:
    """The readable active projects matching the filters, their milestones and links."""
    total, rows = repository_roadmap.dated_projects(
        session, policy.graph_projects(actor, department_id, programme_id, goal_id), LIMIT)
    names = repository.department_names(session)
    items = [RoadmapItem(id=f"p{ident}", kind="project", project_id=ident, code=code,
                         name=name, department=names.get(dept, "?"), start=begin,
                         end=max(end, begin), health=health)
             for ident, code, name, dept, health, begin, end in rows]
    items += _milestones(session, {row[0]: (row[1], names.get(row[3], "?")) for row in rows})
    shown = {item.id: f"{item.code} · {item.name}" for item in items}
    return RoadmapRead(items=items, links=_links(session, shown), total=total,
                       undated=total - len(rows) if total <= LIMIT else None)


def _milestones(session: Session, projects: dict[int, tuple[str, str]]) -> list[RoadmapItem]:
    if not projects:
        return []
    rows = repository_roadmap.dated_milestones(session, list(projects))
    pushed = measures.slips_of(session, [nodes.milestone_node(r[0]) for r in rows])
    found = []
    for ident, project_id, name, day, baseline, status in rows:
        own = (day - baseline).days if baseline is not None and day > baseline else 0
        by_network = max(pushed.get(nodes.milestone_node(ident), 0), 0)
        code, department = projects[project_id]
        why = ("pushed by an upstream dependency" if by_network > own
               else "forecast after its baseline" if own else "")
        found.append(RoadmapItem(
            id=f"m{ident}", kind="milestone", project_id=project_id, code=code, name=name,
            department=department, start=day, end=day, status=status,
            slip_days=max(own, by_network), slip_cause=why))
    return found


def _links(session: Session, shown: dict[str, str]) -> list[RoadmapLink]:
    """Dependencies between two shown items (``shown``: their words by id; a project end
    stands for its bar)."""
    ids = sorted({int(i[1:]) for i in shown if i.startswith("p")})
    if not ids:
        return []
    rows, departments = repository_roadmap.links_among(session, ids)
    found = []
    for d in rows:
        pred = f"m{d.pred_milestone_id}" if d.pred_milestone_id else f"p{d.pred_project_id}"
        succ = f"m{d.succ_milestone_id}" if d.succ_milestone_id else f"p{d.succ_project_id}"
        if pred in shown and succ in shown:
            found.append(RoadmapLink(
                source=pred, target=succ, status=d.status, source_label=shown[pred],
                target_label=shown[succ],
                cross_department=departments[d.pred_project_id]
                != departments[d.succ_project_id]))
    return found


def as_gantt(read: RoadmapRead) -> list[dict[str, Any]]:
    """frappe-gantt tasks: a bar per project, a day per milestone, arrows for the links."""
    into: dict[str, list[str]] = {}
    for link in read.links:
        into.setdefault(link.target, []).append(link.source)
    tasks = []
    for item in sorted(read.items, key=lambda i: (i.department, i.code, i.kind != "project",
                                                  i.start)):
        # frappe-gantt takes one class token per task
        css = ("roadmap-slipped" if item.slip_days else "roadmap-milestone"
               if item.kind == "milestone" else f"roadmap-{item.health or 'unknown'}")
        label = f"{item.code} {item.name}" if item.kind == "project" else f"◆ {item.name}"
        if item.slip_days:
            label += f" (+{item.slip_days} d)"
        tasks.append({"id": item.id, "name": label, "start": item.start.isoformat(),
                      "end": item.end.isoformat(), "progress": 0,
                      "dependencies": ",".join(into.get(item.id, [])),
                      "custom_class": css})
    return tasks

"""Read models of the schedule domain: the schedule with its critical path, changes, exports."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.schedule import export as schedule_export
from epmo.schedule import repository, store
from epmo.schedule.models import Activity, Link
from epmo.schedule.policy import access_schedule_or_404
from epmo.schedule.schemas import (
    ActivityRead,
    LinkRead,
    ScheduleChangeRead,
    ScheduleRead,
)


def critical_path(activities: list[Activity]) -> list[str]:
    """Codes of the critical work activities in the order of their early start."""
    chain = [a for a in activities if a.critical and not a.summary and a.early_start]
    return [a.code for a in sorted(chain, key=lambda a: (a.early_start, a.position))]


def schedule_read(session: Session, actor: Actor, project_id: int) -> ScheduleRead:
    """The project's schedule as the API returns it (three queries)."""
    project, schedule = access_schedule_or_404(session, actor, project_id)
    activities = repository.activities_of(session, schedule.id)
    links = repository.links_of(session, schedule.id)
    return ScheduleRead(
        project_id=project.id, format=schedule.format, source_name=schedule.source_name,
        source_sha256=schedule.source_sha256, name=schedule.name,
        imported_at=schedule.imported_at, version=schedule.version,
        status_date=schedule.status_date, early_finish=schedule.early_finish,
        warnings=schedule.warnings, critical_path=critical_path(activities),
        activities=[ActivityRead.model_validate(a) for a in activities],
        links=[LinkRead.model_validate(link) for link in links])


def changes(session: Session, actor: Actor, project_id: int) -> list[ScheduleChangeRead]:
    """What each re-import changed, newest first."""
    _project, schedule = access_schedule_or_404(session, actor, project_id)
    return [ScheduleChangeRead.model_validate(c)
            for c in repository.changes_of(session, schedule.id)]


def export(session: Session, actor: Actor, project_id: int,
           file_format: str) -> schedule_export.Download:
    """The schedule as MS Project XML or an Excel workbook."""
    project, schedule = access_schedule_or_404(session, actor, project_id)
    activities = repository.activities_of(session, schedule.id)
    links = repository.links_of(session, schedule.id)
    if file_format == "xlsx":
        return schedule_export.workbook_of(project.code, activities, links)
    parts = {kind: repository.parts_of(session, schedule.id, kind)
             for kind in ("calendar", "resource", "assignment")}
    return schedule_export.mspdi_of(project.code,
                                    store.to_file(schedule, activities, links, parts))


def _shown(activities: list[Activity], show: str) -> list[Activity]:
    if show == "critical":
        return [a for a in activities if a.critical]
    if show == "milestones":
        return [a for a in activities if a.milestone or a.milestone_id]
    return activities


def _bar(a: Activity) -> dict[str, Any] | None:
    start, finish = a.start or a.early_start, a.finish or a.early_finish
    if start is None or finish is None:
        return None
    kind = "summary" if a.summary else "milestone" if a.milestone else (
        "critical" if a.critical else "task")
    return {"id": f"a{a.id}", "uid": a.uid, "name": f"{a.code} {a.name}",
            "start": start.isoformat(), "end": max(finish, start).isoformat(),
            "progress": a.percent_complete, "custom_class": f"bar-{kind}"}


def gantt_tasks(window: list[Activity], links: list[Link]) -> list[dict[str, Any]]:
    """frappe-gantt tasks of the activities shown, with their predecessors among them."""
    bars = {a.uid: bar for a in window if (bar := _bar(a)) is not None}
    preds: dict[str, list[str]] = {}
    for link in links:
        if link.predecessor_uid in bars and link.successor_uid in bars:
            preds.setdefault(link.successor_uid, []).append(bars[link.predecessor_uid]["id"])
    return [bar | {"dependencies": ", ".join(preds.get(uid, []))} for uid, bar in bars.items()]


def page_of(session: Session, schedule: Any, show: str, offset: int,
            rows: int) -> dict[str, Any]:
    """What the schedule page shows: a window of activities, its Gantt bars, recent changes."""
    activities = repository.activities_of(session, schedule.id)
    shown = _shown(activities, show)
    window = shown[offset:offset + rows]
    return {"activities": window, "total": len(shown), "all_count": len(activities),
            "critical_path": critical_path(activities),
            "gantt": gantt_tasks(window, repository.links_of(session, schedule.id)),
            "changes": repository.changes_of(session, schedule.id)[:5]}

"""A read schedule file as table rows, and back: the rows as a ``ScheduleFile`` to export."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import TypeAdapter

from epmo.schedule import parsed
from epmo.schedule.models import Activity, Link, Schedule
from epmo.schedule.planning import Plan

PARTS: dict[str, TypeAdapter[Any]] = {
    "calendar": TypeAdapter(parsed.Calendar),
    "resource": TypeAdapter(parsed.Resource),
    "assignment": TypeAdapter(parsed.Assignment),
}
FILE_DATES = ("start", "finish", "actual_start", "actual_finish", "baseline_start",
              "baseline_finish", "constraint_date")


def part_rows(schedule_id: int, file: parsed.ScheduleFile) -> list[dict[str, Any]]:
    """Calendars, resources and assignments as JSON documents."""
    groups = (("calendar", file.calendars), ("resource", file.resources),
              ("assignment", file.assignments))
    return [{"schedule_id": schedule_id, "kind": kind,
             "body": PARTS[kind].dump_python(item, mode="json")}
            for kind, items in groups for item in items]


def parts_of(kind: str, bodies: Sequence[dict[str, Any]]) -> tuple[Any, ...]:
    """Stored JSON documents back as the reader's dataclasses."""
    return tuple(PARTS[kind].validate_python(body) for body in bodies)


def activity_rows(schedule_id: int, file: parsed.ScheduleFile,
                  plan: Plan) -> list[dict[str, Any]]:
    """One row per activity: the file's fields and the hub's CPM dates (the milestone it feeds
    is filled in once the milestones are synced)."""
    rows = []
    for position, item in enumerate(file.activities):
        timing = plan.timings.get(item.uid)
        rows.append({
            "schedule_id": schedule_id, "position": position, "uid": item.uid,
            "code": item.code[:100], "name": item.name[:500], "wbs": item.wbs[:200],
            "parent_uid": item.parent_uid, "outline_level": item.outline_level,
            "summary": item.summary, "milestone": item.milestone,
            "duration_hours": item.duration_hours, "percent_complete": item.percent_complete,
            "constraint": item.constraint, "calendar_uid": item.calendar_uid,
            **{name: getattr(item, name) for name in FILE_DATES},
            "file_early_start": item.early_start, "file_early_finish": item.early_finish,
            "file_late_start": item.late_start, "file_late_finish": item.late_finish,
            "file_total_float_hours": item.total_float_hours,
            "early_start": timing.early_start if timing else None,
            "early_finish": timing.early_finish if timing else None,
            "late_start": timing.late_start if timing else None,
            "late_finish": timing.late_finish if timing else None,
            "total_float_days": timing.total_float_days if timing else None,
            "critical": timing.critical if timing else False,
            "milestone_id": None,
        })
    return rows


def link_rows(schedule_id: int, file: parsed.ScheduleFile) -> list[dict[str, Any]]:
    """One row per predecessor relation."""
    return [{"schedule_id": schedule_id, "predecessor_uid": link.predecessor_uid,
             "successor_uid": link.successor_uid, "type": link.type,
             "lag_hours": link.lag_hours, "lag_percent": link.lag_percent,
             "elapsed": link.elapsed} for link in file.links]


def _activity(row: Activity) -> parsed.Activity:
    return parsed.Activity(
        uid=row.uid, code=row.code, name=row.name, wbs=row.wbs, parent_uid=row.parent_uid,
        outline_level=row.outline_level, summary=row.summary, milestone=row.milestone,
        duration_hours=row.duration_hours, percent_complete=row.percent_complete,
        constraint=row.constraint,  # type: ignore[arg-type]
        calendar_uid=row.calendar_uid,
        **{name: getattr(row, name) for name in FILE_DATES},
        early_start=row.early_start, early_finish=row.early_finish,
        late_start=row.late_start, late_finish=row.late_finish,
        total_float_hours=row.file_total_float_hours)


def to_file(schedule: Schedule, activities: Sequence[Activity], links: Sequence[Link],
            parts: Mapping[str, Sequence[dict[str, Any]]]) -> parsed.ScheduleFile:
    """The stored schedule as a ``ScheduleFile`` (the hub's early dates as the file's)."""
    return parsed.ScheduleFile(
        format=schedule.format,  # type: ignore[arg-type]
        name=schedule.name, status_date=schedule.status_date,
        calendar_uid=schedule.calendar_uid, minutes_per_day=schedule.minutes_per_day,
        start=min((a.start for a in activities if a.start), default=None),
        activities=tuple(_activity(row) for row in activities),
        links=tuple(parsed.Link(row.predecessor_uid, row.successor_uid,
                                row.type, row.lag_hours,  # type: ignore[arg-type]
                                row.lag_percent, row.elapsed) for row in links),
        calendars=parts_of("calendar", parts["calendar"]),
        resources=parts_of("resource", parts["resource"]),
        assignments=parts_of("assignment", parts["assignment"]))
